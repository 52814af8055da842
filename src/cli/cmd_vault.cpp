// keyhound vault [PATH]: moves confirmed secrets into AWS Secrets Manager, recording each in
// the baseline as soon as it is safe there, and shows how the code should fetch it instead.
#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "util/time_format.hpp"
#include "baseline/baseline.hpp"
#include "cli/common.hpp"
#include "cli/scan_options.hpp"
#include "source/git.hpp"
#include "vault/credentials.hpp"
#include "vault/plan.hpp"
#include "vault/remediation.hpp"
#include "vault/secret_reader.hpp"
#include "vault/vault.hpp"
#include "vault/vault_run.hpp"

namespace keyhound::cli {
namespace {

using Json = nlohmann::ordered_json;

struct VaultOptions {
  std::string path = ".";
  std::string baseline;  // default PATH/.keyhound-baseline.json
  std::vector<std::string> fingerprints;
  bool interactive = false;
  PlanSettings plan;
  VaultSettings vault;
  AwsOverrides aws;
  bool dry_run = false;
  std::string format = "text";
  bool verbose = false;
  bool only_live = false;  // --only-live: vault only what its provider says still works
};

using Row = VaultRow;

std::string now_iso8601() {
  return format_utc(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ");
}

std::string repo_name(const std::string& path) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::weakly_canonical(path, ec);
  if (auto info = describe_repository(path)) root = info->root;
  std::string name = root.filename().string();
  if (name.empty() || name == ".git") name = root.parent_path().filename().string();
  return name.empty() ? "repo" : name;
}

// y/n/a/q over the candidates, on the terminal; `a` takes the rest without asking.
std::vector<std::string> prompt_for(const Baseline& baseline, const std::vector<std::string>& candidates) {
  std::vector<std::string> chosen;
  bool all = false;
  for (const auto& fingerprint : candidates) {
    const BaselineEntry& entry = baseline.entries.at(fingerprint);
    if (!all) {
      std::cerr << fmt::format("\n{}  {}  {}  [{}]\n", fingerprint, entry.rule_id, entry.masked,
                               to_string(entry.status));
      for (const auto& location : entry.locations)
        std::cerr << fmt::format(
            "  {}:{}:{}{}\n", location.path, location.line, location.column,
            location.commit.empty() ? "" : " (commit " + location.commit.substr(0, 12) + ")");
      std::string answer;
      for (;;) {
        std::cerr << "Vault this secret? [y]es, [n]o, [a]ll remaining, [q]uit: " << std::flush;
        if (!std::getline(std::cin, answer)) return chosen;
        if (answer == "y" || answer == "n" || answer == "a" || answer == "q") break;
      }
      if (answer == "q") return chosen;
      if (answer == "n") continue;
      if (answer == "a") all = true;
    }
    chosen.push_back(fingerprint);
  }
  return chosen;
}

void print_summary(const std::vector<Row>& rows, std::ostream& out) {
  std::map<std::string, int> counts;
  for (const auto& row : rows) ++counts[to_string(row.status)];
  std::string line;
  for (const auto& [status, count] : counts)
    line += fmt::format("{}{} {}", line.empty() ? "" : ", ", count, status);
  out << "vault: " << line << '\n';
}

void print_text(const std::vector<Row>& rows, bool dry_run, std::ostream& out) {
  for (const auto& row : rows) {
    const PlannedSecret& planned = *row.planned;
    out << fmt::format("{:<16} {}  {}  {}\n", to_string(row.status), planned.fingerprint, planned.rule_id,
                       planned.masked);
    out << fmt::format("  secret name: {}\n", planned.secret_name);
    if (!row.arn.empty()) out << fmt::format("  arn: {}\n", row.arn);
    if (!planned.source.empty()) out << fmt::format("  found at: {}\n", planned.source);
    if (dry_run) {
      out << "  tags:";
      for (const auto& [key, value] : planned.tags) out << fmt::format(" {}={}", key, value);
      out << '\n';
    }
    if (row.status == RowStatus::vaulted || row.status == RowStatus::already_vaulted ||
        row.status == RowStatus::updated || dry_run) {
      Remediation fix = remediation_for(planned.secret_name, planned.source_path);
      out << "  fetch it at run time through the Secrets Manager Agent:\n    " << fix.agent_command << '\n';
      out << fmt::format("  or with the SDK ({}):\n", fix.language);
      std::size_t begin = 0;
      while (begin <= fix.snippet.size()) {
        std::size_t end = fix.snippet.find('\n', begin);
        if (end == std::string::npos) end = fix.snippet.size();
        out << "    " << fix.snippet.substr(begin, end - begin) << '\n';
        begin = end + 1;
      }
      out << "  then remove the secret from the code and rotate it: it stays in the git history.\n";
    }
  }
}

Json to_json(const std::vector<Row>& rows, bool dry_run) {
  Json out;
  out["dry_run"] = dry_run;
  auto& results = out["results"] = Json::array();
  std::map<std::string, int> counts;
  for (const auto& row : rows) {
    const PlannedSecret& planned = *row.planned;
    Remediation fix = remediation_for(planned.secret_name, planned.source_path);
    Json item = {{"fingerprint", planned.fingerprint},
                 {"rule_id", planned.rule_id},
                 {"masked", planned.masked},
                 {"status", to_string(row.status)},
                 {"secret_name", planned.secret_name}};
    if (!row.arn.empty()) item["secret_arn"] = row.arn;
    item["source"] = planned.source;
    if (!row.error.empty()) item["error"] = row.error;
    item["tags"] = Json::object();
    for (const auto& [key, value] : planned.tags) item["tags"][key] = value;
    item["remediation"] = {
        {"agent_command", fix.agent_command}, {"language", fix.language}, {"snippet", fix.snippet}};
    results.push_back(item);
    ++counts[to_string(row.status)];
  }
  out["summary"] = counts;
  return out;
}

// --only-live: scans PATH again (its history when the baseline's entries name commits) with
// --verify, and keeps the chosen fingerprints whose secrets the provider accepted.
Result<std::vector<std::string>> keep_live(const VaultOptions& options, const Baseline& baseline,
                                           const std::vector<std::string>& pending) {
  ScanOptions scan;
  scan.paths = {options.path};
  for (const auto& fingerprint : pending) {
    auto entry = baseline.entries.find(fingerprint);
    if (entry == baseline.entries.end()) continue;
    for (const auto& location : entry->second.locations) scan.git |= !location.commit.empty();
  }
  scan.verify = true;
  scan.quiet = true;
  scan.min_confidence = "low";  // a confirmed entry is verified whatever its confidence
  auto outcome = scan_with_options(scan);
  if (!outcome) return make_error("--only-live: " + outcome.error().message);
  std::map<std::string, std::string> verdicts;
  for (const auto& finding : outcome->findings) verdicts[finding.fingerprint] = finding.verification;
  std::vector<std::string> live;
  for (const auto& fingerprint : pending) {
    auto verdict = verdicts.find(fingerprint);
    std::string why = verdict == verdicts.end() ? "not found in " + options.path
                      : verdict->second.empty() ? "its rule cannot be verified"
                                                 : verdict->second;
    if (why == "live") live.push_back(fingerprint);
    else if (options.format == "text") std::cout << fmt::format("skipped (not live: {}) {}\n", why, fingerprint);
  }
  return live;
}

int run(const VaultOptions& options) {
  if (options.format != "text" && options.format != "json")
    return fail("--format: unknown format '" + options.format + "' (text, json)");
  std::string baseline_path = options.baseline.empty()
                                  ? (std::filesystem::path(options.path) / ".keyhound-baseline.json").string()
                                  : options.baseline;
  if (!std::filesystem::exists(baseline_path))
    return fail("no baseline at " + baseline_path +
                ": create one with `keyhound baseline` and mark the real "
                "secrets confirmed (or give --baseline FILE)");
  auto baseline = read_baseline(baseline_path);
  if (!baseline) return fail(baseline.error().message);

  std::vector<std::string> chosen;
  if (!options.fingerprints.empty()) {
    chosen = options.fingerprints;
  } else if (options.interactive) {
    if (!isatty(STDIN_FILENO))
      return fail("--interactive needs a terminal on stdin; use --fingerprint FP instead");
    chosen = prompt_for(*baseline, promptable_fingerprints(*baseline));
  } else {
    chosen = confirmed_fingerprints(*baseline);
  }
  // Entries recorded as vaulted are done: a re-run sends nothing for them.
  std::vector<std::string> pending, recorded;
  for (const auto& fingerprint : chosen) {
    auto it = baseline->entries.find(fingerprint);
    bool done = it != baseline->entries.end() && it->second.status == TriageStatus::vaulted &&
                !it->second.secret_arn.empty();
    (done ? recorded : pending).push_back(fingerprint);
  }
  if (options.only_live) {
    auto live = keep_live(options, *baseline, pending);
    if (!live) return fail(live.error().message);
    pending = std::move(*live);
  }
  PlanSettings plan_settings = options.plan;
  plan_settings.repo = repo_name(options.path);
  auto plan = plan_vault(*baseline, pending, plan_settings);
  if (!plan) return fail(plan.error().message);
  for (const auto& fingerprint : recorded)
    if (options.format == "text")
      std::cout << fmt::format("already recorded {}: {}\n", fingerprint,
                               baseline->entries.at(fingerprint).secret_arn);
  if (plan->empty()) {
    if (options.format == "json")
      std::cout << to_json({}, options.dry_run).dump(2) << '\n';
    else if (recorded.empty())
      std::cout << "nothing to vault: no finding in " << baseline_path << " is confirmed\n";
    return kClean;
  }

  SecretReader reader(options.path);
  std::optional<SecretsManagerClient> client;
  if (!options.dry_run) {
    auto settings = resolve_aws_settings(options.aws, process_environment());
    if (!settings) return fail(settings.error().message);
    auto endpoint = parse_endpoint(settings->endpoint);
    if (!endpoint) return fail(endpoint.error().message);
    if (options.verbose)
      std::cerr << fmt::format(
          "keyhound: vault: endpoint {}, region {}, credentials from {} (access key {})\n", endpoint->url,
          settings->region, settings->credentials_source, settings->credentials.access_key_id);
    client.emplace(std::move(*settings), std::move(*endpoint));
    if (options.verbose)
      client->on_retry([](const std::string& event) { std::cerr << "keyhound: vault: " << event << '\n'; });
  }
  std::optional<AwsSecretsManager> manager;
  if (client) manager.emplace(*client, options.vault);

  VaultRunHooks hooks;
  hooks.record = [&baseline_path](const Baseline& updated) { return write_baseline(baseline_path, updated); };
  hooks.warn = [](const std::string& message) { warn(message); };
  hooks.now = now_iso8601;
  VaultRunResult run = run_vault(*plan, *baseline, reader, manager ? &*manager : nullptr, hooks);
  const std::vector<Row>& rows = run.rows;
  bool failed = run.failed;
  if (run.not_recorded) {
    print_text(rows, false, std::cout);
    return fail(run.not_recorded->message);
  }
  if (options.format == "json") {
    std::cout << to_json(rows, options.dry_run).dump(2) << '\n';
  } else {
    print_text(rows, options.dry_run, std::cout);
    print_summary(rows, std::cout);
  }
  if (options.verbose && client)
    std::cerr << fmt::format("keyhound: vault: {} requests sent\n", client->requests_sent());
  return failed ? kError : kClean;
}

}  // namespace

void add_vault_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<VaultOptions>();
  CLI::App* vault = app.add_subcommand("vault", "Move confirmed secrets into AWS Secrets Manager");
  vault->add_option("path", options->path,
                    "Work tree or repository the baseline's paths and blobs belong to (default: .)");
  vault->add_option("--baseline", options->baseline, "Baseline file (default: PATH/.keyhound-baseline.json)");
  vault
      ->add_option("--fingerprint", options->fingerprints,
                   "Vault this finding (repeatable) instead of all confirmed")
      ->type_name("FP")
      ->allow_extra_args(false);
  vault->add_flag("-i,--interactive", options->interactive, "Choose findings at a y/n/a/q prompt");
  vault
      ->add_option("--name-template", options->plan.name_template,
                   "Secret name; {repo} {rule} {fingerprint} {path}")
      ->capture_default_str();
  vault->add_option("--kms-key-id", options->vault.kms_key_id, "KMS key to encrypt the secrets with");
  vault->add_flag("--update", options->vault.update,
                  "When a secret of that name holds another value, make this value its current version");
  vault->add_flag("--dry-run", options->dry_run, "Show the plan; send nothing");
  vault->add_flag("--only-live", options->only_live,
                  "Vault only the secrets their provider still accepts (scans PATH again with --verify)");
  vault->add_option("--format", options->format, "Output format: text, json")->capture_default_str();
  vault->add_option("--profile", options->aws.profile, "AWS profile (default: AWS_PROFILE, then default)");
  vault->add_option("--region", options->aws.region,
                    "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)");
  vault->add_option("--endpoint-url", options->aws.endpoint_url, "Secrets Manager endpoint URL");
  vault->add_option("--ca-bundle", options->aws.ca_bundle,
                    "PEM file of CAs to trust (default: AWS_CA_BUNDLE)");
  vault->add_flag("-v,--verbose", options->verbose, "Say where requests go (never what they carry)");
  vault->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
