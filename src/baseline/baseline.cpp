// Reading and writing the baseline file: strict JSON in, stable sorted JSON out.
#include "baseline/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "util/file.hpp"
#include "util/hash.hpp"
#include "util/shown_value.hpp"
#include "util/unknown_key.hpp"

namespace keyhound {
namespace {

using Json = nlohmann::ordered_json;

// 2: keyed fingerprints and secret HMACs (fingerprint_key); 1: unkeyed SHA-256, read to migrate.
constexpr int kBaselineVersion = 2;

// 1-based line and column of byte number `byte` (nlohmann counts from 1, pointing at the
// character it last read).
std::string line_column_of(std::string_view text, std::size_t byte) {
  std::size_t end = std::min(text.size(), byte == 0 ? 0 : byte - 1);
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return fmt::format("{}:{}", line, column);
}

// nlohmann's message minus its own position and the token it last read (which we never echo:
// a hand-edited file might hold anything).
std::string parse_reason(const std::string& what) {
  std::string reason = what;
  if (auto at = reason.find(": "); at != std::string::npos) reason = reason.substr(at + 2);
  if (auto at = reason.find("; last read: '"); at != std::string::npos) {
    auto close = reason.rfind('\'');
    std::string tail = close > at + 14 ? reason.substr(close + 1) : "";
    reason = reason.substr(0, at) + tail;
  }
  return reason;
}

// Where the first number that does not fit a double starts (outside strings), or the end.
std::size_t out_of_range_number(std::string_view text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t end = i;
      while (end < text.size() && std::strchr("+-.eE0123456789", text[end])) ++end;
      std::string number(text.substr(i, end - i));
      errno = 0;
      double value = std::strtod(number.c_str(), nullptr);
      if (errno == ERANGE || std::isinf(value)) return i;
      i = end - 1;
    }
  }
  return text.size();
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

// Reads fields of one JSON object, turning every shape problem into an error naming the key.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  Status check_object() const {
    if (!object_.is_object()) return make_error(where_ + ": expected an object");
    return Ok{};
  }

  // Every key must be one we know: a typo must not silently drop a status.
  Status check_keys(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end())
        return unknown_key_error(where_, key, known);
    }
    return Ok{};
  }

  Status string(std::string_view key, std::string& out, bool required) const {
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) return make_error(fmt::format("{}: missing", path_of(key)));
      return Ok{};
    }
    if (!it->is_string()) return make_error(fmt::format("{}: expected a string", path_of(key)));
    out = it->get<std::string>();
    return Ok{};
  }

  Status number(std::string_view key, std::uint64_t& out) const {
    auto it = object_.find(key);
    if (it == object_.end()) return Ok{};
    if (!it->is_number_unsigned())
      return make_error(fmt::format("{}: expected a non-negative integer", path_of(key)));
    out = it->get<std::uint64_t>();
    return Ok{};
  }

  std::string path_of(std::string_view key) const {
    return where_.empty() ? std::string(key) : fmt::format("{}.{}", where_, key);
  }

 private:
  const Json& object_;
  std::string where_;
};

Result<BaselineLocation> read_location(const Json& json, const std::string& where) {
  FieldReader fields(json, where);
  KH_TRY(fields.check_object());
  KH_TRY(fields.check_keys(
      {"path", "commit", "blob_id", "line", "column", "start_offset", "end_offset", "decoded"}));
  BaselineLocation location;
  KH_TRY(fields.string("path", location.path, true));
  KH_TRY(fields.string("commit", location.commit, false));
  KH_TRY(fields.string("blob_id", location.blob_id, false));
  KH_TRY(fields.number("line", location.line));
  KH_TRY(fields.number("column", location.column));
  KH_TRY(fields.number("start_offset", location.start_offset));
  KH_TRY(fields.number("end_offset", location.end_offset));
  KH_TRY(fields.string("decoded", location.decoded, false));
  return location;
}

