// Secret names come from a template; tags and description say where the secret came from.
#include "vault/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "util/hash.hpp"

namespace keyhound {
namespace {

bool allowed_in_name(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("/_+=.@-").find(c) != std::string_view::npos;
}

// Tag values allow letters, digits, spaces and _.:/=+-@ (up to 256 characters).
std::string sanitize_tag_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    bool ok = allowed_in_name(c) || c == ' ' || c == ':';
    out.push_back(ok ? c : '_');
  }
  if (out.size() > 256) out.resize(256);
  return out;
}

Result<std::string> expand_template(const std::string& text, const BaselineEntry& entry,
                                    const PlanSettings& settings) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out.push_back(text[i]);
      continue;
    }
    std::size_t close = text.find('}', i);
    if (close == std::string::npos) return make_error("--name-template: unclosed '{' in '" + text + "'");
    std::string key = text.substr(i + 1, close - i - 1);
    if (key == "repo")
      out += settings.repo;
    else if (key == "rule")
      out += entry.rule_id;
    else if (key == "fingerprint")
      out += entry.fingerprint;
    else if (key == "path")
      out += entry.locations.empty() ? "" : entry.locations.front().path;
    else
      return make_error("--name-template: unknown placeholder {" + key +
                        "} (use {repo}, {rule}, {fingerprint}, {path})");
    i = close;
  }
  return out;
}

}  // namespace

std::vector<std::string> confirmed_fingerprints(const Baseline& baseline) {
  std::vector<std::string> out;
  for (const auto& [fingerprint, entry] : baseline.entries)
    if (entry.status == TriageStatus::confirmed) out.push_back(fingerprint);
  return out;
}

std::vector<std::string> promptable_fingerprints(const Baseline& baseline) {
  std::vector<std::string> out;
  for (const auto& [fingerprint, entry] : baseline.entries)
    if (entry.status == TriageStatus::confirmed || entry.status == TriageStatus::open)
      out.push_back(fingerprint);
  return out;
}

std::string sanitize_secret_name(std::string_view name) {
  std::string out;
  for (char c : name) out.push_back(allowed_in_name(c) ? c : '-');
  if (out.size() > 512) out.resize(512);
  return out;
}

std::string request_token(std::string_view purpose, std::string_view fingerprint) {
  std::string seed = "keyhound vault";
  seed += '\0';
  seed += purpose;
  seed += '\0';
  seed += fingerprint;
  std::string hex = sha256_hex(seed).substr(0, 32);
  hex[12] = '5';  // shaped like a name-based (version 5) UUID, variant 10xx
  hex[16] = "89ab"[hex[16] % 4];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

namespace {

// The other halves of `entry`'s pair: entries of the same pair with another field that share a
// blob with it and are not triaged away or vaulted already; the first of each field.
std::vector<std::pair<std::string, std::string>> pair_fields(const Baseline& baseline,
                                                             const BaselineEntry& entry) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (entry.pair.empty() || entry.pair_field.empty()) return fields;
  std::set<std::string> blobs;
  for (const auto& location : entry.locations) blobs.insert(location.blob_id);
  std::set<std::string> taken = {entry.pair_field};
  fields.emplace_back(entry.pair_field, entry.fingerprint);
  for (const auto& [fingerprint, other] : baseline.entries) {
    if (other.pair != entry.pair || taken.count(other.pair_field)) continue;
    if (other.status == TriageStatus::false_positive || other.status == TriageStatus::accepted_risk ||
        other.status == TriageStatus::rotated || !other.secret_name.empty())
      continue;
    bool together =
        std::any_of(other.locations.begin(), other.locations.end(),
                    [&](const BaselineLocation& location) { return blobs.count(location.blob_id) > 0; });
    if (!together) continue;
    taken.insert(other.pair_field);
    fields.emplace_back(other.pair_field, fingerprint);
  }
  if (fields.size() < 2) return {};
  std::sort(fields.begin(), fields.end());
  return fields;
}

}  // namespace

