// The verification run: one job per fingerprint, a pool of workers each with its own HTTP
// client, and a per-host gate (concurrency and spacing) so no provider sees a burst.
#include "verify/verify.hpp"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "vault/http.hpp"
#include "vault/wipe.hpp"
#include "verify/aws_sts.hpp"
#include "verify/azure_storage.hpp"
#include "verify/partner.hpp"

namespace keyhound {
namespace {

bool is_loopback_address(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  std::string bare = host.size() > 2 && host.front() == '[' ? host.substr(1, host.size() - 2) : host;
  in6_addr v6{};
  return inet_pton(AF_INET6, bare.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// Spaces requests to one host and caps how many are in flight there.
class HostGate {
 public:
  HostGate(unsigned per_host, std::chrono::milliseconds interval)
      : per_host_(per_host), interval_(interval) {}

  void enter(const std::string& host) {
    std::unique_lock lock(mutex_);
    Slot& slot = slots_[host];
    while (true) {
      auto now = std::chrono::steady_clock::now();
      if (slot.in_flight < per_host_ && now >= slot.next_start) break;
      if (slot.in_flight < per_host_)
        changed_.wait_until(lock, slot.next_start);
      else
        changed_.wait(lock);
    }
    ++slot.in_flight;
    slot.next_start = std::chrono::steady_clock::now() + interval_;
  }

  void leave(const std::string& host) {
    std::lock_guard lock(mutex_);
    --slots_[host].in_flight;
    changed_.notify_all();
  }

 private:
  struct Slot {
    unsigned in_flight = 0;
    std::chrono::steady_clock::time_point next_start{};
  };
  unsigned per_host_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_map<std::string, Slot> slots_;
};

struct Outcome {
  std::string verification;  // live | revoked | unknown | error
  std::string identity;
  std::string detail;  // why, for people; never holds the secret
};

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

std::string percent_encode(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

struct Values {
  const std::string& secret;
  const std::string& partner;
  const std::string& partner2;
};

std::string fill(std::string text, const Values& values, bool in_url) {
  replace_all(text, "{secret}", in_url ? percent_encode(values.secret) : values.secret);
  replace_all(text, "{partner}", in_url ? percent_encode(values.partner) : values.partner);
  replace_all(text, "{partner2}", in_url ? percent_encode(values.partner2) : values.partner2);
  return text;
}

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string host_of(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::size_t end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// A dotted path ("user.name", "items.0.login") into a JSON answer, as text.
std::string json_field(const std::string& body, const std::string& path) {
  auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) return {};
  const nlohmann::json* at = &document;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (at->is_object() && at->contains(part)) {
      at = &(*at)[part];
    } else if (at->is_array() && !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit) &&
               std::stoul(part) < at->size()) {
      at = &(*at)[std::stoul(part)];
    } else {
      return {};
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_boolean()) return at->get<bool>() ? "true" : "false";
  if (at->is_number()) return at->dump();
  return {};
}

bool contains(const std::vector<int>& statuses, long status) {
  return std::find(statuses.begin(), statuses.end(), static_cast<int>(status)) != statuses.end();
}

// What a transport failure means: a certificate problem is an error (someone is in the way or
// the setup is wrong); anything else (refused, timed out, reset) leaves the answer unknown.
Outcome transport_outcome(const TransportError& error) {
  if (!error.may_pass_later) return {"error", "", "TLS or request problem: " + error.message};
  return {"unknown", "", "provider unreachable: " + error.message};
}

Outcome judge_http(const VerifySpec& spec, const HttpResponse& response) {
  long status = response.status;
  if (status >= 300 && status < 400)
    return {"unknown", "", "HTTP " + std::to_string(status) + " redirect (not followed)"};
  if (contains(spec.live, status)) {
    if (!spec.live_field.empty() && json_field(response.body, spec.live_field) != "true")
      return {"revoked", "", "HTTP " + std::to_string(status) + ", " + spec.live_field + " is not true"};
    Outcome live{"live", "", "HTTP " + std::to_string(status)};
    if (!spec.identity.empty()) live.identity = json_field(response.body, spec.identity);
    return live;
  }
  if (contains(spec.revoked, status)) return {"revoked", "", "HTTP " + std::to_string(status)};
  return {"unknown", "", "HTTP " + std::to_string(status)};
}

class Run {
 public:
  Run(const VerifyOptions& options)
      : options_(options), gate_(options.per_host, options.per_host_interval), partners_(options.root) {}

  Outcome verify(HttpClient& client, const Finding& finding, const Rule& rule,
                 std::atomic<std::uint64_t>& requests) {
    const VerifySpec& spec = rule.verify;
    SecretString partner;
    if (!spec.partner.empty()) {
      auto found = partners_.find(finding, spec.partner);
      if (!found) return {"unknown", "", "no " + rule.id + " partner value found next to the secret"};
      partner = SecretString(*found);
      wipe(*found);
    }
    SecretString partner2;
    if (!spec.partner2.empty()) {
      auto found = partners_.find(finding, spec.partner2);
      if (!found) return {"unknown", "", "no " + rule.id + " partner value found next to the secret"};
      partner2 = SecretString(*found);
      wipe(*found);
    }
    Values values{finding.secret, partner.str(), partner2.str()};
    if (spec.kind == "aws-sts") {
      StsCall call = build_sts_call(partner.str(), finding.secret);
      if (!call.problem.empty()) return {"unknown", "", call.problem};
      return send(client, call.request, requests, [&](const HttpResponse& response) {
        StsAnswer answer = judge_sts(response);
        return Outcome{answer.verification, answer.arn, answer.detail};
      });
    }
    if (spec.kind == "azure-storage") {
      HttpRequest call = build_azure_storage_call(partner.str(), finding.secret);
      if (call.url.empty()) return {"unknown", "", "not an account name and base64 key"};
      // Any answer but 403 proves the signature, hence the key; 403 AuthenticationFailed does not.
      VerifySpec azure;
      azure.live = {200};
      azure.revoked = {403};
      Outcome outcome = send(client, call, requests,
                             [&](const HttpResponse& response) { return judge_http(azure, response); });
      if (outcome.verification == "live") outcome.identity = partner.str();
      for (auto& header : call.headers) wipe(header.second);
      return outcome;
    }
    HttpRequest request;
    request.method = spec.method;
    request.url = fill(spec.url, values, true);
    if (!spec.partner.empty() && host_of(spec.url).find("{partner}") != std::string::npos) {
      // A partner in the host (a shop name) must be one DNS label: the domain stays the rule's.
      const std::string& label = partner.str();
      bool one_label =
          !label.empty() && label.size() < 64 && std::all_of(label.begin(), label.end(), [](char c) {
            return std::islower(static_cast<unsigned char>(c)) ||
                   std::isdigit(static_cast<unsigned char>(c)) || c == '-';
          });
      if (!one_label) return {"unknown", "", "the partner value is not a host label"};
    }
    for (const auto& header : spec.headers) {
      std::size_t colon = header.find(':');
      std::string value = header.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers.emplace_back(header.substr(0, colon), fill(value, values, false));
    }
    if (!spec.basic_user.empty()) {
      std::string pair =
          fill(spec.basic_user, values, false) + ":" + fill(spec.basic_password, values, false);
      request.headers.emplace_back("Authorization", "Basic " + base64(pair));
      wipe(pair);
    }
    if (spec.method == "POST") {
      request.body = fill(spec.body, values, false);
      bool json = !request.body.empty() && request.body.front() == '{';
      request.headers.emplace_back("Content-Type",
                                   json ? "application/json" : "application/x-www-form-urlencoded");
    }
    bool has_accept = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& header) {
      return strcasecmp(header.first.c_str(), "Accept") == 0;
    });
    if (!has_accept) request.headers.emplace_back("Accept", "application/json");
    Outcome outcome = send(client, request, requests,
                           [&](const HttpResponse& response) { return judge_http(spec, response); });
    wipe(request.url);
    wipe(request.body);
    for (auto& header : request.headers) wipe(header.second);
    return outcome;
  }

 private:
  template <typename Judge>
  Outcome send(HttpClient& client, HttpRequest& request, std::atomic<std::uint64_t>& requests, Judge judge) {
    std::string host = host_of(request.url);
    request.timeout_seconds = options_.timeout_seconds;
    auto target = options_.connect_to.find(host);
    if (target == options_.connect_to.end()) target = options_.connect_to.find("*");
    if (target != options_.connect_to.end()) request.connect_to = host + ":443:" + target->second;
    gate_.enter(host);
    TransportError error;
    HttpResponse response = client.fetch(request, error);
    gate_.leave(host);
    ++requests;
    Outcome outcome = error.message.empty() ? judge(response) : transport_outcome(error);
    wipe(response.body);
    // The identity comes from the provider, but never echo anything that holds the secret.
    if (outcome.identity.size() > 200) outcome.identity.resize(200);
    return outcome;
  }

  const VerifyOptions& options_;
  HostGate gate_;
  PartnerFinder partners_;
};

}  // namespace

Status read_verify_overrides(VerifyOptions& options) {
  const char* text = std::getenv("KEYHOUND_VERIFY_ENDPOINT_OVERRIDE");
  const char* ca = std::getenv("KEYHOUND_VERIFY_CA_FILE");
  if (text && *text) {
    std::string all = text;
    std::size_t start = 0;
    while (start < all.size()) {
      std::size_t comma = all.find(',', start);
      std::string item = all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? all.size() : comma + 1;
      std::size_t equals = item.find('=');
      std::size_t colon = item.rfind(':');
      if (equals == std::string::npos || colon == std::string::npos || colon < equals)
        return make_error("KEYHOUND_VERIFY_ENDPOINT_OVERRIDE: '" + item + "' is not HOST=127.0.0.1:PORT");
      std::string address = item.substr(equals + 1, colon - equals - 1);
      if (!is_loopback_address(address))
        return make_error(
            "KEYHOUND_VERIFY_ENDPOINT_OVERRIDE: '" + address +
            "' is not a loopback address; verification endpoints may be redirected only to this "
            "machine, for tests");
      options.connect_to[item.substr(0, equals)] = item.substr(equals + 1);
    }
  }
  if (ca && *ca) {
    if (options.connect_to.empty())
      return make_error("KEYHOUND_VERIFY_CA_FILE is for tests and needs KEYHOUND_VERIFY_ENDPOINT_OVERRIDE");
    options.ca_file = ca;
  }
  return Ok{};
}

VerifyStats verify_findings(std::vector<Finding>& findings, const RuleList& rules,
                            const VerifyOptions& options) {
  std::unordered_map<std::string, const Rule*> by_id;
  for (const auto& rule : rules) by_id.emplace(rule.id, &rule);
  // One job per fingerprint: the same secret found twice is asked about once.
  std::unordered_map<std::string, std::size_t> first_of;
  std::vector<std::size_t> jobs;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    auto rule = by_id.find(findings[i].rule_id);
    if (rule == by_id.end() || !rule->second->verify.present() || findings[i].secret.empty()) continue;
    if (first_of.emplace(findings[i].fingerprint, i).second) jobs.push_back(i);
  }
  VerifyStats stats;
  if (!jobs.empty()) {
    Run run(options);
    std::atomic<std::size_t> next{0};
    std::atomic<std::uint64_t> requests{0};
    std::vector<Outcome> outcomes(jobs.size());
    auto work = [&] {
      HttpClient client(options.ca_file);
      for (std::size_t job = next++; job < jobs.size(); job = next++) {
        const Finding& finding = findings[jobs[job]];
        outcomes[job] = run.verify(client, finding, *by_id.at(finding.rule_id), requests);
      }
    };
    std::vector<std::thread> workers;
    unsigned count = std::max(1u, std::min<unsigned>(options.workers, static_cast<unsigned>(jobs.size())));
    for (unsigned i = 0; i < count; ++i) workers.emplace_back(work);
    for (auto& worker : workers) worker.join();
    stats.requests = requests;
    std::unordered_map<std::string, const Outcome*> by_fingerprint;
    for (std::size_t job = 0; job < jobs.size(); ++job)
      by_fingerprint[findings[jobs[job]].fingerprint] = &outcomes[job];
    for (auto& finding : findings) {
      auto found = by_fingerprint.find(finding.fingerprint);
      if (found == by_fingerprint.end()) continue;
      const Outcome& outcome = *found->second;
      finding.verification = outcome.verification;
      finding.verified_identity = outcome.identity;
      finding.verification_detail = outcome.detail;
      if (outcome.verification == "live")
        ++stats.live;
      else if (outcome.verification == "revoked")
        ++stats.revoked;
      else if (outcome.verification == "error")
        ++stats.error;
      else
        ++stats.unknown;
    }
  }
  return stats;
}

void order_live_first(std::vector<Finding>& findings) {
  std::stable_partition(findings.begin(), findings.end(),
                        [](const Finding& finding) { return finding.verification == "live"; });
}

}  // namespace keyhound
