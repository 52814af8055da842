// Code actions and the commands they carry: "Allow here" (a comment edit), "Mark as false
// positive" (a baseline entry) and "Move to Secrets Manager" (the fix library's rewrite of the
// literal, plus a `confirmed` baseline entry that `keyhound vault` then finishes).
#include <fmt/format.h>

#include <filesystem>

#include "baseline/apply.hpp"
#include "fix/language.hpp"
#include "fix/rewrite.hpp"
#include "lsp/comments.hpp"
#include "lsp/repository.hpp"
#include "lsp/server.hpp"
#include "util/hash.hpp"
#include "vault/plan.hpp"

namespace keyhound::lsp {
namespace {

using nlohmann::json;

// Commands offered but not run yet are kept this long (the newest ones); each may hold a copy of
// a buffer, which the editor has anyway.
constexpr std::size_t kMaxPendingCommands = 32;

json text_edit(const json& range, const std::string& text) {
  return json{{"range", range}, {"newText", text}};
}

// Adds `entry` to the baseline with `status`, or sets the status of the entry already there
// (merging in the new locations); a vaulted record is never downgraded.
void record(Baseline& baseline, BaselineEntry entry, TriageStatus status, const std::string& note) {
  auto [it, inserted] = baseline.entries.try_emplace(entry.fingerprint, entry);
  BaselineEntry& target = it->second;
  if (!inserted) {
    if (target.status == TriageStatus::vaulted || target.status == TriageStatus::rotated) return;
    for (const auto& location : entry.locations) {
      bool known =
          std::any_of(target.locations.begin(), target.locations.end(), [&](const BaselineLocation& l) {
            return l.path == location.path && l.blob_id == location.blob_id &&
                   l.start_offset == location.start_offset;
          });
      if (!known) target.locations.push_back(location);
    }
  }
  target.status = status;
  if (target.note.empty()) target.note = note;
}

}  // namespace

std::string Server::remember(PendingCommand command) {
  command.token = random_hex(12);
  std::string token = command.token;
  pending_.push_back(std::move(command));
  while (pending_.size() > kMaxPendingCommands) pending_.pop_front();
  return token;
}

json Server::code_actions(const json& params) {
  json actions = json::array();
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  auto found = documents_.find(uri);
  if (found == documents_.end()) return actions;
  const OpenDocument& open = found->second;
  const Document& document = open.document;
  std::size_t from = document.offset_of(position_from(params.at("range").at("start")), encoding_);
  std::size_t to = document.offset_of(position_from(params.at("range").at("end")), encoding_);
  if (to < from) std::swap(from, to);

  // Baseline entries must be keyed with the baseline's key: a new baseline gets a new key now.
  bool in_workspace = !open.path.empty() && !workspace_.settings().root.empty() &&
                      workspace_.recorded_path(open.path) != open.path;
  std::string key;
  auto baseline = workspace_.read_workspace_baseline();
  if (in_workspace && baseline) key = *baseline ? (*baseline)->fingerprint_key : new_fingerprint_key();
  auto scanned = scan(open, key.empty() ? nullptr : &key);
  if (!scanned) return actions;

  bool repository = in_workspace && in_git_repository(workspace_.settings().root);
  auto comment = comment_syntax(open.path.empty() ? uri : open.path, open.language_id);
  auto shared_bytes = std::make_shared<const std::string>(document.text());
  for (const auto& found_secret : scanned->findings) {
    const Finding& finding = found_secret.finding;
    const Location* here = nullptr;
    for (const auto& location : finding.locations)
      if (location.start_offset <= to && location.end_offset >= from) {
        here = &location;
        break;
      }
    if (!here) continue;
    if (comment) {
      Insertion marker = allow_marker(document.text(), here->end_offset, finding.rule_id, *comment);
      json at = this->diagnostic_range(document, marker.at, marker.at);
      actions.push_back(json{{"title", "Allow here: keyhound:allow " + finding.rule_id},
                             {"kind", "quickfix"},
                             {"edit", {{"changes", {{uri, json::array({text_edit(at, marker.text)})}}}}}});
    }
    if (key.empty()) continue;  // not a file of the workspace: no baseline to write

    PendingCommand false_positive;
    false_positive.command = kMarkFalsePositive;
    false_positive.uri = uri;
    false_positive.entry = baseline_entry_for(finding);
    false_positive.key = key;
    std::string token = remember(std::move(false_positive));
    actions.push_back(json{{"title", "Mark as false positive (baseline)"},
                           {"kind", "quickfix"},
                           {"command",
                            {{"title", "Mark as false positive"},
                             {"command", kMarkFalsePositive},
                             {"arguments", json::array({token})}}}});

    // Move to Secrets Manager: the name `keyhound vault` will give the secret, and the fix
    // library's rewrite of every place the buffer holds it.
    BaselineEntry confirmed = baseline_entry_for(finding);
    confirmed.status = TriageStatus::confirmed;
    Baseline planned_baseline = *baseline ? **baseline : Baseline{};
    planned_baseline.fingerprint_key = key;
    record(planned_baseline, confirmed, TriageStatus::confirmed, "");
    PlanSettings plan_settings;
    plan_settings.repo = vault_repository_name(workspace_.settings().root);
    std::string reason;
    std::vector<Edit> edits;
    std::string secret_name;
    auto plan = plan_vault(planned_baseline, {finding.fingerprint}, plan_settings);
    if (!repository) {
      reason =
          "the workspace is not a git repository: `keyhound vault` could not re-read the secret once the "
          "literal is gone";
    } else if (!plan) {
      reason = plan.error().message;
    } else {
      secret_name = plan->front().secret_name;
      std::vector<SecretSite> sites;
      for (const auto& location : finding.locations) {
        if (!location.decoded.empty()) {
          reason = "the secret is " + location.decoded + "-encoded here; rewrite it by hand";
          break;
        }
        SecretSite site;
        site.start = location.start_offset;
        site.end = location.end_offset;
        site.secret_name = secret_name;
        if (!plan->front().fields.empty()) site.field = finding.pair_field;
        site.identifier = "secret_" + finding.fingerprint.substr(0, 8);
        sites.push_back(std::move(site));
      }
      if (reason.empty()) {
        auto planned = plan_rewrite(document.text(), sites, language_of(open.path, document.text()));
        if (planned)
          edits = std::move(*planned);
        else
          reason = planned.error().message;
      }
    }
    std::string title = "Move to Secrets Manager" + (secret_name.empty() ? "" : " as " + secret_name);
    if (!reason.empty()) {
      if (disabled_support_)
        actions.push_back(json{{"title", title}, {"kind", "quickfix"}, {"disabled", {{"reason", reason}}}});
      continue;
    }
    json text_edits = json::array();
    for (const auto& edit : edits)
      text_edits.push_back(
          text_edit(this->diagnostic_range(document, edit.start, edit.end), edit.replacement));
    PendingCommand move;
    move.command = kRecordConfirmed;
    move.uri = uri;
    move.entry = std::move(confirmed);
    move.key = key;
    move.bytes = shared_bytes;
    token = remember(std::move(move));
    actions.push_back(json{{"title", title},
                           {"kind", "quickfix"},
                           {"edit", {{"changes", {{uri, std::move(text_edits)}}}}},
                           {"command",
                            {{"title", "Record the secret as confirmed for keyhound vault"},
                             {"command", kRecordConfirmed},
                             {"arguments", json::array({token})}}}});
  }
  return actions;
}

json Server::execute_command(const json& params, Clock::time_point now) {
  std::string command = params.at("command").get<std::string>();
  if (command != kMarkFalsePositive && command != kRecordConfirmed)
    throw std::runtime_error("unknown command '" + command + "'");
  const json& arguments = params.at("arguments");
  std::string token = arguments.at(0).get<std::string>();
  auto found = std::find_if(pending_.begin(), pending_.end(), [&](const PendingCommand& pending) {
    return pending.token == token && pending.command == command;
  });
  if (found == pending_.end())
    throw std::runtime_error("this code action has expired; ask for the code actions again");
  PendingCommand pending = std::move(*found);
  pending_.erase(found);
  if (auto done = run_pending(pending); !done) throw std::runtime_error(done.error().message);
  rescan_all(now);  // a baseline entry changes what every open buffer shows
  return nullptr;
}

Status Server::run_pending(const PendingCommand& pending) {
  auto read = workspace_.read_workspace_baseline();
  if (!read) return read.error();
  Baseline baseline;
  if (*read) {
    baseline = std::move(**read);
    if (baseline.fingerprint_key != pending.key)
      return make_error(workspace_.baseline_path() +
                        " changed since the action was offered; ask for it again");
  } else {
    baseline.fingerprint_key = pending.key;
  }
  if (pending.command == kMarkFalsePositive) {
    record(baseline, pending.entry, TriageStatus::false_positive, "marked as a false positive in the editor");
  } else {
    // The editor replaces the literal: keep the buffer's bytes where the vault's secret reader
    // looks for a location's blob, the repository's object database.
    if (!pending.bytes) return make_error("nothing to record");
    auto kept = keep_blob(workspace_.settings().root, *pending.bytes);
    if (!kept)
      return make_error("cannot keep the secret's file for `keyhound vault`: " + kept.error().message);
    for (const auto& location : pending.entry.locations)
      if (location.blob_id != *kept)
        return make_error("the kept blob is not the one scanned (internal error)");
    record(baseline, pending.entry, TriageStatus::confirmed,
           "moved to Secrets Manager in the editor: run `keyhound vault` to store it");
  }
  return write_baseline(workspace_.baseline_path(), baseline);
}

}  // namespace keyhound::lsp
