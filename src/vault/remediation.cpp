// Snippets use each language's current AWS SDK (boto3, SDK for JavaScript v3, Go v2, Java v2).
#include "vault/remediation.hpp"

#include <cctype>
#include <filesystem>

#include "vault/aws_query.hpp"

namespace keyhound {
namespace {

std::string extension_of(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

}  // namespace

namespace {

constexpr const char* kAgentUrl = "http://localhost:2773/secretsmanager/get?secretId=";

std::string python_agent() {
  return "import json, os, urllib.parse, urllib.request\n"
         "\n"
         "def read_secret(secret_id):\n"
         "    token = os.environ.get(\"AWS_TOKEN\") or open(\"/var/run/awssmatoken\").read().strip()\n"
         "    request = urllib.request.Request(\n"
         "        \"http://localhost:2773/secretsmanager/get?secretId=\" + urllib.parse.quote(secret_id, "
         "safe=\"\"),\n"
         "        headers={\"X-Aws-Parameters-Secrets-Token\": token})\n"
         "    with urllib.request.urlopen(request, timeout=5) as response:\n"
         "        return json.load(response)[\"SecretString\"]\n"
         "\n"
         "secret = read_secret(\"NAME\")";
}

std::string javascript_agent_body() {
  return "  const token = process.env.AWS_TOKEN || readFileSync(\"/var/run/awssmatoken\", \"utf8\").trim();\n"
         "  const response = await fetch(\"http://localhost:2773/secretsmanager/get?secretId=\" +\n"
         "    encodeURIComponent(secretId), { headers: { \"X-Aws-Parameters-Secrets-Token\": token } });\n"
         "  if (!response.ok) throw new Error(`Secrets Manager Agent: HTTP ${response.status}`);\n"
         "  return (await response.json()).SecretString;\n";
}

std::string javascript_agent(bool commonjs) {
  std::string head = commonjs ? "const { readFileSync } = require(\"node:fs\");\n"
                              : "import { readFileSync } from \"node:fs\";\n";
  std::string tail = commonjs
                         ? "// CommonJS has no top-level await: use the promise where the value is needed.\n"
                           "const secretPromise = readSecret(\"NAME\");"
                         : "const secret = await readSecret(\"NAME\");";
  return head + "\nasync function readSecret(secretId) {\n" + javascript_agent_body() + "}\n\n" + tail;
}

std::string java_agent() {
  return "import java.net.URI;\n"
         "import java.net.URLEncoder;\n"
         "import java.net.http.HttpClient;\n"
         "import java.net.http.HttpRequest;\n"
         "import java.net.http.HttpResponse;\n"
         "import java.nio.charset.StandardCharsets;\n"
         "import java.nio.file.Files;\n"
         "import java.nio.file.Path;\n"
         "\n"
         "static String readSecret(String secretId) throws java.io.IOException, InterruptedException {\n"
         "  String token = System.getenv(\"AWS_TOKEN\");\n"
         "  if (token == null || token.isEmpty()) token = "
         "Files.readString(Path.of(\"/var/run/awssmatoken\")).trim();\n"
         "  HttpRequest request = HttpRequest.newBuilder(URI.create(\n"
         "          \"http://localhost:2773/secretsmanager/get?secretId=\" +\n"
         "          URLEncoder.encode(secretId, StandardCharsets.UTF_8)))\n"
         "      .header(\"X-Aws-Parameters-Secrets-Token\", token).build();\n"
         "  HttpResponse<String> response = HttpClient.newHttpClient().send(request, "
         "HttpResponse.BodyHandlers.ofString());\n"
         "  if (response.statusCode() != 200)\n"
         "    throw new java.io.IOException(\"Secrets Manager Agent: HTTP \" + response.statusCode());\n"
         "  // The body is JSON; with a JSON library at hand, read its \"SecretString\" field instead.\n"
         "  String body = response.body();\n"
         "  java.util.regex.Matcher m = java.util.regex.Pattern\n"
         "      "
         ".compile(\"\\\"SecretString\\\"\\\\s*:\\\\s*\\\"((?:[^\\\"\\\\\\\\]|\\\\\\\\.)*)\\\"\").matcher("
         "body);\n"
         "  if (!m.find()) throw new java.io.IOException(\"Secrets Manager Agent: no SecretString\");\n"
         "  return m.group(1).replace(\"\\\\\\\"\", \"\\\"\").replace(\"\\\\\\\\\", \"\\\\\");\n"
         "}\n"
         "\n"
         "String secret = readSecret(\"NAME\");";
}

std::string go_agent() {
  return "import (\n"
         "\t\"encoding/json\"\n"
         "\t\"fmt\"\n"
         "\t\"net/http\"\n"
         "\t\"net/url\"\n"
         "\t\"os\"\n"
         "\t\"strings\"\n"
         "\t\"time\"\n"
         ")\n"
         "\n"
         "func readSecret(secretID string) (string, error) {\n"
         "\ttoken := os.Getenv(\"AWS_TOKEN\")\n"
         "\tif token == \"\" {\n"
         "\t\tdata, err := os.ReadFile(\"/var/run/awssmatoken\")\n"
         "\t\tif err != nil {\n"
         "\t\t\treturn \"\", err\n"
         "\t\t}\n"
         "\t\ttoken = strings.TrimSpace(string(data))\n"
         "\t}\n"
         "\trequest, err := http.NewRequest(\"GET\",\n"
         "\t\t\"http://localhost:2773/secretsmanager/get?secretId=\"+url.QueryEscape(secretID), nil)\n"
         "\tif err != nil {\n"
         "\t\treturn \"\", err\n"
         "\t}\n"
         "\trequest.Header.Set(\"X-Aws-Parameters-Secrets-Token\", token)\n"
         "\tresponse, err := (&http.Client{Timeout: 5 * time.Second}).Do(request)\n"
         "\tif err != nil {\n"
         "\t\treturn \"\", err\n"
         "\t}\n"
         "\tdefer response.Body.Close()\n"
         "\tif response.StatusCode != http.StatusOK {\n"
         "\t\treturn \"\", fmt.Errorf(\"Secrets Manager Agent: HTTP %d\", response.StatusCode)\n"
         "\t}\n"
         "\tvar body struct{ SecretString string }\n"
         "\tif err := json.NewDecoder(response.Body).Decode(&body); err != nil {\n"
         "\t\treturn \"\", err\n"
         "\t}\n"
         "\treturn body.SecretString, nil\n"
         "}\n"
         "\n"
         "secret, err := readSecret(\"NAME\")\n"
         "if err != nil {\n"
         "\treturn err\n"
         "}";
}

std::string ruby_agent() {
  return "require \"json\"\n"
         "require \"net/http\"\n"
         "require \"uri\"\n"
         "\n"
         "def read_secret(secret_id)\n"
         "  token = ENV[\"AWS_TOKEN\"].to_s\n"
         "  token = File.read(\"/var/run/awssmatoken\").strip if token.empty?\n"
         "  uri = URI(\"http://localhost:2773/secretsmanager/get?secretId=\" + "
         "URI.encode_www_form_component(secret_id))\n"
         "  request = Net::HTTP::Get.new(uri)\n"
         "  request[\"X-Aws-Parameters-Secrets-Token\"] = token\n"
         "  response = Net::HTTP.start(uri.host, uri.port, open_timeout: 5, read_timeout: 5) { |http| "
         "http.request(request) }\n"
         "  raise \"Secrets Manager Agent: HTTP #{response.code}\" unless response.is_a?(Net::HTTPSuccess)\n"
         "  JSON.parse(response.body).fetch(\"SecretString\")\n"
         "end\n"
         "\n"
         "secret = read_secret(\"NAME\")";
}

}  // namespace

namespace {

// After `secret` holds a pair's JSON: one variable per field, in the snippet's language.
std::string field_reads(const std::string& language, const std::vector<std::string>& fields) {
  std::string list;
  for (const auto& field : fields) list += (list.empty() ? "" : ", ") + field;
  std::string out;
  if (language == "python") {
    out = "\nimport json\nfields = json.loads(secret)";
    for (const auto& field : fields) out += "\n" + field + " = fields[\"" + field + "\"]";
  } else if (language == "javascript" || language == "typescript") {
    out = "\nconst { " + list + " } = JSON.parse(secret);";
  } else if (language == "javascript-cjs" || language == "typescript-cjs") {
    out = "\nconst fieldsPromise = secretPromise.then(JSON.parse); // { " + list + " }";
  } else if (language == "go") {
    out = "\nvar fields map[string]string // import \"encoding/json\"; fields: " + list +
          "\nif err := json.Unmarshal([]byte(secret), &fields); err != nil { return err }";
  } else if (language == "java") {
    out = "\n// The secret is JSON with the fields " + list + ": read them with your JSON library.";
  } else if (language == "ruby") {
    out = "\nfields = JSON.parse(secret) # require \"json\"";
    for (const auto& field : fields) out += "\n" + field + " = fields.fetch(\"" + field + "\")";
  } else {
    for (const auto& field : fields)
      out += "\n" + field + "=\"$(printf '%s' \"$secret\" | jq -er ." + field + ")\" || exit 1";
  }
  return out;
}

}  // namespace

Remediation remediation_for(const std::string& secret_name, const std::string& source_path,
                            const std::vector<std::string>& fields) {
  Remediation out;
  // Two steps, each with `|| exit 1`: inside one `$(curl | jq)` the pipe would hide curl's failure.
  // The name is percent-encoded: it may hold + = @, which a URL would misread.
  out.agent_command =
      "response=\"$(curl -sf -H \"X-Aws-Parameters-Secrets-Token: ${AWS_TOKEN:-$(cat "
      "/var/run/awssmatoken)}\" "
      "'" +
      std::string(kAgentUrl) + form_encode(secret_name, true) +
      "')\" || exit 1\n"
      "secret=\"$(printf '%s' \"$response\" | jq -er .SecretString)\" || exit 1\n"
      "unset response";
  std::string extension = extension_of(source_path);
  std::string snippet;
  std::string agent;
  if (extension == ".py") {
    out.language = "python";
    snippet =
        "import boto3\n"
        "secret = boto3.client(\"secretsmanager\").get_secret_value(SecretId=\"NAME\")[\"SecretString\"]";
    agent = python_agent();
  } else if (extension == ".cjs" || extension == ".cts") {
    out.language = extension == ".cts" ? "typescript-cjs" : "javascript-cjs";
    snippet =
        "const { SecretsManagerClient, GetSecretValueCommand } = "
        "require(\"@aws-sdk/client-secrets-manager\");\n"
        "// CommonJS has no top-level await: use the promise where the value is needed.\n"
        "const secretPromise = new SecretsManagerClient({})\n"
        "  .send(new GetSecretValueCommand({ SecretId: \"NAME\" }))\n"
        "  .then((response) => response.SecretString);";
    agent = javascript_agent(true);
  } else if (extension == ".js" || extension == ".mjs" || extension == ".jsx" || extension == ".ts" ||
             extension == ".tsx" || extension == ".mts") {
    bool typescript = extension == ".ts" || extension == ".tsx" || extension == ".mts";
    out.language = typescript ? "typescript" : "javascript";
    snippet =
        "import { SecretsManagerClient, GetSecretValueCommand } from \"@aws-sdk/client-secrets-manager\";\n"
        "const { SecretString: secret } = await new SecretsManagerClient({}).send(\n"
        "  new GetSecretValueCommand({ SecretId: \"NAME\" }));";
    agent = javascript_agent(false);
  } else if (extension == ".go") {
    out.language = "go";
    snippet =
        "// import \"github.com/aws/aws-sdk-go-v2/aws\", \".../config\", \".../service/secretsmanager\"\n"
        "cfg, err := config.LoadDefaultConfig(ctx)\n"
        "if err != nil { return err }\n"
        "out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx,\n"
        "\t&secretsmanager.GetSecretValueInput{SecretId: aws.String(\"NAME\")})\n"
        "if err != nil { return err }\n"
        "secret := aws.ToString(out.SecretString)";
    agent = go_agent();
  } else if (extension == ".java" || extension == ".kt" || extension == ".scala" || extension == ".groovy") {
    out.language = "java";
    snippet =
        "// software.amazon.awssdk:secretsmanager\n"
        "import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;\n"
        "import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;\n"
        "\n"
        "String secret;\n"
        "try (SecretsManagerClient client = SecretsManagerClient.create()) {\n"
        "  secret = client.getSecretValue(\n"
        "      GetSecretValueRequest.builder().secretId(\"NAME\").build()).secretString();\n"
        "}";
    agent = java_agent();
  } else if (extension == ".rb") {
    out.language = "ruby";
    snippet =
        "require \"aws-sdk-secretsmanager\"\n"
        "secret = Aws::SecretsManager::Client.new.get_secret_value(secret_id: \"NAME\").secret_string";
    agent = ruby_agent();
  } else {
    out.language = "shell";
    snippet =
        "secret=\"$(aws secretsmanager get-secret-value --secret-id 'NAME' --query SecretString --output "
        "text)\"";
  }
  out.snippet = replace_all(snippet, "NAME", secret_name);
  out.agent_snippet =
      agent.empty() ? out.agent_command : replace_all(agent, "\"NAME\"", "\"" + secret_name + "\"");
  if (!fields.empty()) {
    out.snippet += field_reads(out.language, fields);
    out.agent_snippet += field_reads(out.language, fields);
    out.agent_command += field_reads("shell", fields);
  }
  return out;
}

}  // namespace keyhound
