// Where credentials, region, endpoint and CA bundle come from, in the AWS CLI's order.
#include "vault/credentials.hpp"

#include <gtest/gtest.h>

#include <map>

#include "support/support.hpp"
#include "vault/http.hpp"

namespace keyhound {
namespace {

using Vars = std::map<std::string, std::string>;

EnvLookup lookup(const Vars& vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class Credentials : public ::testing::Test {
 protected:
  Vars base() const {
    return {{"HOME", home_.str()},
            {"AWS_SHARED_CREDENTIALS_FILE", home_.str() + "/credentials"},
            {"AWS_CONFIG_FILE", home_.str() + "/config"}};
  }
  testing::TempDir home_;
};

TEST_F(Credentials, FromTheEnvironmentWithSessionToken) {
  Vars vars = base();
  vars["AWS_ACCESS_KEY_ID"] = "ASIAQW3JTLRB6X2NKD7P";
  vars["AWS_SECRET_ACCESS_KEY"] = "Zt7pQ2mWx9Rk4Lv8Bn3Hc6Jd1Fs5Gy0Ta2Ue7Ki9";
  vars["AWS_SESSION_TOKEN"] = "FwoGZXIvYXdzEJr";
  vars["AWS_DEFAULT_REGION"] = "eu-central-1";
  auto settings = resolve_aws_settings({}, lookup(vars));
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->credentials.access_key_id, "ASIAQW3JTLRB6X2NKD7P");
  EXPECT_EQ(settings->credentials.secret_access_key.str(), "Zt7pQ2mWx9Rk4Lv8Bn3Hc6Jd1Fs5Gy0Ta2Ue7Ki9");
  EXPECT_EQ(settings->credentials.session_token.str(), "FwoGZXIvYXdzEJr");
  EXPECT_EQ(settings->credentials_source, "environment");
  EXPECT_EQ(settings->region, "eu-central-1");
  EXPECT_EQ(settings->endpoint, "https://secretsmanager.eu-central-1.amazonaws.com");
}

TEST_F(Credentials, FromANamedProfileInBothFiles) {
  home_.write(
      "credentials",
      "[default]\naws_access_key_id = AKIAZ4XQ7RT2JQ5WMB3K\naws_secret_access_key = default-secret\n"
      "# a comment\n[deploy]\naws_access_key_id=AKIA6G7OYZIRZDJUE6B5\n"
      "aws_secret_access_key=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\naws_session_token = tok/en==\n");
  home_.write("config",
              "[default]\nregion = us-west-2\n[profile deploy]\nregion = ap-southeast-2\n"
              "endpoint_url = https://vpce-1.secretsmanager.ap-southeast-2.vpce.amazonaws.com\n"
              "s3 =\n  addressing_style = path\nca_bundle = ~/corp-ca.pem\n");
  Vars vars = base();
  vars["AWS_PROFILE"] = "deploy";
  auto settings = resolve_aws_settings({}, lookup(vars));
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->credentials.access_key_id, "AKIA6G7OYZIRZDJUE6B5");
  EXPECT_EQ(settings->credentials.secret_access_key.str(), "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");
  EXPECT_EQ(settings->credentials.session_token.str(), "tok/en==");
  EXPECT_EQ(settings->credentials_source, "profile deploy (" + home_.str() + "/credentials)");
  EXPECT_EQ(settings->region, "ap-southeast-2");
  EXPECT_EQ(settings->endpoint, "https://vpce-1.secretsmanager.ap-southeast-2.vpce.amazonaws.com");
  EXPECT_EQ(settings->ca_bundle, home_.str() + "/corp-ca.pem");

