// Snippets use each language's current AWS SDK (boto3, SDK for JavaScript v3, Go v2, Java v2).
#include "vault/remediation.hpp"

#include <cctype>
#include <filesystem>

namespace keyhound {
namespace {

std::string extension_of(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

// Query-string encoding: names may hold + = @ which a URL would misread.
std::string url_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

}  // namespace

Remediation remediation_for(const std::string& secret_name, const std::string& source_path) {
  Remediation out;
  out.agent_command =
      "curl -s -H \"X-Aws-Parameters-Secrets-Token: $(cat /var/run/awssmatoken)\" "
      "'http://localhost:2773/secretsmanager/get?secretId=" +
      url_encode(secret_name) + "' | jq -r .SecretString";
  std::string extension = extension_of(source_path);
  std::string snippet;
  if (extension == ".py") {
    out.language = "python";
    snippet =
        "import boto3\n"
        "secret = boto3.client(\"secretsmanager\").get_secret_value(SecretId=\"NAME\")[\"SecretString\"]";
  } else if (extension == ".js" || extension == ".mjs" || extension == ".cjs" || extension == ".jsx" ||
             extension == ".ts" || extension == ".tsx" || extension == ".mts" || extension == ".cts") {
    bool typescript = extension == ".ts" || extension == ".tsx" || extension == ".mts" || extension == ".cts";
    out.language = typescript ? "typescript" : "javascript";
    snippet =
        "import { SecretsManagerClient, GetSecretValueCommand } from \"@aws-sdk/client-secrets-manager\";\n"
        "const { SecretString: secret } = await new SecretsManagerClient({}).send(\n"
        "  new GetSecretValueCommand({ SecretId: \"NAME\" }));";
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
  } else if (extension == ".java" || extension == ".kt" || extension == ".scala" || extension == ".groovy") {
    out.language = "java";
    snippet =
        "// software.amazon.awssdk:secretsmanager\n"
        "try (SecretsManagerClient client = SecretsManagerClient.create()) {\n"
        "  String secret = client.getSecretValue(\n"
        "      GetSecretValueRequest.builder().secretId(\"NAME\").build()).secretString();\n"
        "}";
  } else {
    out.language = "shell";
    snippet =
        "secret=\"$(aws secretsmanager get-secret-value --secret-id 'NAME' --query SecretString --output "
        "text)\"";
  }
  out.snippet = replace_all(snippet, "NAME", secret_name);
  return out;
}

}  // namespace keyhound
