// The AWS shared configuration files: INI sections, [NAME] in credentials, [profile NAME] in config.
#include "vault/credentials.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "util/file.hpp"

namespace keyhound {
namespace {

using Section = std::map<std::string, std::string>;
using IniFile = std::map<std::string, Section>;

std::string trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

// Indented lines belong to a nested block (e.g. `s3 =` settings) that keyhound does not use.
IniFile parse_ini(const std::string& text) {
  IniFile file;
  Section* current = nullptr;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
    std::string clean = trim(line);
    if (clean.empty() || clean[0] == '#' || clean[0] == ';') continue;
    if (clean.front() == '[' && clean.back() == ']') {
      current = &file[trim(std::string_view(clean).substr(1, clean.size() - 2))];
      continue;
    }
    std::size_t equals = clean.find('=');
    if (!current || equals == std::string::npos) continue;
    (*current)[trim(std::string_view(clean).substr(0, equals))] =
        trim(std::string_view(clean).substr(equals + 1));
  }
  return file;
}

std::string expand_home(const std::string& path, const EnvLookup& env) {
  if (path.rfind("~/", 0) != 0) return path;
  auto home = env("HOME");
  return home ? *home + path.substr(1) : path;
}

std::string env_or_empty(const EnvLookup& env, const char* name) {
  auto value = env(name);
  return value ? *value : std::string();
}

struct SharedFiles {
  std::string credentials_path;
  std::string config_path;
  IniFile credentials;
  IniFile config;
};

SharedFiles read_shared_files(const EnvLookup& env) {
  SharedFiles files;
  std::string home = env_or_empty(env, "HOME");
  files.credentials_path = env_or_empty(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (files.credentials_path.empty()) files.credentials_path = home.empty() ? "" : home + "/.aws/credentials";
  files.config_path = env_or_empty(env, "AWS_CONFIG_FILE");
  if (files.config_path.empty()) files.config_path = home.empty() ? "" : home + "/.aws/config";
  files.credentials_path = expand_home(files.credentials_path, env);
  files.config_path = expand_home(files.config_path, env);
  // A missing file is normal (many people have only one of the two).
  if (auto text = read_whole_file(files.credentials_path); text && !files.credentials_path.empty())
    files.credentials = parse_ini(*text);
  if (auto text = read_whole_file(files.config_path); text && !files.config_path.empty())
    files.config = parse_ini(*text);
  return files;
}

const Section* config_section(const SharedFiles& files, const std::string& profile) {
  auto it = files.config.find(profile == "default" ? "default" : "profile " + profile);
  if (it == files.config.end() && profile == "default") it = files.config.find("profile default");
  return it == files.config.end() ? nullptr : &it->second;
}

std::string value_of(const Section* section, const std::string& key) {
  if (!section) return {};
  auto it = section->find(key);
  return it == section->end() ? std::string() : it->second;
}

// Keys from the credentials file first, then the config file's profile (the AWS CLI's order).
// Nothing when the profile holds no keys; an error when it gets them in a way keyhound cannot.
Result<std::optional<AwsCredentials>> profile_credentials(const SharedFiles& files,
                                                          const std::string& profile, std::string& source) {
  const Section* from_credentials = nullptr;
  if (auto it = files.credentials.find(profile); it != files.credentials.end())
    from_credentials = &it->second;
  const Section* from_config = config_section(files, profile);
  for (auto [section, path] :
       {std::pair{from_credentials, &files.credentials_path}, {from_config, &files.config_path}}) {
    std::string id = value_of(section, "aws_access_key_id");
    std::string secret = value_of(section, "aws_secret_access_key");
    if (id.empty() || secret.empty()) continue;
    source = "profile " + profile + " (" + *path + ")";
    return std::optional<AwsCredentials>(
        AwsCredentials{id, SecretString(secret), SecretString(value_of(section, "aws_session_token"))});
  }
  for (const char* unsupported :
       {"role_arn", "sso_session", "sso_start_url", "credential_process", "web_identity_token_file"}) {
    if (!value_of(from_config, unsupported).empty() || !value_of(from_credentials, unsupported).empty())
      return make_error("profile " + profile + " gets its credentials through " + unsupported +
                        ", which keyhound does not run; export them first, e.g. eval \"$(aws configure "
                        "export-credentials --profile " +
                        profile + " --format env)\"");
  }
  return std::optional<AwsCredentials>();
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
}

Result<AwsSettings> resolve_aws_settings(const AwsOverrides& overrides, const EnvLookup& env) {
  AwsSettings settings;
  SharedFiles files = read_shared_files(env);
  std::string profile = overrides.profile;
  if (profile.empty()) profile = env_or_empty(env, "AWS_PROFILE");
  if (profile.empty()) profile = env_or_empty(env, "AWS_DEFAULT_PROFILE");
  bool profile_chosen = !profile.empty();
  if (profile.empty()) profile = "default";

  std::string env_id = env_or_empty(env, "AWS_ACCESS_KEY_ID");
  std::string env_secret = env_or_empty(env, "AWS_SECRET_ACCESS_KEY");
  if (overrides.profile.empty() && !env_id.empty() && !env_secret.empty()) {
    settings.credentials = {env_id, SecretString(env_secret),
                            SecretString(env_or_empty(env, "AWS_SESSION_TOKEN"))};
    wipe(env_secret);
    settings.credentials_source = "environment";
  } else {
    wipe(env_secret);
    KH_TRY_ASSIGN(auto found, profile_credentials(files, profile, settings.credentials_source));
    if (!found) {
      if (!overrides.profile.empty() || profile_chosen) {
        bool known = files.credentials.count(profile) || config_section(files, profile);
        if (!known)
          return make_error("AWS profile '" + profile + "' is in neither " + files.credentials_path +
                            " nor " + files.config_path);
      }
      return make_error(
          "no AWS credentials: looked at AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment and "
          "at profile '" +
          profile + "' in " +
          (files.credentials_path.empty() ? "~/.aws/credentials" : files.credentials_path) + " and " +
          (files.config_path.empty() ? "~/.aws/config" : files.config_path));
    }
    settings.credentials = std::move(*found);
  }

  const Section* config = config_section(files, profile);
  settings.region = overrides.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (settings.region.empty()) settings.region = env_or_empty(env, name);
  if (settings.region.empty()) settings.region = value_of(config, "region");
  if (settings.region.empty())
    return make_error(
        "no AWS region: looked at --region, AWS_REGION, AWS_DEFAULT_REGION and the region of profile '" +
        profile + "' in " + (files.config_path.empty() ? "~/.aws/config" : files.config_path));

  settings.endpoint = overrides.endpoint_url;
  for (const char* name : {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"})
    if (settings.endpoint.empty()) settings.endpoint = env_or_empty(env, name);
  if (settings.endpoint.empty()) settings.endpoint = value_of(config, "endpoint_url");
  if (settings.endpoint.empty()) {
    bool china = settings.region.rfind("cn-", 0) == 0;
    settings.endpoint =
        "https://secretsmanager." + settings.region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
  }
  while (settings.endpoint.size() > 8 && settings.endpoint.back() == '/') settings.endpoint.pop_back();

  settings.ca_bundle = overrides.ca_bundle;
  if (settings.ca_bundle.empty()) settings.ca_bundle = env_or_empty(env, "AWS_CA_BUNDLE");
  if (settings.ca_bundle.empty()) settings.ca_bundle = value_of(config, "ca_bundle");
  settings.ca_bundle = expand_home(settings.ca_bundle, env);
  return settings;
}

}  // namespace keyhound
