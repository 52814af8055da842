// A git repository built with the real `git` command in a temp dir, with fixed identities and
// dates so commit ids are the same on every run; and helpers to read keyhound's JSON reports.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/support.hpp"

namespace keyhound::testing {

// Synthetic AWS access key ids (random base32, made for these tests).
inline constexpr const char* kGitKeyA = "AKIARGMX5H56IDQH2SQK";
inline constexpr const char* kGitKeyB = "AKIAQCUBZJJQ6UP52KQV";
inline constexpr const char* kGitKeyC = "AKIAAZKDC74M2V74WDCP";
inline constexpr const char* kGitKeyD = "AKIAUR5OY7JL4SOIXR2I";

// A .env line holding `key`.
inline std::string key_line(const char* key) {
  return std::string("AWS_ACCESS_KEY_ID=") + key + "\n";
}

// Neither the machine's nor the user's git configuration may change what the tests build.
inline const std::string kGitEnv = "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null ";

class GitRepo {
 public:
  explicit GitRepo(const std::string& init_args = "") {
    git("init -q -b main " + init_args + " .");
    git("config user.name 'Alice Example'");
    git("config user.email alice@example.com");
    git("config commit.gpgsign false");
  }
  std::string str() const { return dir_.str(); }
  const TempDir& dir() const { return dir_; }
  void write(const std::string& path, const std::string& content) const { dir_.write(path, content); }

  // Runs git in the repository; the commit date advances one minute per commit.
  std::string git(const std::string& args, const std::string& extra_env = "") {
    std::string date = std::to_string(1700000000 + 60 * commits_) + " +0000";
    auto result =
        run_command("cd " + shell_quote(str()) + " && " + kGitEnv + "GIT_AUTHOR_DATE=" + shell_quote(date) +
                    " GIT_COMMITTER_DATE=" + shell_quote(date) + " " + extra_env + " git " + args);
    EXPECT_EQ(result.exit_code, 0) << "git " << args << "\n" << result.err;
    std::string out = result.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  // Stages everything and commits; returns the new commit's id.
  std::string commit(const std::string& message) {
    git("add -A");
    git("commit -q --allow-empty -m " + shell_quote(message));
    ++commits_;
    return git("rev-parse HEAD");
  }
  // Advances the clock for commits made by git() directly (merges, stashes).
  void tick() { ++commits_; }

 private:
  TempDir dir_;
  int commits_ = 1;
};

// keyhound's JSON report of a scan; checks the exit code.
inline nlohmann::json scan_report(const std::vector<std::string>& args, int expected_exit,
                                  const std::string& cwd = "", std::string* err = nullptr) {
  std::vector<std::string> full = {"scan", "--format", "json"};
  full.insert(full.end(), args.begin(), args.end());
  auto result = run_keyhound(full, cwd);
  EXPECT_EQ(result.exit_code, expected_exit) << result.err;
  if (err) *err = result.err;
  if (result.out.empty()) return nlohmann::json::object();
  return nlohmann::json::parse(result.out);
}

// One line per location of the aws.access-key-id findings:
// "path:line:column commit-id author <email> | summary" (the commit part only for history).
inline std::vector<std::string> key_locations(const nlohmann::json& report) {
  std::vector<std::string> out;
  for (const auto& finding : report.value("findings", nlohmann::json::array())) {
    if (finding["rule_id"] != "aws.access-key-id") continue;
    for (const auto& at : finding["locations"]) {
      std::string line = at["path"].get<std::string>() + ":" + std::to_string(at["line"].get<int>()) + ":" +
                         std::to_string(at["column"].get<int>());
      if (at.contains("commit")) {
        const auto& commit = at["commit"];
        line += " " + commit["id"].get<std::string>() + " " + commit["author_name"].get<std::string>() +
                " <" + commit["author_email"].get<std::string>() + "> | " +
                commit["summary"].get<std::string>();
      }
      out.push_back(line);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline int key_findings(const nlohmann::json& report) {
  int count = 0;
  for (const auto& finding : report.value("findings", nlohmann::json::array()))
    count += finding["rule_id"] == "aws.access-key-id";
  return count;
}

}  // namespace keyhound::testing
