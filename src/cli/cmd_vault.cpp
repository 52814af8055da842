// keyhound vault [PATH]: moves confirmed secrets into AWS Secrets Manager, recording each in
// the baseline as soon as it is safe there, and shows how the code should fetch it instead.
#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "baseline/apply.hpp"
#include "baseline/baseline.hpp"
#include "cli/common.hpp"
#include "cli/scan_options.hpp"
#include "finding/finding.hpp"
#include "source/git.hpp"
#include "util/file.hpp"
#include "util/hash.hpp"
#include "util/time_format.hpp"
#include "vault/credentials.hpp"
#include "vault/iam.hpp"
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
  // --rotate FP: the vaulted secret's new value, from stdin or a file.
  std::string rotate;
  bool value_from_stdin = false;
  std::string value_from_file;
  bool yes = false;
  bool iam = false;  // --rotate an AWS access key pair through IAM
  std::string iam_endpoint_url;
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

std::vector<std::string> field_names(const PlannedSecret& planned) {
  std::vector<std::string> names;
  for (const auto& field : planned.fields) names.push_back(field.first);
  return names;
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
    if (!planned.fields.empty()) {
      std::string fields;
      for (const auto& [field, fingerprint] : planned.fields)
        fields += fmt::format("{}{} ({})", fields.empty() ? "" : ", ", field, fingerprint);
      out << fmt::format("  one JSON secret with the pair's fields: {}\n", fields);
    }
    if (!row.arn.empty()) out << fmt::format("  arn: {}\n", row.arn);
    if (!planned.source.empty()) out << fmt::format("  found at: {}\n", planned.source);
    if (dry_run) {
      out << "  tags:";
      for (const auto& [key, value] : planned.tags) out << fmt::format(" {}={}", key, value);
      out << '\n';
    }
    if (row.status == RowStatus::vaulted || row.status == RowStatus::already_vaulted ||
        row.status == RowStatus::updated || dry_run) {
      Remediation fix = remediation_for(planned.secret_name, planned.source_path, field_names(planned));
      auto indented = [&out](const std::string& text) {
        for (std::size_t begin = 0; begin <= text.size();) {
          std::size_t end = text.find('\n', begin);
          if (end == std::string::npos) end = text.size();
          out << (end > begin ? "    " : "") << text.substr(begin, end - begin) << '\n';
          begin = end + 1;
        }
      };
      out << fmt::format("  fetch it at run time through the Secrets Manager Agent ({}):\n", fix.language);
      indented(fix.agent_snippet);
      if (fix.agent_snippet != fix.agent_command) {
        out << "  or from a shell:\n";
        indented(fix.agent_command);
      }
      out << fmt::format("  or with the SDK ({}):\n", fix.language);
      indented(fix.snippet);
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
    Remediation fix = remediation_for(planned.secret_name, planned.source_path, field_names(planned));
    Json item = {{"fingerprint", planned.fingerprint},
                 {"rule_id", planned.rule_id},
                 {"masked", planned.masked},
                 {"status", to_string(row.status)},
                 {"secret_name", planned.secret_name}};
    if (!row.arn.empty()) item["secret_arn"] = row.arn;
    if (!planned.fields.empty()) {
      item["fields"] = Json::object();
      for (const auto& [field, fingerprint] : planned.fields) item["fields"][field] = fingerprint;
    }
    item["source"] = planned.source;
    if (!row.error.empty()) item["error"] = row.error;
    item["tags"] = Json::object();
    for (const auto& [key, value] : planned.tags) item["tags"][key] = value;
    item["remediation"] = {{"agent_command", fix.agent_command},
                           {"language", fix.language},
                           {"snippet", fix.snippet},
                           {"agent_snippet", fix.agent_snippet}};
    results.push_back(item);
    ++counts[to_string(row.status)];
  }
  out["summary"] = counts;
  return out;
}

// The new value for --rotate: all of stdin or of the file, one trailing newline dropped (what
// `echo` and editors add).
Result<SecretString> new_value_of(const VaultOptions& options) {
  std::string text;
  if (options.value_from_stdin) {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    auto read = read_whole_file(options.value_from_file);
    if (!read) return make_error("--value-from-file: " + read.error().message);
    text = std::move(*read);
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) {
    return make_error(options.value_from_stdin
                          ? "--value-from-stdin: standard input is empty"
                          : "--value-from-file: " + options.value_from_file + " is empty");
  }
  SecretString value(text);
  wipe(text);
  return value;
}

