#include "match/checks.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

Rule generic_rule() {
  Rule rule;
  rule.id = "generic.test";
  rule.tags = {"generic"};
  return rule;
}

const char* reason(std::string_view secret, const Rule& rule = generic_rule()) {
  const char* why = reason_not_a_secret(secret, rule);
  return why ? why : "";
}

TEST(Checks, NamesThatEndInACredentialWordButNameSomethingElse) {
  for (const char* name : {"cache_key", "primaryKey", "PUBLIC_KEY", "next_token", "csrfmiddlewaretoken",
                           "IdempotencyKey", "sort-key", "key", "ChangeToken", "dest_key"})
    EXPECT_TRUE(is_non_secret_name(name)) << name;
  for (const char* name : {"api_key", "stripeKey", "client_secret", "GITHUB_TOKEN", "db_password",
                           "X-Api-Key", "credentials", "secret_key", "private_key", "SessionToken"})
    EXPECT_FALSE(is_non_secret_name(name)) << name;
}

TEST(Checks, AGenericValueWithoutADigitMustBeLongAndVaried) {
  EXPECT_STREQ(reason("Tq!vLm#RzpWx&Kd"), "");  // upper, lower, symbol, 15 long
  EXPECT_STREQ(reason("ProcessingSecrets"), "no digit and not varied");
  EXPECT_STREQ(reason("my-Bitbucket-password"), "no digit and not varied");  // - is a name's separator
  EXPECT_STREQ(reason("Tq!vLm#Rz"), "no digit and not varied");              // too short
  Rule specific;
  specific.id = "acme.token";
  EXPECT_STREQ(reason("ProcessingSecrets", specific), "");  // only generic rules ask for variety
}

TEST(Checks, DottedNamesPathsAndFormatsAreNotGenericSecrets) {
  EXPECT_STREQ(reason("fs.s3.enableServerSideEncryption"), "a name or a path");
  EXPECT_STREQ(reason("my-app/22a0-stage-150819_185942.war"), "a name or a path");
  EXPECT_STREQ(reason("VS%0.f0COMNTOOLS"), "a format string");
  EXPECT_STREQ(
      reason(
          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmN3gzOHFsZWphMXYiLCJyb2xlIjoic2VydmljZSJ9.QnaKNRfJYA94k8DMmKgh"),
      "");  // a JWT's segments are not words
}

TEST(Checks, PublishedClientKeysAreNotGenericSecrets) {
  EXPECT_STREQ(
      reason(
          "pk.eyJ1IjoiZXhhbXBsZS1tYXBzIiwiYSI6ImNsdzRrZTlqbzBhZ2IyaXBtNnd4dGR0aWkifQ.Lr7xQ2bTn9Vw4Kd1Zp8mYc"),
      "a public client key");
  EXPECT_STREQ(reason("phc_Vb3qK8nTz2Lw9Xr4Jd7Mp1Yc6Hs0Gf5Ra2Qe8Ku3Nt"), "a public client key");
  EXPECT_STREQ(reason("pk_live_Q7w2K9x4M1z8R5t3Y6u0P2a9"), "a public client key");
  EXPECT_STREQ(
      reason(
          "sk.eyJ1IjoiZXhhbXBsZS1tYXBzIiwiYSI6ImNsdzRrZTlqbzBhZ2IyaXBtNnd4dGR0aWkifQ.Lr7xQ2bTn9Vw4Kd1Zp8mYc"),
      "");  // a Mapbox secret token
}

TEST(Checks, VariablesAreReferencesButCryptHashesAreNot) {
  EXPECT_STREQ(reason("$DB_PASSWORD"), "reference");
  EXPECT_STREQ(reason("$env:SVC_PASSWORD"), "reference");
  EXPECT_STREQ(reason("$y$j9T$Xk2bQ8rLzW1v$Pq7Lm3Nc9Rt5Vw2Yz8Ab4Cd6Ef0Gh1Ij3Kl5Mn7Op"), "");
}

}  // namespace
}  // namespace keyhound
