// One buffer through the scan pipeline: a one-blob source, then the same config filter,
// confidence, minimum and baseline steps as `keyhound scan --baseline`.
#include "lsp/workspace.hpp"

#include <algorithm>
#include <filesystem>

#include "baseline/apply.hpp"
#include "config/config.hpp"
#include "filter/filter.hpp"
#include "finding/confidence.hpp"
#include "pipeline/scan.hpp"
#include "source/blob.hpp"

namespace keyhound::lsp {
namespace {

namespace fs = std::filesystem;

// The buffer as the only blob of a scan.
class BufferSource : public Source {
 public:
  BufferSource(std::string_view bytes, std::string path) : bytes_(bytes), path_(std::move(path)) {}
  Status run(unsigned /*threads*/, BlobVisitor& visitor) override {
    Blob blob;
    blob.bytes = bytes_;
    blob.origin.path = path_;
    visitor.on_blob(0, blob);
    return Ok{};
  }

 private:
  std::string_view bytes_;
  std::string path_;
};

std::string human_size(std::uint64_t bytes) {
  if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

Workspace::Workspace(WorkspaceSettings settings) : settings_(std::move(settings)) {}

Status Workspace::warm_up() {
  auto matcher = matcher_for({});
  if (!matcher) return matcher.error();
  return Ok{};
}

void Workspace::forget_added_rules() {
  std::erase_if(matchers_, [](const auto& item) { return !item.first.empty(); });
}

Result<const Matcher*> Workspace::matcher_for(const std::vector<std::string>& extra_rule_paths) {
  auto found = matchers_.find(extra_rule_paths);
  if (found != matchers_.end()) return found->second.get();
  if (!settings_.load_matcher) return make_error("no rule loader");
  auto loaded = settings_.load_matcher(extra_rule_paths);
  if (!loaded) return loaded.error();
  const Matcher* matcher = loaded->get();
  matchers_.emplace(extra_rule_paths, std::move(*loaded));
  return matcher;
}

std::string Workspace::recorded_path(const std::string& path) const {
  if (settings_.root.empty() || path.empty()) return path;
  std::error_code ec;
  fs::path relative =
      fs::path(path).lexically_normal().lexically_relative(fs::path(settings_.root).lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return path;
  return relative.generic_string();
}

std::string Workspace::baseline_path() const {
  fs::path file = settings_.baseline_file.empty() ? fs::path(".keyhound-baseline.json")
                                                  : fs::path(settings_.baseline_file);
  if (file.is_absolute() || settings_.root.empty()) return file.string();
  return (fs::path(settings_.root) / file).string();
}

Result<std::optional<Baseline>> Workspace::read_workspace_baseline() const {
  std::string path = baseline_path();
  std::error_code ec;
  if (settings_.root.empty() && !fs::path(path).is_absolute()) return std::optional<Baseline>{};
  if (!fs::exists(path, ec)) return std::optional<Baseline>{};
  auto baseline = read_baseline(path);
  if (!baseline) return baseline.error();
  return std::optional<Baseline>(std::move(*baseline));
}

Result<BufferScan> Workspace::scan(const std::string& path, const std::string& name, std::string_view text,
                                   const std::string* key) {
  BufferScan out;
  if (text.size() > settings_.max_file_size) {
    out.not_scanned = "keyhound: not scanned: " + std::to_string(text.size()) +
                      " bytes is over --max-file-size (" + human_size(settings_.max_file_size) + ")";
    return out;
  }
  if (looks_binary(text)) {
    out.not_scanned = "keyhound: not scanned: binary (NUL bytes in the first block)";
    return out;
  }
  // Unsaved buffers have no folder: they get no repository config and no baseline.
  RepositoryConfig config;
  std::optional<Baseline> baseline;
  if (!path.empty()) {
    auto found = find_nearest_config(path);
    if (!found) return found.error();
    config = std::move(*found);
    auto read = read_workspace_baseline();
    if (!read) return read.error();
    baseline = std::move(*read);
    if (baseline && baseline->fingerprint_key.empty())
      return make_error(baseline_path() +
                        " is a version 1 baseline; run `keyhound baseline update` to re-key it");
  }
  auto matcher = matcher_for(config.rule_paths);
  if (!matcher) return matcher.error();
  const RuleList& rules = (*matcher)->rules();
  auto filter = FindingFilter::make(config, rules);
  if (!filter) return filter.error();

  ScanSettings scan_settings;
  scan_settings.threads = 1;
  scan_settings.honour_foreign_allow_comments = config.allow_foreign_comments;
  scan_settings.fingerprint_key = key        ? *key
                                  : baseline ? baseline->fingerprint_key
                                             : settings_.user_fingerprint_key;
  BufferSource source(text, path.empty() ? name : recorded_path(path));
  auto result = run_scan(source, **matcher, scan_settings);
  if (!result) return result.error();
  std::vector<Finding> findings = std::move(result->findings);
  filter->apply(findings);
  assess_findings(findings, rules, {});
  Confidence minimum = settings_.min_confidence.value_or(config.min_confidence.value_or(Confidence::medium));
  std::erase_if(findings, [&](const Finding& finding) { return finding.confidence < minimum; });
  std::map<std::string, std::string> states;
  if (baseline) {
    auto filtered = filter_by_baseline(std::move(findings), *baseline, [](const Finding&) { return true; });
    findings = std::move(filtered.reported);
    states = std::move(filtered.states);
  }
  for (auto& finding : findings) {
    std::fill(finding.secret.begin(), finding.secret.end(), '\0');
    finding.secret.clear();
    BufferFinding found;
    auto rule =
        std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == finding.rule_id; });
    found.rule = rule == rules.end() ? nullptr : &*rule;
    if (auto state = states.find(finding.fingerprint); state != states.end())
      found.baseline_state = state->second;
    found.finding = std::move(finding);
    out.findings.push_back(std::move(found));
  }
  return out;
}

}  // namespace keyhound::lsp
