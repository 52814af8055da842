// The command-line pieces integrations rely on: --exit-code, foreign allow comments, `version`,
// shell completions and the man page, atomic-write temp files, `rules import-gitleaks`.
#include <git2.h>
#include <hs/hs.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "e2e/git_test_repo.hpp"

namespace keyhound {
namespace {

using namespace testing;
namespace fs = std::filesystem;

const std::string kKey = "AKIAGV4XQ2RJ7NZ5TKMW";  // synthetic

TEST(ExitCode, FindingsUseTheGivenCodeAndACleanScanStaysZero) {
  TempDir dir;
  dir.write("dirty/app.env", "aws_access_key_id = " + kKey + "\n");
  dir.write("clean/app.env", "MODE=dev\n");
  EXPECT_EQ(run_keyhound({"scan", "--exit-code", "3", "dirty"}, dir.str()).exit_code, 3);
  EXPECT_EQ(run_keyhound({"scan", "--exit-code", "0", "dirty"}, dir.str()).exit_code, 0);
  EXPECT_EQ(run_keyhound({"scan", "--exit-code", "3", "clean"}, dir.str()).exit_code, 0);
  auto two = run_keyhound({"scan", "--exit-code", "2", "dirty"}, dir.str());
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_EQ(two.err, "keyhound: error: --exit-code: 2 means an error; pick another code (e.g. 3)\n");
  EXPECT_EQ(run_keyhound({"scan", "--exit-code", "256", "dirty"}, dir.str()).exit_code, 2);
}

TEST(ForeignAllowComments, HonouredOnlyWhenTheConfigSaysSo) {
  TempDir dir;
  const std::vector<std::string> lines = {
      "a = '" + kKey + "'  # gitleaks:allow\n", "b = '" + kKey + "'  // trufflehog:ignore\n",
      "c = '" + kKey + "'  # pragma: allowlist secret\n", "d = '" + kKey + "'  # kingfisher:ignore\n",
      "e = '" + kKey + "'  # gitleaks:allowed is not the marker\n"};
  std::string text;
  for (const auto& line : lines) text += line;
  dir.write("repo/keys.py", text);
  auto lines_reported = [&](const CommandResult& result) {
    std::vector<int> out;
    auto report = nlohmann::json::parse(result.out, nullptr, false);
    if (report.is_discarded()) return std::vector<int>{-1};
    for (const auto& finding : report["findings"])
      for (const auto& location : finding["locations"]) out.push_back(location["line"]);
    return out;
  };
  auto off = run_keyhound({"scan", "--format", "json", "repo"}, dir.str());
  EXPECT_EQ(lines_reported(off), (std::vector<int>{1, 2, 3, 4, 5})) << off.err;
  dir.write("repo/.keyhound.yml", "allow_foreign_comments: true\n");
  auto on = run_keyhound({"scan", "--format", "json", "repo"}, dir.str());
  EXPECT_EQ(lines_reported(on), (std::vector<int>{5})) << on.err;
}

TEST(Version, NamesTheRuleSetAndTheLibraries) {
  auto version = run_keyhound({"version"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  auto listed = run_keyhound({"rules", "list"});
  std::string count = listed.out.substr(listed.out.rfind('\n', listed.out.size() - 2) + 1);
  count = count.substr(0, count.find(' '));
  int major = 0, minor = 0, revision = 0;
  git_libgit2_version(&major, &minor, &revision);
  std::regex expected("keyhound " KEYHOUND_VERSION "\nrules: " + count +
                      " built-in, set [0-9a-f]{16}\nhyperscan: " +
                      std::regex_replace(hs_version(), std::regex(R"([.()\[\]+*?])"), R"(\$&)") +
                      "\nlibgit2: " + std::to_string(major) + "\\." + std::to_string(minor) + "\\." +
                      std::to_string(revision) + "\n");
  EXPECT_TRUE(std::regex_match(version.out, expected)) << version.out;
  EXPECT_EQ(run_keyhound({"version"}).out, version.out);  // the hash is stable
}

// Completion scripts, run by the real shells: what each offers after a few typed words.
std::string script_file(const TempDir& dir, const std::string& shell) {
  auto result = run_keyhound({"completion", shell});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return dir.write("keyhound." + shell, result.out).string();
}

TEST(Completion, BashOffersSubcommandsOptionsAndFiles) {
  TempDir dir;
  std::string script = script_file(dir, "bash");
  auto complete = [&](const std::string& words, int current) {
    return run_command("cd " + shell_quote(dir.str()) + " && bash -c " +
                       shell_quote("source " + shell_quote(script) + "; COMP_WORDS=(" + words +
                                   "); COMP_CWORD=" + std::to_string(current) +
                                   "; _keyhound; printf '%s\\n' \"${COMPREPLY[@]}\""))
        .out;
  };
  EXPECT_EQ(complete("keyhound sc", 1), "scan\n");
  EXPECT_EQ(complete("keyhound rules i", 2), "import-gitleaks\n");
  EXPECT_EQ(complete("keyhound scan --exit", 2), "--exit-code\n");
  EXPECT_EQ(complete("keyhound completion --h", 2), "--help\n");
  EXPECT_EQ(complete("keyhound scan --output keyhound.b", 3), "keyhound.bash\n");  // a file after --output
}

TEST(Completion, ZshOffersTheSameWords) {
  TempDir dir;
  std::string script = script_file(dir, "zsh");
  // compsys is not loaded in `zsh -c`: compadd and _files print what they were given.
  auto result = run_command(
      "zsh -f -c " + shell_quote("compadd() { print -r -- \"$@\"; }; _files() { print FILES; }; "
                                 "compdef() { print compdef \"$@\"; }; source " +
                                 shell_quote(script) + "; words=(keyhound rules ''); CURRENT=3; _keyhound"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "compdef _keyhound keyhound\n-- list check import-gitleaks --help -h\n")
      << result.err;
}

TEST(Completion, FishOffersTheSameWords) {
  TempDir dir;
  std::string script = script_file(dir, "fish");
  auto result = run_command("HOME=" + shell_quote(dir.str()) + " fish --no-config -c " +
                            shell_quote("source " + shell_quote(script) + "; complete -C 'keyhound rules '"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "check\nimport-gitleaks\nlist\n") << result.err;  // fish sorts them
}

TEST(ManPage, RendersWithoutWarningsAndListsEveryCommand) {
  TempDir dir;
  auto page = run_keyhound({"manpage"});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  std::string file = dir.write("keyhound.1", page.out).string();
  auto rendered = run_command("groff -man -Tascii -P-cbou -ww " + shell_quote(file));
  EXPECT_EQ(rendered.exit_code, 0);
  EXPECT_EQ(rendered.err, "");
  for (const char* expected :
       {"keyhound scan [OPTIONS] [paths]", "keyhound rules import-gitleaks [OPTIONS] [file]",
        "keyhound completion [OPTIONS] [shell]", "--exit-code N", "--memory-limit SIZE", "EXIT STATUS"})
    EXPECT_NE(rendered.out.find(expected), std::string::npos) << expected << " not in\n" << rendered.out;
  EXPECT_EQ(page.out.find("manpage"), std::string::npos);  // the hidden command stays hidden
}

TEST(AtomicWriteTemps, AreIgnoredByScansAndRemovedOnceTheirWriterIsGone) {
  TempDir dir;
  // A writer killed with -9 mid-write leaves its temp file (here: a finished shell's pid).
  std::string dead_pid = run_command("sh -c 'echo $$'").out;
  dead_pid.pop_back();
  // ".NAME.keyhound-tmp-PID-XXXXXX" beside NAME, here NAME = .keyhound-baseline.json.
  std::string stale = "..keyhound-baseline.json.keyhound-tmp-" + dead_pid + "-Ab12Cd";
  std::string live = "..keyhound-baseline.json.keyhound-tmp-" + std::to_string(::getpid()) + "-Ef34Gh";
  dir.write("repo/" + stale, "aws_access_key_id = " + kKey + "\n");
  dir.write("repo/" + live, "{}");
  dir.write("repo/app.env", "MODE=dev\n");
  auto scanned = run_keyhound({"scan", "repo"}, dir.str());
  EXPECT_EQ(scanned.exit_code, 0) << scanned.out;  // the temp file's key is not a finding
  auto created = run_keyhound({"baseline", "create"}, dir.str() + "/repo");
  EXPECT_EQ(created.exit_code, 0) << created.err;
  EXPECT_FALSE(fs::exists(dir.path() / "repo" / stale));
  EXPECT_TRUE(fs::exists(dir.path() / "repo" / live));  // its writer is still running
  EXPECT_TRUE(fs::exists(dir.path() / "repo" / ".keyhound-baseline.json"));
}

TEST(ImportGitleaksCli, WritesRulesThatFindTheTeamsTokenAndRefusesWhatDoesNotTranslate) {
  TempDir dir;
  dir.write(
      "gitleaks.toml",
      "[[rules]]\nid = 'acme-token'\ndescription = 'Acme token'\nregex = '''acme_(?<t>[a-z0-9]{24})'''\n"
      "secretGroup = 1\n[[rules]]\nid = 'pem-files'\npath = '''\\.pem$'''\n");
  auto refused = run_keyhound({"rules", "import-gitleaks", "gitleaks.toml", "-o", "acme.yml"}, dir.str());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("error: gitleaks.toml:6: rule pem-files: has no regex"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(dir.path() / "acme.yml"));  // nothing half-written
  auto converted = run_keyhound(
      {"rules", "import-gitleaks", "gitleaks.toml", "-o", "acme.yml", "--skip-untranslatable"}, dir.str());
  EXPECT_EQ(converted.exit_code, 0) << converted.err;
  EXPECT_NE(converted.err.find("1 rule(s) converted"), std::string::npos) << converted.err;
  dir.write("src/app.txt", "token acme_q7w2e9r4t6y1u3i8o5p0a2s4\n");
  auto scan = run_keyhound({"scan", "--format", "jsonl", "--no-builtin-rules", "--rules", "acme.yml", "src"},
                           dir.str());
  EXPECT_EQ(scan.exit_code, 1) << scan.err;
  EXPECT_NE(scan.out.find("\"rule_id\":\"custom.acme-token\""), std::string::npos) << scan.out;
}

}  // namespace
}  // namespace keyhound