// keyhound vault --rotate FP: the rotated value becomes the secret's current version and the
// entry is marked rotated. The provider side (issuing the new value, revoking the old one) is
// the user's: docs/vault.md has the playbook.
int run_rotate(const VaultOptions& options, const std::string& baseline_path, Baseline& baseline) {
  if (options.value_from_stdin == !options.value_from_file.empty())
    return fail("--rotate needs the new value: --value-from-stdin or --value-from-file FILE (one of them)");
  auto found = find_baseline_entry(baseline, options.rotate);
  if (!found) return fail(baseline_path + ": " + found.error().message);
  BaselineEntry& entry = **found;
  if ((entry.status != TriageStatus::vaulted && entry.status != TriageStatus::rotated) ||
      entry.secret_name.empty())
    return fail(
        fmt::format("{}: fingerprint {} is {}, not in Secrets Manager: `keyhound vault --fingerprint {}` "
                    "first",
                    baseline_path, entry.fingerprint, to_string(entry.status), entry.fingerprint));
  auto value = new_value_of(options);
  if (!value) return fail(value.error().message);
  if (secret_hmac_of(baseline.fingerprint_key, value->str()) == entry.secret_hmac)
    return fail(
        fmt::format("fingerprint {}: the new value is the leaked one; issue a new value at the provider "
                    "first (docs/vault.md, rotation)",
                    entry.fingerprint));
  if (options.dry_run) {
    std::cout << fmt::format("would rotate {}: {} gets a new current version; the entry becomes rotated\n",
                             entry.fingerprint, entry.secret_name);
    return kClean;
  }
  if (!options.yes) {
    if (options.value_from_stdin || !isatty(STDIN_FILENO))
      return fail("--rotate changes what every reader of " + entry.secret_name +
                  " gets: confirm with --yes (stdin is not a terminal to ask on)");
    std::cerr << fmt::format("Make the new value the current version of {} and mark {} rotated? [y/N] ",
                             entry.secret_name, entry.fingerprint)
              << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "yes")) {
      std::cerr << "not rotated\n";
      return kError;
    }
  }
  auto settings = resolve_aws_settings(options.aws, process_environment());
  if (!settings) return fail(settings.error().message);
  auto endpoint = parse_endpoint(settings->endpoint);
  if (!endpoint) return fail(endpoint.error().message);
  SecretsManagerClient client(std::move(*settings), std::move(*endpoint));
  // The token comes from the new value (keyed): a retried rotation makes no second version.
  std::string seed = "keyhound rotate";
  seed.push_back('\0');
  seed += entry.fingerprint;
  seed.push_back('\0');
  seed += value->str();
  std::string token = hmac_sha256_hex(baseline.fingerprint_key, seed).substr(0, 32);
  wipe(seed);
  auto put =
      client.put_secret_value(entry.secret_arn.empty() ? entry.secret_name : entry.secret_arn, *value, token);
  if (!put.ok())
    return fail(fmt::format("{} ({}): PutSecretValue failed: {}", entry.secret_name, entry.fingerprint,
                            explain(put.error)));
  entry.status = TriageStatus::rotated;
  if (!put.value->arn.empty()) entry.secret_arn = put.value->arn;
  if (auto written = write_baseline(baseline_path, baseline); !written) return fail(written.error().message);
  std::cout << fmt::format(
      "rotated {}: {} holds the new value (version {}); {} is marked rotated\n"
      "then: revoke the old value at the provider; readers through the agent see the new one "
      "when their cache expires\n",
      entry.fingerprint, entry.secret_name, put.value->version_id, entry.fingerprint);
  return kClean;
}

// "AKIA…MPLE": enough to tell keys apart in messages.
std::string shown_key_id(const std::string& id) {
  return mask_secret(id);
}

