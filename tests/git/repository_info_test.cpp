// The remote URL a report carries (SARIF repositoryUri) never holds a credential.
#include "git/repository_info.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

TEST(UrlWithoutCredentials, DropsUserinfoQueryAndFragment) {
  EXPECT_EQ(url_without_credentials("https://host/org/repo.git"), "https://host/org/repo.git");
  EXPECT_EQ(url_without_credentials("https://user:tok3n@host/org/repo.git"), "https://host/org/repo.git");
  EXPECT_EQ(url_without_credentials("https://host/repo.git?access_token=tok3n"), "https://host/repo.git");
  EXPECT_EQ(url_without_credentials("https://host/repo.git#tok3n"), "https://host/repo.git");
  EXPECT_EQ(url_without_credentials("https://u:p@ss@host/repo.git?x=1#y"), "https://host/repo.git");
  EXPECT_EQ(url_without_credentials("https://tok3n@host"), "https://host");
  EXPECT_EQ(url_without_credentials("ssh://git@host:22/repo.git"), "ssh://host:22/repo.git");
  EXPECT_EQ(url_without_credentials("git@host:org/repo.git"),
            "git@host:org/repo.git");  // scp form: a user name
}

}  // namespace
}  // namespace keyhound