Result<BaselineEntry> read_entry(const Json& json, const std::string& where) {
  FieldReader fields(json, where);
  KH_TRY(fields.check_object());
  KH_TRY(fields.check_keys({"fingerprint", "rule_id", "status", "note", "masked", "secret_sha256",
                            "secret_hmac", "locations", "pair", "pair_field", "secret_name", "secret_field",
                            "secret_arn", "vaulted_at"}));
  BaselineEntry entry;
  KH_TRY(fields.string("fingerprint", entry.fingerprint, true));
  if (entry.fingerprint.size() != 16 || !is_hex(entry.fingerprint))
    return make_error(fmt::format("{}: {} is not a fingerprint (16 lowercase hex digits)",
                                  fields.path_of("fingerprint"), shown_value(entry.fingerprint)));
  KH_TRY(fields.string("rule_id", entry.rule_id, true));
  std::string status;
  KH_TRY(fields.string("status", status, true));
  auto parsed = parse_triage_status(status);
  if (!parsed)
    return make_error(fmt::format(
        "{}: unknown status {} (open, false_positive, accepted_risk, confirmed, vaulted, rotated)",
        fields.path_of("status"), shown_value(status)));
  entry.status = *parsed;
  KH_TRY(fields.string("note", entry.note, false));
  KH_TRY(fields.string("masked", entry.masked, false));
  KH_TRY(fields.string("secret_sha256", entry.secret_sha256, false));
  if (!entry.secret_sha256.empty() && (entry.secret_sha256.size() != 64 || !is_hex(entry.secret_sha256)))
    return make_error(fmt::format("{}: expected 64 lowercase hex digits", fields.path_of("secret_sha256")));
  KH_TRY(fields.string("secret_hmac", entry.secret_hmac, false));
  if (!entry.secret_hmac.empty() && (entry.secret_hmac.size() != 64 || !is_hex(entry.secret_hmac)))
    return make_error(fmt::format("{}: expected 64 lowercase hex digits", fields.path_of("secret_hmac")));
  KH_TRY(fields.string("pair", entry.pair, false));
  KH_TRY(fields.string("pair_field", entry.pair_field, false));
  KH_TRY(fields.string("secret_name", entry.secret_name, false));
  KH_TRY(fields.string("secret_field", entry.secret_field, false));
  KH_TRY(fields.string("secret_arn", entry.secret_arn, false));
  KH_TRY(fields.string("vaulted_at", entry.vaulted_at, false));
  if (entry.status == TriageStatus::vaulted && entry.secret_arn.empty())
    return make_error(fmt::format("{}: status vaulted needs secret_arn (where the secret went)", where));
  if (auto it = json.find("locations"); it != json.end()) {
    if (!it->is_array()) return make_error(fmt::format("{}: expected an array", fields.path_of("locations")));
    for (std::size_t i = 0; i < it->size(); ++i) {
      KH_TRY_ASSIGN(auto location,
                    read_location((*it)[i], fmt::format("{}[{}]", fields.path_of("locations"), i)));
      entry.locations.push_back(std::move(location));
    }
  }
  return entry;
}

Json location_to_json(const BaselineLocation& location) {
  Json out;
  out["path"] = location.path;
  if (!location.commit.empty()) out["commit"] = location.commit;
  out["blob_id"] = location.blob_id;
  out["line"] = location.line;
  out["column"] = location.column;
  out["start_offset"] = location.start_offset;
  out["end_offset"] = location.end_offset;
  if (!location.decoded.empty()) out["decoded"] = location.decoded;
  return out;
}

Json entry_to_json(const BaselineEntry& entry, bool version_1) {
  Json out;
  out["fingerprint"] = entry.fingerprint;
  out["rule_id"] = entry.rule_id;
  out["status"] = to_string(entry.status);
  out["note"] = entry.note;
  out["masked"] = entry.masked;
  if (version_1)
    out["secret_sha256"] = entry.secret_sha256;
  else if (!entry.secret_hmac.empty())
    out["secret_hmac"] = entry.secret_hmac;
  if (!entry.pair.empty()) out["pair"] = entry.pair;
  if (!entry.pair_field.empty()) out["pair_field"] = entry.pair_field;
  if (!entry.secret_name.empty()) out["secret_name"] = entry.secret_name;
  if (!entry.secret_field.empty()) out["secret_field"] = entry.secret_field;
  if (!entry.secret_arn.empty()) out["secret_arn"] = entry.secret_arn;
  if (!entry.vaulted_at.empty()) out["vaulted_at"] = entry.vaulted_at;
  std::vector<BaselineLocation> locations = entry.locations;
  std::sort(locations.begin(), locations.end(), [](const BaselineLocation& a, const BaselineLocation& b) {
    return std::tie(a.path, a.line, a.column, a.commit, a.blob_id) <
           std::tie(b.path, b.line, b.column, b.commit, b.blob_id);
  });
  auto& list = out["locations"] = Json::array();
  for (const auto& location : locations) list.push_back(location_to_json(location));
  return out;
}

}  // namespace

