// The text and URI pieces of the SARIF report.
#include "report/sarif_text.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

TEST(SarifText, RuleNamesArePascalCase) {
  EXPECT_EQ(sarif_rule_name("AWS access key ID", "aws.access-key-id"), "AwsAccessKeyId");
  EXPECT_EQ(sarif_rule_name("PostgreSQL connection URI with password", "db.pg"),
            "PostgresqlConnectionUriWithPassword");
  EXPECT_EQ(sarif_rule_name("", "gcp.service-account-key"), "GcpServiceAccountKey");
  EXPECT_EQ(sarif_rule_name("1Password token", "x.y"), "Secret1passwordToken");
}

TEST(SarifText, SentencesEndWithAPeriod) {
  EXPECT_EQ(sarif_sentence("AWS access key ID"), "AWS access key ID.");
  EXPECT_EQ(sarif_sentence("Rotate it.  "), "Rotate it.");
  EXPECT_EQ(sarif_sentence(""), ".");
}

TEST(SarifText, PathsArePercentEncoded) {
  EXPECT_EQ(percent_encode_path("src/main.cpp"), "src/main.cpp");
  EXPECT_EQ(percent_encode_path("config/my conf.env"), "config/my%20conf.env");
  EXPECT_EQ(percent_encode_path("a#b?c%d"), "a%23b%3Fc%25d");
  EXPECT_EQ(percent_encode_path("caf\xc3\xa9/x"), "caf%C3%A9/x");
  EXPECT_EQ(percent_encode_path("<stdin>"), "%3Cstdin%3E");
  EXPECT_EQ(percent_encode_path("dir\\file"), "dir%5Cfile");
}

TEST(SarifText, FileUris) {
  EXPECT_EQ(file_uri("/work/my repo", true), "file:///work/my%20repo/");
  EXPECT_EQ(file_uri("/work/repo/", true), "file:///work/repo/");
  EXPECT_EQ(file_uri("/etc/passwd", false), "file:///etc/passwd");
}

TEST(SarifText, RepositoryUrisLoseCredentials) {
  EXPECT_EQ(sanitize_repository_uri("https://github.com/acme/demo.git"), "https://github.com/acme/demo.git");
  EXPECT_EQ(sanitize_repository_uri("https://user:t0ken@github.com/acme/demo.git"),
            "https://github.com/acme/demo.git");
  EXPECT_EQ(sanitize_repository_uri("https://x-access-token:ghs_abc@github.com/acme/demo"),
            "https://github.com/acme/demo");
  EXPECT_EQ(sanitize_repository_uri("git@github.com:acme/demo.git"), "ssh://github.com/acme/demo.git");
  EXPECT_EQ(sanitize_repository_uri("ssh://git@gitlab.example.com:2222/team/repo.git"),
            "ssh://gitlab.example.com:2222/team/repo.git");
  EXPECT_EQ(sanitize_repository_uri("/srv/git/repo.git"), "file:///srv/git/repo.git");
  EXPECT_EQ(sanitize_repository_uri(""), "");
  EXPECT_EQ(sanitize_repository_uri("../relative/repo"), "");
}

TEST(SarifText, HelpNamesTheRuleAndTheFix) {
  Rule rule;
  rule.id = "aws.access-key-id";
  rule.name = "AWS access key ID";
  rule.description = "Identifies an AWS access key";
  rule.references = {"https://docs.aws.amazon.com/IAM/"};
  std::string text = sarif_help_text(rule);
  EXPECT_EQ(text.rfind("AWS access key ID (aws.access-key-id): a credential written into the source. "
                       "Identifies an AWS access key.\n\nTo fix it:\n1. Revoke or rotate",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("keyhound vault"), std::string::npos);
  EXPECT_NE(text.find("\n\nReferences:\n- https://docs.aws.amazon.com/IAM/"), std::string::npos) << text;
  std::string markdown = sarif_help_markdown(rule);
  EXPECT_EQ(markdown.rfind("**AWS access key ID** (`aws.access-key-id`)", 0), 0u) << markdown;
  EXPECT_NE(markdown.find("- <https://docs.aws.amazon.com/IAM/>"), std::string::npos) << markdown;
}

}  // namespace
}  // namespace keyhound
