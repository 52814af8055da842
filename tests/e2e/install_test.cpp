// Install rules and the .deb: what `cmake --install` puts where, and a package whose Depends
// names the runtime libraries and whose binary runs once unpacked.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

using namespace testing;
namespace fs = std::filesystem;

// The build tree: where the binary is.
const std::string kBuildDir = fs::path(KEYHOUND_BIN).parent_path().string();

const std::vector<std::string> kInstalledFiles = {
    "bin/keyhound",
    "share/man/man1/keyhound.1",
    "share/bash-completion/completions/keyhound",
    "share/zsh/vendor-completions/_keyhound",
    "share/fish/vendor_completions.d/keyhound.fish",
    "share/doc/keyhound/README.md",
    "share/doc/keyhound/ci.md",
    "share/doc/keyhound/git.md",
};

TEST(Install, PutsTheBinaryManPageCompletionsAndDocsUnderThePrefix) {
  TempDir prefix;
  auto installed = run_command("cmake --install " + shell_quote(kBuildDir) + " --prefix " +
                               shell_quote(prefix.str() + "/usr"));
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  for (const auto& file : kInstalledFiles)
    EXPECT_TRUE(fs::is_regular_file(prefix.path() / "usr" / file)) << file;
  EXPECT_EQ(read_text(prefix.path() / "usr/share/bash-completion/completions/keyhound"),
            run_keyhound({"completion", "bash"}).out);
  auto version = run_command(shell_quote(prefix.str() + "/usr/bin/keyhound") + " --version");
  EXPECT_EQ(version.out, "keyhound " KEYHOUND_VERSION "\n");
}

TEST(Package, DebDependsOnTheRuntimeLibrariesAndHoldsEverything) {
  TempDir work;
  auto packed = run_command("cpack --config " + shell_quote(kBuildDir + "/CPackConfig.cmake") + " -B " +
                            shell_quote(work.str()));
  ASSERT_EQ(packed.exit_code, 0) << packed.out << packed.err;
  std::string deb = work.str() + "/keyhound_" KEYHOUND_VERSION "_amd64.deb";
  ASSERT_TRUE(fs::exists(deb)) << packed.out;

  std::string depends = run_command("dpkg-deb --field " + shell_quote(deb) + " Depends").out;
  // The package of every shared library the binary loads (dpkg-shlibdeps' work; with
  // KEYHOUND_STATIC_DEPS only libc, libm and mimalloc), and libcurl, which the vault loads itself.
  std::vector<std::string> libraries = {"libcurl4"};
  std::istringstream loaded(run_command("ldd " + shell_quote(KEYHOUND_BIN)).out);
  for (std::string line; std::getline(loaded, line);) {
    std::size_t arrow = line.find("=> /");
    if (arrow == std::string::npos) continue;
    std::string path = line.substr(arrow + 3, line.find(" (", arrow) - arrow - 3);
    // Registered under /lib or /usr/lib (merged /usr), or as the file a symlink names.
    std::string quoted = shell_quote(path);
    std::string owner = run_command("dpkg -S " + quoted + " 2>/dev/null || dpkg -S /usr" + quoted +
                                    " 2>/dev/null || dpkg -S \"$(readlink -f " + quoted + ")\"")
                            .out;
    ASSERT_NE(owner.find(':'), std::string::npos) << path << ": " << owner;
    libraries.push_back(owner.substr(0, owner.find(':')));
  }
  ASSERT_GE(libraries.size(), 2u);  // libc at least
  for (const auto& library : libraries)
    EXPECT_NE(depends.find(library), std::string::npos) << library << " missing from Depends: " << depends;
  EXPECT_EQ(run_command("dpkg-deb --field " + shell_quote(deb) + " Package").out, "keyhound\n");

  std::string contents = run_command("dpkg-deb --contents " + shell_quote(deb)).out;
  for (const auto& file : kInstalledFiles)
    EXPECT_NE(contents.find("./usr/" + file + "\n"), std::string::npos) << file << " not in the package";

  // Unpacked into a root of its own, the binary runs against the system's libraries.
  auto unpacked = run_command("dpkg-deb -x " + shell_quote(deb) + " " + shell_quote(work.str() + "/root"));
  ASSERT_EQ(unpacked.exit_code, 0) << unpacked.err;
  auto ran = run_command("KEYHOUND_CACHE_DIR=" + shell_quote(KEYHOUND_TEST_CACHE_DIR) + " " +
                         shell_quote(work.str() + "/root/usr/bin/keyhound") + " version");
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out.rfind("keyhound " KEYHOUND_VERSION "\n", 0), 0u) << ran.out;
}

}  // namespace
}  // namespace keyhound
