// fix_file's checks: it rewrites only the bytes the scan read, and says why not otherwise
// without ever quoting the file.
#include <gtest/gtest.h>

#include "fix/fix_test_support.hpp"

namespace keyhound {
namespace {

using testing::file_to_fix;
using testing::kFixKey;
using testing::kSecret;

const std::string kName = "keyhound/shop/stripe.secret-key/3f2a9c01d4e5b6a7";

TEST(FixFile, RefusesBytesWhoseBlobIdChangedSinceTheScan) {
  std::string scanned = "KEY = \"" + kSecret + "\"\n";
  FileToFix file = file_to_fix("app.py", scanned, {{kSecret, kName, ""}});
  std::string edited = "# edited\n" + scanned;
  auto fixed = fix_file(file, edited, kFixKey);
  ASSERT_FALSE(fixed);
  EXPECT_EQ(fixed.error().message,
            "app.py: changed since the scan (blob " + file.blob_id.substr(0, 12) + " recorded, " +
                git_blob_id(edited).substr(0, 12) +
                " now); nothing was changed in it: run `keyhound baseline update` and fix again");
  auto same = fix_file(file, scanned, kFixKey);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->after.find(kSecret), std::string::npos);
  EXPECT_EQ(same->diff.find(kSecret), std::string::npos);  // removed lines show it masked
  EXPECT_NE(same->diff.find("-KEY = \"to…t8\"\n"), std::string::npos) << same->diff;
}

TEST(FixFile, RefusesARangeThatDoesNotHoldItsSecret) {
  std::string text = "KEY = \"" + kSecret + "\"\n";
  FileToFix file = file_to_fix("app.py", text, {{kSecret, kName, ""}});
  file.secret_hmacs[0] = secret_hmac_of(kFixKey, "another value");
  auto fixed = fix_file(file, text, kFixKey);
  ASSERT_FALSE(fixed);
  EXPECT_EQ(fixed.error().message,
            "app.py: the recorded range 7-30 does not hold the secret " + kName + "; nothing was changed");
}

TEST(FixFile, RefusesTwoRecordedVersionsAndEncodedSecrets) {
  std::string text = "KEY = \"" + kSecret + "\"\n";
  FileToFix file = file_to_fix("app.py", text, {{kSecret, kName, ""}});
  file.blob_id.clear();
  auto two = fix_file(file, text, kFixKey);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().message,
            "app.py: the baseline records two different versions of it; run `keyhound baseline update` and "
            "fix again");
  Baseline baseline;
  BaselineEntry entry;
  entry.fingerprint = "0123456789abcdef";
  entry.status = TriageStatus::vaulted;
  entry.secret_name = kName;
  entry.locations.push_back({"k8s/secret.yaml", "", "ab", 3, 10, 20, 76, "base64"});
  entry.locations.push_back({"old.py", "c0ffee", "cd", 1, 1, 0, 10, ""});  // history: rotation's job
  baseline.entries[entry.fingerprint] = entry;
  auto files = files_to_fix(baseline);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "k8s/secret.yaml");
  std::string yaml(100, 'x');
  files[0].blob_id = git_blob_id(yaml);
  auto encoded = fix_file(files[0], yaml, kFixKey);
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.error().message, "k8s/secret.yaml: the secret " + kName +
                                         " is encoded there (base64, escapes); rewrite it by hand");
}

TEST(FixFile, FilesToFixGroupsVaultedWorkTreeLocationsByPath) {
  Baseline baseline;
  auto add = [&](const std::string& fingerprint, TriageStatus status, const std::string& path,
                 std::uint64_t start) {
    BaselineEntry& entry = baseline.entries[fingerprint];
    entry.fingerprint = fingerprint;
    entry.status = status;
    entry.secret_name = "keyhound/x/" + fingerprint;
    entry.secret_hmac = "h" + fingerprint;
    entry.locations.push_back({path, "", "blob-" + path, 1, 1, start, start + 10, ""});
  };
  add("aaaaaaaaaaaaaaaa", TriageStatus::vaulted, "b.py", 40);
  add("bbbbbbbbbbbbbbbb", TriageStatus::vaulted, "b.py", 5);
  add("cccccccccccccccc", TriageStatus::vaulted, "a.env", 7);
  add("dddddddddddddddd", TriageStatus::confirmed, "a.env", 30);  // not vaulted: nothing to read instead
  auto files = files_to_fix(baseline);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "a.env");
  ASSERT_EQ(files[0].sites.size(), 1u);
  EXPECT_EQ(files[0].sites[0].secret_name, "keyhound/x/cccccccccccccccc");
  EXPECT_EQ(files[1].path, "b.py");
  EXPECT_EQ(files[1].blob_id, "blob-b.py");
  ASSERT_EQ(files[1].sites.size(), 2u);
  EXPECT_EQ(files[1].secret_hmacs, (std::vector<std::string>{"haaaaaaaaaaaaaaaa", "hbbbbbbbbbbbbbbbb"}));
  EXPECT_EQ(files[1].sites[0].identifier, "secret_aaaaaaaa");
  auto only = files_to_fix(baseline, {"cccccccccccccccc"});
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].path, "a.env");
}

}  // namespace
}  // namespace keyhound