// keyhound vault --rotate FP --iam: a new access key for the leaked key's user (CreateAccessKey),
// stored as the pair secret's new current version, then the leaked key set Inactive (never
// deleted). Every step is checked first: the leaked key is the user's, and the user has room.
int run_rotate_iam(const VaultOptions& options, const std::string& baseline_path, Baseline& baseline) {
  auto found = find_baseline_entry(baseline, options.rotate);
  if (!found) return fail(baseline_path + ": " + found.error().message);
  const BaselineEntry entry = **found;
  if (entry.status != TriageStatus::vaulted || entry.secret_name.empty() || entry.secret_field.empty() ||
      entry.pair != "aws-access-key")
    return fail(
        fmt::format("fingerprint {}: --iam rotates an AWS access key vaulted as a pair (accessKeyId and "
                    "secretAccessKey in one secret); this entry is {}{}",
                    entry.fingerprint, to_string(entry.status),
                    entry.secret_field.empty() ? ", not part of a vaulted pair" : ""));
  auto settings = resolve_aws_settings(options.aws, process_environment());
  if (!settings) return fail(settings.error().message);
  auto sm_endpoint = parse_endpoint(settings->endpoint);
  if (!sm_endpoint) return fail(sm_endpoint.error().message);
  auto iam_endpoint = parse_endpoint(iam_endpoint_url(options.iam_endpoint_url, process_environment()));
  if (!iam_endpoint) return fail("--iam-endpoint-url: " + iam_endpoint.error().message);
  SecretsManagerClient secrets(*settings, *sm_endpoint);
  IamClient iam(*settings, *iam_endpoint);
  auto fail_aws = [](const std::string& what, const AwsError& error) {
    return fail(what + " failed: " + (error.type.empty() ? error.transport : error.type));
  };

  auto current = secrets.get_secret_value(entry.secret_name);
  if (!current.ok()) return fail_aws("GetSecretValue " + entry.secret_name, current.error);
  std::string old_id;
  {
    auto document = nlohmann::json::parse(current.value->value.str(), nullptr, false);
    if (document.is_object() && document.contains("accessKeyId") && document["accessKeyId"].is_string())
      old_id = document["accessKeyId"].get<std::string>();
    if (document.is_object())
      for (auto& [field, value] : document.items())
        if (value.is_string()) wipe(value.get_ref<std::string&>());
  }
  if (old_id.empty()) return fail(entry.secret_name + " holds no accessKeyId field: not an access key pair");
  auto user = iam.user_of_access_key(old_id);
  if (!user.ok()) return fail_aws("GetAccessKeyLastUsed " + shown_key_id(old_id), user.error);
  auto keys = iam.list_access_keys(*user.value);
  if (!keys.ok()) return fail_aws("ListAccessKeys " + *user.value, keys.error);
  bool listed = false;
  for (const auto& key : *keys.value) listed = listed || key.access_key_id == old_id;
  if (!listed)
    return fail("access key " + shown_key_id(old_id) + " is not one of " + *user.value + "'s keys");
  if (keys.value->size() >= 2)
    return fail(
        fmt::format("IAM user {} has {} access keys already (IAM allows 2): deactivate and delete the one "
                    "that is not {} first; keyhound never deletes keys",
                    *user.value, keys.value->size(), shown_key_id(old_id)));
  if (!options.yes) {
    if (!isatty(STDIN_FILENO))
      return fail("--rotate --iam creates an access key for " + *user.value + " and deactivates " +
                  shown_key_id(old_id) + ": confirm with --yes (stdin is not a terminal to ask on)");
    std::cerr << fmt::format(
                     "Create a new access key for IAM user {}, store it in {}, and set {} Inactive? [y/N] ",
                     *user.value, entry.secret_name, shown_key_id(old_id))
              << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "yes")) {
      std::cerr << "not rotated\n";
      return kError;
    }
  }
  auto created = iam.create_access_key(*user.value);
  if (!created.ok()) return fail_aws("CreateAccessKey " + *user.value, created.error);
  std::string new_id = created.value->access_key_id;
  std::string text =
      nlohmann::json{{"accessKeyId", new_id}, {"secretAccessKey", created.value->secret_access_key.str()}}
          .dump();
  SecretString value(text);
  wipe(text);
  std::string seed = "keyhound rotate";
  seed.push_back('\0');
  seed += entry.fingerprint + std::string(1, '\0') + new_id;
  auto put = secrets.put_secret_value(entry.secret_name, value,
                                      hmac_sha256_hex(baseline.fingerprint_key, seed).substr(0, 32));
  if (!put.ok())
    return fail(
        fmt::format("PutSecretValue {} failed ({}): the new access key {} of {} is Active but stored "
                    "nowhere; deactivate it (aws iam update-access-key --user-name {} --access-key-id "
                    "{} --status Inactive) and try again",
                    entry.secret_name, put.error.type.empty() ? put.error.transport : put.error.type,
                    shown_key_id(new_id), *user.value, *user.value, new_id));
  auto deactivated = iam.deactivate_access_key(*user.value, old_id);
  if (!deactivated.ok())
    return fail(
        fmt::format("{} holds the new key {}, but UpdateAccessKey failed ({}): the leaked key {} is still "
                    "Active; set it Inactive by hand",
                    entry.secret_name, shown_key_id(new_id),
                    deactivated.error.type.empty() ? deactivated.error.transport : deactivated.error.type,
                    shown_key_id(old_id)));
  std::vector<std::string> rotated;
  for (auto& [fingerprint, other] : baseline.entries)
    if (other.secret_name == entry.secret_name) {
      other.status = TriageStatus::rotated;
      rotated.push_back(fingerprint);
    }
  if (auto written = write_baseline(baseline_path, baseline); !written) return fail(written.error().message);
  std::string list;
  for (const auto& fingerprint : rotated) list += (list.empty() ? "" : ", ") + fingerprint;
  std::cout << fmt::format(
      "rotated {}: new access key {} for IAM user {} stored in {} (version {}); the leaked key "
      "{} is Inactive; marked rotated: {}\n"
      "then: once nothing fails with the old key, delete it: aws iam delete-access-key "
      "--user-name {} --access-key-id {}\n",
      entry.fingerprint, shown_key_id(new_id), *user.value, entry.secret_name, put.value->version_id,
      shown_key_id(old_id), list, *user.value, old_id);
  return kClean;
}

