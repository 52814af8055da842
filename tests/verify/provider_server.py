#!/usr/bin/python3
"""A stand-in for providers' APIs in keyhound's verification tests, over HTTPS.

keyhound reaches it through KEYHOUND_VERIFY_ENDPOINT_OVERRIDE (curl's CONNECT_TO), so requests
keep the provider's Host and TLS name; the certificate (KEYHOUND_TEST_TLS_CERT/KEY) is issued by a
throwaway CA the test made. Behaviour is keyed by token: KEYHOUND_TEST_TOKENS is a JSON object
{token: {"status": 200, "body": {...}, "delay": 0, "location": ""}}; a request is answered by the
first registered token found anywhere in it (path, header values, body, or the decoded basic-auth
pair). Unknown tokens get 401. The port is printed on stdout.
GET /__stats (no token needed) returns {"hits": {token: n}, "requests": [{"method", "host",
"path_has_token"}...], "max_in_flight": {host: n}, "redirect_followed": n}.
"""

import base64
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, tokens):
        self.lock = threading.Lock()
        self.tokens = tokens
        self.hits = {}
        self.requests = []
        self.in_flight = {}
        self.max_in_flight = {}
        self.redirect_followed = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, document=None, headers=None):
        body = json.dumps(document if document is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        state = self.server.state
        length = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if self.path == "/__stats":
            with state.lock:
                self.reply(200, {"hits": state.hits, "requests": state.requests,
                                 "max_in_flight": state.max_in_flight,
                                 "redirect_followed": state.redirect_followed})
            return
        if self.path.startswith("/__redirected"):
            with state.lock:
                state.redirect_followed += 1
            self.reply(200, {"login": "followed-a-redirect"})
            return
        haystack = [self.path, body] + [value for _, value in self.headers.items()]
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            haystack.append(base64.b64decode(authorization[6:]).decode("utf-8", "replace"))
        text = "\n".join(haystack)
        host = self.headers.get("Host", "")
        token = next((t for t in state.tokens if t in text), None)
        with state.lock:
            state.requests.append({"method": self.command, "host": host,
                                   "path_has_token": bool(token and token in self.path)})
            if token:
                state.hits[token] = state.hits.get(token, 0) + 1
            state.in_flight[host] = state.in_flight.get(host, 0) + 1
            state.max_in_flight[host] = max(state.max_in_flight.get(host, 0), state.in_flight[host])
        try:
            behaviour = state.tokens.get(token, {"status": 401, "body": {"message": "Bad credentials"}})
            time.sleep(behaviour.get("delay", 0))
            headers = {}
            if behaviour.get("location"):
                headers["Location"] = behaviour["location"]
            self.reply(behaviour.get("status", 200), behaviour.get("body"), headers)
        finally:
            with state.lock:
                state.in_flight[host] -= 1

    do_GET = handle_any
    do_POST = handle_any
    do_HEAD = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.environ["KEYHOUND_TEST_TLS_CERT"], os.environ["KEYHOUND_TEST_TLS_KEY"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.state = State(json.loads(os.environ.get("KEYHOUND_TEST_TOKENS", "{}")))
    print(server.server_address[1], flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
