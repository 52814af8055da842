#!/usr/bin/python3
"""A fake AWS Secrets Manager Agent for the snippet tests: serves GET
/secretsmanager/get?secretId=NAME on 127.0.0.1:PORT the way the agent does, and only to requests
whose X-Aws-Parameters-Secrets-Token header equals the expected token (the agent's SSRF check).

usage: fake_agent.py SECRETS_JSON TOKEN PORT READY_FILE
SECRETS_JSON maps secret names to values. READY_FILE is written once the port is listening."""
import http.server
import json
import sys
import urllib.parse


def main():
    secrets_path, token, port, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(secrets_path) as f:
        secrets = json.load(f)

    class Handler(http.server.BaseHTTPRequestHandler):
        def reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/secretsmanager/get":
                return self.reply(404, {"message": "not found"})
            if self.headers.get("X-Aws-Parameters-Secrets-Token") != token:
                return self.reply(401, {"message": "missing or wrong X-Aws-Parameters-Secrets-Token"})
            query = urllib.parse.parse_qs(url.query)
            name = query.get("secretId", [""])[0]
            if name not in secrets:
                return self.reply(400, {"__type": "ResourceNotFoundException"})
            self.reply(200, {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name,
                             "Name": name, "SecretString": secrets[name],
                             "VersionId": "00000000-0000-0000-0000-000000000001",
                             "VersionStages": ["AWSCURRENT"], "CreatedDate": "1700000000.0"})

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    with open(ready, "w") as f:
        f.write("ready\n")
    server.serve_forever()


if __name__ == "__main__":
    main()