// --only-live: scans PATH again (its history when the baseline's entries name commits) with
// --verify, and keeps the chosen fingerprints whose secrets the provider accepted.
Result<std::vector<std::string>> keep_live(const VaultOptions& options, const Baseline& baseline,
                                           const std::vector<std::string>& pending) {
  ScanCommandOptions scan;
  scan.paths = {options.path};
  for (const auto& fingerprint : pending) {
    auto entry = baseline.entries.find(fingerprint);
    if (entry == baseline.entries.end()) continue;
    for (const auto& location : entry->second.locations) scan.git |= !location.commit.empty();
  }
  scan.verify = true;
  scan.quiet = true;
  scan.min_confidence = "low";                      // a confirmed entry is verified whatever its confidence
  scan.fingerprint_key = baseline.fingerprint_key;  // fingerprints as the baseline keys them
  auto outcome = scan_and_verify(scan);
  if (!outcome) return make_error("--only-live: " + outcome.error().message);
  std::map<std::string, std::string> verdicts;
  for (const auto& finding : outcome->findings) verdicts[finding.fingerprint] = finding.verification;
  std::vector<std::string> live;
  for (const auto& fingerprint : pending) {
    auto verdict = verdicts.find(fingerprint);
    std::string why = verdict == verdicts.end() ? "not found in " + options.path
                      : verdict->second.empty() ? "its rule cannot be verified"
                                                : verdict->second;
    if (why == "live")
      live.push_back(fingerprint);
    else if (options.format == "text")
      std::cout << fmt::format("skipped (not live: {}) {}\n", why, fingerprint);
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
  if (baseline->fingerprint_key.empty()) return fail(rekey_needed(baseline_path));
  if (!options.rotate.empty() && options.iam) {
    if (options.value_from_stdin || !options.value_from_file.empty())
      return fail("--iam makes the new access key itself: give no --value-from-stdin or --value-from-file");
    if (options.dry_run) return fail("--rotate --iam has no dry run: it checks everything before it asks");
    return run_rotate_iam(options, baseline_path, *baseline);
  }
  if (options.iam) return fail("--iam goes with --rotate FP");
  if (!options.rotate.empty()) return run_rotate(options, baseline_path, *baseline);
  if (options.value_from_stdin || !options.value_from_file.empty())
    return fail("--value-from-stdin and --value-from-file go with --rotate FP");

  std::vector<std::string> chosen;
  if (!options.fingerprints.empty()) {
    for (const auto& given : options.fingerprints) {  // a unique prefix of 6+ digits, as `baseline set`
      auto entry = find_baseline_entry(*baseline, given);
      if (!entry) return fail(baseline_path + ": " + entry.error().message);
      chosen.push_back((*entry)->fingerprint);
    }
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

  SecretReader reader(options.path, baseline->fingerprint_key);
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
                   "Vault this finding (repeatable; a unique prefix of 6+ digits) instead of all confirmed")
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
  vault->add_option("--rotate", options->rotate, "Store a vaulted secret's new value and mark it rotated")
      ->type_name("FP");
  vault->add_flag("--value-from-stdin", options->value_from_stdin, "--rotate: read the new value from stdin");
  vault->add_option("--value-from-file", options->value_from_file, "--rotate: read the new value from FILE")
      ->type_name("FILE");
  vault->add_flag("-y,--yes", options->yes, "--rotate: do not ask for confirmation");
  vault->add_flag("--iam", options->iam,
                  "--rotate an AWS access key pair through IAM: new key, stored, leaked key set Inactive");
  vault->add_option("--iam-endpoint-url", options->iam_endpoint_url,
                    "IAM endpoint URL (default: AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, iam.amazonaws.com)");
  vault->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace keyhound::cli