Result<std::vector<PlannedSecret>> plan_vault(const Baseline& baseline,
                                              const std::vector<std::string>& fingerprints,
                                              const PlanSettings& settings) {
  std::vector<PlannedSecret> plan;
  std::set<std::string> in_a_pair;
  for (const auto& fingerprint : fingerprints) {
    auto it = baseline.entries.find(fingerprint);
    if (it == baseline.entries.end())
      return make_error("fingerprint " + fingerprint + " is not in the baseline");
    const BaselineEntry& entry = it->second;
    if (entry.status == TriageStatus::false_positive || entry.status == TriageStatus::accepted_risk)
      return make_error(fmt::format("fingerprint {} is triaged as {}; set it to confirmed to vault it",
                                    fingerprint, to_string(entry.status)));
    if (in_a_pair.count(fingerprint) || std::any_of(plan.begin(), plan.end(), [&](const PlannedSecret& p) {
          return p.fingerprint == fingerprint;
        }))
      continue;
    PlannedSecret planned;
    planned.fingerprint = fingerprint;
    planned.rule_id = entry.rule_id;
    planned.masked = entry.masked;
    planned.fields = pair_fields(baseline, entry);
    for (const auto& field : planned.fields) in_a_pair.insert(field.second);
    BaselineEntry named = entry;
    if (!planned.fields.empty()) named.rule_id = entry.pair;  // {rule}: the pair's name
    KH_TRY_ASSIGN(auto name, expand_template(settings.name_template, named, settings));
    planned.secret_name = sanitize_secret_name(name);
    if (planned.secret_name.empty()) return make_error("--name-template gives an empty secret name");
    if (!entry.locations.empty()) {
      const BaselineLocation& first = entry.locations.front();
      planned.source = fmt::format("{}:{}", first.path, first.line);
      if (!first.commit.empty()) planned.source += "@" + first.commit.substr(0, 12);
      planned.source_path = first.path;
    }
    planned.description =
        fmt::format("Moved out of source code by keyhound: {} found at {} (fingerprint {})", entry.rule_id,
                    planned.source.empty() ? "?" : planned.source, fingerprint);
    if (planned.description.size() > 2048) planned.description.resize(2048);
    planned.create_token = request_token("create", fingerprint);
    planned.update_token = request_token("update", fingerprint);
    planned.tags = {{"keyhound:rule", sanitize_tag_value(entry.rule_id)},
                    {"keyhound:fingerprint", fingerprint},
                    {"keyhound:source", sanitize_tag_value(planned.source)}};
    if (!planned.fields.empty()) {
      std::string members;
      for (const auto& [field, member] : planned.fields)
        members += (members.empty() ? "" : " ") + field + "=" + member;
      planned.tags.emplace_back("keyhound:pair", sanitize_tag_value(members));
      planned.description = fmt::format("Moved out of source code by keyhound: {} pair ({}) found at {}",
                                        entry.pair, members, planned.source.empty() ? "?" : planned.source);
    }
    plan.push_back(std::move(planned));
  }
  // Two secrets under one name would overwrite each other (--update) or fail half-way: refuse
  // the plan before anything is sent.
  std::map<std::string, std::string> owner;  // secret name -> fingerprint
  for (const auto& [fingerprint, entry] : baseline.entries)
    if (!entry.secret_name.empty()) owner.emplace(entry.secret_name, fingerprint);
  std::string clashes;
  std::map<std::string, std::string> planned_owner;
  for (const auto& planned : plan) {
    auto [it, fresh] = planned_owner.emplace(planned.secret_name, planned.fingerprint);
    std::string other = fresh ? "" : it->second;
    bool member = false;  // a pair's halves share their name
    for (const auto& field : planned.fields)
      if (auto recorded = owner.find(planned.secret_name);
          recorded != owner.end() && recorded->second == field.second)
        member = true;
    if (auto recorded = owner.find(planned.secret_name);
        other.empty() && !member && recorded != owner.end() && recorded->second != planned.fingerprint)
      other = recorded->second + " (already recorded)";
    if (!other.empty())
      clashes += fmt::format("\n  {}: {} and {}", planned.secret_name, other, planned.fingerprint);
  }
  if (!clashes.empty())
    return make_error(
        "--name-template '" + settings.name_template +
        "' gives several secrets the same name (add {fingerprint}); nothing was sent:" + clashes);
  return plan;
}

}  // namespace keyhound