const char* to_string(TriageStatus status) {
  switch (status) {
    case TriageStatus::open:
      return "open";
    case TriageStatus::false_positive:
      return "false_positive";
    case TriageStatus::accepted_risk:
      return "accepted_risk";
    case TriageStatus::confirmed:
      return "confirmed";
    case TriageStatus::vaulted:
      return "vaulted";
    case TriageStatus::rotated:
      return "rotated";
  }
  return "open";
}

std::optional<TriageStatus> parse_triage_status(const std::string& text) {
  for (auto status : {TriageStatus::open, TriageStatus::false_positive, TriageStatus::accepted_risk,
                      TriageStatus::confirmed, TriageStatus::vaulted, TriageStatus::rotated}) {
    if (text == to_string(status)) return status;
  }
  return std::nullopt;
}

Result<Baseline> parse_baseline(std::string_view text, const std::string& name) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error(fmt::format("{}:{}: malformed baseline: {}", name, line_column_of(text, e.byte),
                                  parse_reason(e.what())));
  } catch (const nlohmann::json::exception&) {
    // Only a number too large for a double gets here (nlohmann's out_of_range, which carries no
    // position and echoes the number): find it ourselves.
    return make_error(fmt::format("{}:{}: malformed baseline: number out of range", name,
                                  line_column_of(text, out_of_range_number(text) + 1)));
  }
  auto fail = [&](const std::string& message) { return make_error(name + ": " + message); };
  FieldReader top(document, "");
  if (!document.is_object()) return fail("expected a JSON object with \"version\" and \"entries\"");
  if (auto keys = top.check_keys({"version", "tool", "fingerprint_key", "entries"}); !keys)
    return fail(keys.error().message);
  auto version = document.find("version");
  if (version == document.end()) return fail("version: missing");
  if (!version->is_number_unsigned()) return fail("version: expected an integer");
  std::uint64_t file_version = version->get<std::uint64_t>();
  if (file_version != 1 && file_version != static_cast<std::uint64_t>(kBaselineVersion))
    return fail(fmt::format("version: unsupported version {} (this keyhound reads versions 1 and {})",
                            file_version, kBaselineVersion));
  Baseline baseline;
  if (file_version >= 2) {
    auto key = document.find("fingerprint_key");
    if (key == document.end()) return fail("fingerprint_key: missing");
    if (!key->is_string() || key->get<std::string>().size() != 64 || !is_hex(key->get<std::string>()))
      return fail("fingerprint_key: expected 64 lowercase hex digits");
    baseline.fingerprint_key = key->get<std::string>();
  } else if (document.contains("fingerprint_key")) {
    return fail("fingerprint_key: not part of a version 1 baseline");
  }
  auto entries = document.find("entries");
  if (entries == document.end()) return fail("entries: missing");
  if (!entries->is_array()) return fail("entries: expected an array");
  for (std::size_t i = 0; i < entries->size(); ++i) {
    std::string where = fmt::format("entries[{}]", i);
    auto entry = read_entry((*entries)[i], where);
    if (!entry) return fail(entry.error().message);
    std::string fingerprint = entry->fingerprint;
    if (!baseline.entries.emplace(fingerprint, std::move(*entry)).second)
      return fail(fmt::format("{}.fingerprint: duplicate fingerprint {}", where, fingerprint));
  }
  return baseline;
}

std::string baseline_to_json(const Baseline& baseline) {
  Json document;
  // A version-1 file not yet re-keyed (triaged with `baseline set`) stays version 1.
  bool version_1 = baseline.fingerprint_key.empty();
  document["version"] = version_1 ? 1 : kBaselineVersion;
  document["tool"] = "keyhound";
  if (!version_1) document["fingerprint_key"] = baseline.fingerprint_key;
  auto& entries = document["entries"] = Json::array();
  for (const auto& [fingerprint, entry] : baseline.entries) {  // std::map: sorted by fingerprint
    BaselineEntry copy = entry;
    copy.fingerprint = fingerprint;
    entries.push_back(entry_to_json(copy, version_1));
  }
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string new_fingerprint_key() {
  return random_hex(32);
}

Result<Baseline> read_baseline(const std::string& path) {
  KH_TRY_ASSIGN(auto text, read_whole_file(path));
  return parse_baseline(text, path);
}

Status write_baseline(const std::string& path, const Baseline& baseline) {
  return write_file_atomically(path, baseline_to_json(baseline));
}

}  // namespace keyhound
