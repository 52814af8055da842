// End to end: a history whose blobs are stored as deltas is scanned incrementally (only what
// each delta changed is re-checked). The result must equal scanning every blob whole, as files.
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include "e2e/git_test_repo.hpp"

namespace keyhound {
namespace {

using namespace testing;
using Spot = std::tuple<std::string, std::string, std::int64_t, std::int64_t>;  // blob, rule, start, end

// Synthetic credentials of a few shapes, made from a seeded generator.
class Fakes {
 public:
  std::string aws_key() { return "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16); }
  std::string github_token() {
    return "ghp_" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);
  }
  std::string password() {
    return pick("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 10) + "7!";
  }
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

 private:
  std::string pick(const std::string& alphabet, int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out += alphabet[below(alphabet.size())];
    return out;
  }
  std::mt19937_64 random_{20261129};
};

std::set<Spot> spots(const nlohmann::json& report, bool by_file_name) {
  std::set<Spot> out;
  for (const auto& finding : report.value("findings", nlohmann::json::array()))
    for (const auto& at : finding["locations"]) {
      std::string blob = by_file_name
                             ? std::filesystem::path(at["path"].get<std::string>()).filename().string()
                             : at["blob_id"].get<std::string>();
      out.insert({blob, finding["rule_id"], at["start_offset"], at["end_offset"]});
    }
  return out;
}

TEST(GitDeltaScan, DeltaBlobsGiveWhatWholeBlobsGive) {
  GitRepo repo;
  Fakes fakes;
  // A config file edited in every commit: lines inserted, deleted and changed next to secrets,
  // secrets added, cut in two, moved; one big enough that edits land far from each other.
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i)
    lines.push_back("setting_" + std::to_string(i) + " = value number " + std::to_string(i));
  for (int commit = 0; commit < 40; ++commit) {
    for (int edit = 0; edit < 4; ++edit) {
      std::size_t at = fakes.below(lines.size());
      switch (fakes.below(6)) {
        case 0:
          lines.insert(lines.begin() + at, "aws_access_key_id = " + fakes.aws_key());
          break;
        case 1:
          lines.insert(lines.begin() + at, "token: " + fakes.github_token());
          break;
        case 2:
          lines.insert(lines.begin() + at, "DB_PASSWORD=" + fakes.password());
          break;
        case 3:
          lines.erase(lines.begin() + at);
          break;
        case 4:
          lines[at] = lines[at].substr(0, lines[at].size() / 2);
          break;  // cuts a secret short
        case 5:
          lines[at] += " # keyhound:allow";
          break;
      }
    }
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    repo.write("config/app.conf", text);
    repo.write("small.txt", "id " + std::to_string(commit) + " key " + fakes.aws_key() + "\n");
    repo.commit("edit " + std::to_string(commit));
  }
  repo.git("repack -q -a -d -f --depth=50 --window=20");
  // The pack must really hold blob deltas, or this test checks nothing.
  std::string verify = repo.git("verify-pack -v .git/objects/pack/*.idx");
  std::size_t delta_blobs = 0;
  std::istringstream rows(verify);
  for (std::string row; std::getline(rows, row);)
    if (row.find(" blob ") != std::string::npos && std::count(row.begin(), row.end(), ' ') >= 6)
      ++delta_blobs;
  EXPECT_GT(delta_blobs, 30u);

  auto history = scan_report({"--git", repo.str()}, 1);
  // Every blob written out as a file named by its id, scanned whole.
  TempDir blobs;
  std::istringstream ids(
      repo.git("cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)'"));
  for (std::string id, type; ids >> id >> type;)
    if (type == "blob") blobs.write(id, repo.git("cat-file blob " + id) + "\n");
  auto whole = scan_report({blobs.str()}, 1);
  // cat-file output lost each blob's final newline to git(); the files got one back, which
  // moves no offsets of what precedes it.
  auto from_history = spots(history, false);
  EXPECT_EQ(from_history, spots(whole, true));
  EXPECT_GT(from_history.size(), 100u);
}

}  // namespace
}  // namespace keyhound
