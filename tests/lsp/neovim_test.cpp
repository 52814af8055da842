// A real editor as the client: headless Neovim (Debian's neovim) opens a file with a planted key,
// starts `keyhound lsp` through its built-in LSP client, and vim.diagnostic.get() must return
// keyhound's diagnostic at the key's exact place. Neovim runs with no user config and with HOME
// and every XDG folder in a temp dir.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "finding/finding.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

const std::string kNeovimKey = "AKIAW2MQ7ZT4XRKN5HJB";  // synthetic

// vim.lsp.start_client + buf_attach_client: Neovim 0.7 (Debian bookworm) has no vim.lsp.start.
constexpr const char* kScript = R"lua(
local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.KH_FILE))
  local client = vim.lsp.start_client({ name = 'keyhound', cmd = { vim.env.KH_BIN, 'lsp' },
                                        root_dir = vim.env.KH_ROOT })
  vim.lsp.buf_attach_client(0, client)
  local found = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 20)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
                        severity = d.severity, source = d.source, message = d.message,
                        code = d.code or lsp.code })
  end
  vim.lsp.stop_client(client)
  return { found = found, diagnostics = out }
end
local ok, result = pcall(run)
if not ok then result = { error = tostring(result) } end
local file = io.open(vim.env.KH_OUT, 'w')
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd('qa!')
)lua";

TEST(Neovim, HeadlessNeovimShowsKeyhoundsDiagnostic) {
  if (testing::run_command("command -v nvim").exit_code != 0)
    GTEST_SKIP() << "neovim is not installed: apt install neovim (scripts/setup.sh --tests installs it)";
  testing::TempDir dir;
  std::string home = (dir.path() / "home").string();
  for (const char* folder : {"home", "config", "data", "state", "cache", "run"})
    std::filesystem::create_directories(dir.path() / folder);
  std::filesystem::permissions(dir.path() / "run", std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  std::filesystem::create_directories(dir.path() / "project");
  // Non-ASCII before the key: Neovim converts keyhound's UTF-16 columns to its byte columns.
  // A shell file: Neovim's Python ftplugin would run python3 to find sys.path.
  auto file = dir.write("project/deploy.sh", "# réglages 🎉\nNAME=\"café🎉\"; KEY=\"" + kNeovimKey + "\"\n");
  auto script = dir.write("check.lua", kScript);
  std::string out = (dir.path() / "out.json").string();
  std::string command =
      "cd " + testing::shell_quote((dir.path() / "project").string()) +
      " && env HOME=" + testing::shell_quote(home) +
      " XDG_CONFIG_HOME=" + testing::shell_quote((dir.path() / "config").string()) +
      " XDG_DATA_HOME=" + testing::shell_quote((dir.path() / "data").string()) +
      " XDG_STATE_HOME=" + testing::shell_quote((dir.path() / "state").string()) +
      " XDG_CACHE_HOME=" + testing::shell_quote((dir.path() / "cache").string()) +
      " XDG_RUNTIME_DIR=" + testing::shell_quote((dir.path() / "run").string()) +
      " XDG_CONFIG_DIRS= XDG_DATA_DIRS=/usr/share KEYHOUND_CACHE_DIR=" +
      testing::shell_quote(KEYHOUND_TEST_CACHE_DIR) + " KH_BIN=" + testing::shell_quote(KEYHOUND_BIN) +
      " KH_ROOT=" + testing::shell_quote((dir.path() / "project").string()) +
      " KH_FILE=" + testing::shell_quote(file.string()) + " KH_OUT=" + testing::shell_quote(out) +
      " timeout 90 nvim --headless --clean -u NONE -i NONE -n -c " +
      testing::shell_quote("luafile " + script.string());
  auto ran = testing::run_command(command);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  auto result = nlohmann::json::parse(testing::read_text(out));
  ASSERT_FALSE(result.contains("error")) << result.dump();
  ASSERT_EQ(result["found"], true) << result.dump();
  ASSERT_EQ(result["diagnostics"].size(), 1u) << result.dump();
  const auto& diagnostic = result["diagnostics"][0];
  // Line 1 (0-based), byte columns: `NAME="café🎉"; KEY="` is 23 bytes (20 UTF-16 units).
  EXPECT_EQ(diagnostic["lnum"], 1);
  EXPECT_EQ(diagnostic["col"], 23);
  EXPECT_EQ(diagnostic["end_lnum"], 1);
  EXPECT_EQ(diagnostic["end_col"], 43);
  EXPECT_EQ(diagnostic["severity"], 1);  // vim.diagnostic.severity.ERROR
  EXPECT_EQ(diagnostic["source"], "keyhound");
  EXPECT_EQ(diagnostic["code"], "aws.access-key-id");
  EXPECT_EQ(diagnostic["message"], "AWS access key ID: " + mask_secret(kNeovimKey) + " (confidence high)");
}

}  // namespace
}  // namespace keyhound