  // --profile wins over keys in the environment; options win over everything.
  vars["AWS_ACCESS_KEY_ID"] = "AKIAQW3JTLRB6X2NKD7P";
  vars["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  vars["AWS_REGION"] = "eu-west-3";
  vars["AWS_ENDPOINT_URL"] = "https://generic.example.com";
  vars["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "https://sm.example.com/";
  vars["AWS_CA_BUNDLE"] = "/etc/ca.pem";
  auto chosen = resolve_aws_settings({"default", "", "", ""}, lookup(vars));
  ASSERT_TRUE(chosen.ok()) << chosen.error().message;
  EXPECT_EQ(chosen->credentials.access_key_id, "AKIAZ4XQ7RT2JQ5WMB3K");
  EXPECT_EQ(chosen->region, "eu-west-3");
  EXPECT_EQ(chosen->endpoint, "https://sm.example.com");
  EXPECT_EQ(chosen->ca_bundle, "/etc/ca.pem");
  auto overridden = resolve_aws_settings({"", "sa-east-1", "https://127.0.0.1:9", "/x.pem"}, lookup(vars));
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->credentials.access_key_id, "AKIAQW3JTLRB6X2NKD7P");
  EXPECT_EQ(overridden->region, "sa-east-1");
  EXPECT_EQ(overridden->endpoint, "https://127.0.0.1:9");
  EXPECT_EQ(overridden->ca_bundle, "/x.pem");
}

TEST_F(Credentials, DefaultFilesUnderHome) {
  home_.write(".aws/credentials",
              "[default]\naws_access_key_id = AKIAZ4XQ7RT2JQ5WMB3K\naws_secret_access_key = s\n");
  home_.write(".aws/config", "[default]\nregion = cn-north-1\n");
  auto settings = resolve_aws_settings({}, lookup({{"HOME", home_.str()}}));
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->region, "cn-north-1");
  EXPECT_EQ(settings->endpoint, "https://secretsmanager.cn-north-1.amazonaws.com.cn");
}

TEST_F(Credentials, MissingPiecesSayWhereKeyhoundLooked) {
  auto none = resolve_aws_settings({}, lookup(base()));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "no AWS credentials: looked at AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment and at "
            "profile "
            "'default' in " +
                home_.str() + "/credentials and " + home_.str() + "/config");
  auto unknown = resolve_aws_settings({"nope", "", "", ""}, lookup(base()));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "AWS profile 'nope' is in neither " + home_.str() + "/credentials nor " +
                                         home_.str() + "/config");
  Vars keys = base();
  keys["AWS_ACCESS_KEY_ID"] = "AKIAZ4XQ7RT2JQ5WMB3K";
  keys["AWS_SECRET_ACCESS_KEY"] = "s";
  auto no_region = resolve_aws_settings({}, lookup(keys));
  ASSERT_FALSE(no_region.ok());
  EXPECT_EQ(
      no_region.error().message,
      "no AWS region: looked at --region, AWS_REGION, AWS_DEFAULT_REGION and the region of profile 'default' "
      "in " +
          home_.str() + "/config");
  home_.write("config", "[profile sso]\nsso_session = corp\nregion = us-east-1\n");
  auto sso = resolve_aws_settings({"sso", "", "", ""}, lookup(base()));
  ASSERT_FALSE(sso.ok());
  EXPECT_NE(sso.error().message.find("profile sso gets its credentials through sso_session"),
            std::string::npos);
}

TEST(Endpoint, HttpsAnywhereHttpOnlyToLoopback) {
  for (const char* good : {"https://secretsmanager.us-east-1.amazonaws.com", "http://127.0.0.1:8080",
                           "http://[::1]:9", "http://localhost:1234/", "http://127.5.6.7"}) {
    auto endpoint = parse_endpoint(good);
    EXPECT_TRUE(endpoint.ok()) << good << ": " << (endpoint.ok() ? "" : endpoint.error().message);
  }
  auto parsed = parse_endpoint("http://127.0.0.1:8080");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host, "127.0.0.1:8080");
  EXPECT_EQ(parsed->url, "http://127.0.0.1:8080/");
  EXPECT_FALSE(parsed->tls);
  for (const char* bad :
       {"http://secretsmanager.us-east-1.amazonaws.com", "http://10.0.0.1", "http://[fe80::1]:80",
        "http://128.0.0.1", "ftp://127.0.0.1", "https://host/path"}) {
    EXPECT_FALSE(parse_endpoint(bad).ok()) << bad;
  }
  EXPECT_EQ(parse_endpoint("http://169.254.169.254").error().message,
            "endpoint 'http://169.254.169.254' is plain http to a non-loopback host: secrets would cross the "
            "network "
            "unencrypted; use https");
}

}  // namespace
}  // namespace keyhound
