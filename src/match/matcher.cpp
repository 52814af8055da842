#include "match/matcher.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <mutex>

#include "match/checks.hpp"
#include "match/database.hpp"

namespace keyhound {
namespace {

// How far before a Hyperscan end offset RE2 looks when a pattern is unbounded: enough for a
// PEM block of an RSA-8192 key (about 6.5 KB).
constexpr std::size_t kUnboundedLookbehind = 16384;
// How far past it RE2 may extend a greedy match when a pattern is unbounded.
constexpr std::size_t kUnboundedLookahead = 1024;
// scan_delta carries a rule's hits across a delta when its matches are at most this long; longer
// and unbounded patterns are rescanned whole, in a database of their own. 1040 takes in the
// token rules bounded near 1 KB (session tokens, registry auths, key data), which cost more
// scanned whole than the wider windows cost: on the history benchmark 4% less CPU than 560,
// while 4000 (JWTs too) costs 10% more.
constexpr std::uint32_t kLocalReach = 1040;
// Bytes beyond a match that Hyperscan may look at: \b and anchors peek one byte past either end.
constexpr std::size_t kEdge = 2;

using Hit = ScanMemo::Hit;

// A rule's RE2 side. The regex is compiled on first use when the database came from the
// cache (that rule set was compiled and checked before), so a pre-commit run only compiles
// the regexes of rules that Hyperscan actually hit.
struct CompiledRule {
  std::once_flag compiled;
  std::unique_ptr<RE2> regex;
  int secret_group = 1;
  int name_group = -1;  // the key name the value is assigned to, when the pattern names it
  std::size_t lookbehind = kUnboundedLookbehind;
  std::size_t lookahead = kUnboundedLookahead;
  bool generic = false;    // yields to any specific rule that finds the same bytes
  bool catch_all = false;  // a generic rule that also yields to the other generic rules (tool shapes)
  bool local = false;      // matches at most kLocalReach long, and Hyperscan matches them exactly
  std::size_t reach = 0;   // for local rules: the longest match
};

RE2::Options regex_options() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingLatin1);
  // Patterns with long bounded repeats ({0,200}, {10,1000}) need more DFA states than RE2's
  // default 8 MiB budget holds: it then falls back to the NFA, 50-100x slower per window. The
  // budget is an upper bound, spent only by the patterns that need it.
  options.set_max_mem(32 << 20);
  return options;
}

// Compiles the rule's regex once; an error names the rule.
Status compile_regex(const Rule& rule, CompiledRule& compiled) {
  std::call_once(compiled.compiled, [&] {
    compiled.regex = std::make_unique<RE2>(rule.pattern, regex_options());
    if (!compiled.regex->ok()) return;
    const auto& named = compiled.regex->NamedCapturingGroups();
    auto secret = named.find("secret");
    compiled.secret_group = secret != named.end() ? secret->second : 1;
    auto name = named.find("name");
    compiled.name_group = name != named.end() ? name->second : -1;
  });
  std::string at = rule.file + ":" + std::to_string(rule.line) + ": rule " + rule.id;
  if (!compiled.regex->ok()) return make_error(at + ": RE2 rejects the pattern: " + compiled.regex->error());
  if (compiled.regex->NumberOfCapturingGroups() < compiled.secret_group)
    return make_error(at + ": the pattern needs a capture group (group 1 or one named 'secret')");
  return Ok{};
}

}  // namespace

struct MatchScratch {
  HsScratch hs;
  HsScratch wide;  // for the database of rules with a long reach, made on first use
  std::vector<Hit> hits;
  std::vector<Hit> window_hits;
  std::vector<std::pair<std::size_t, std::size_t>> windows;
  std::string joined;  // the windows end to end: one Hyperscan call per blob, not per window
  std::vector<Match> candidates;
  std::vector<re2::StringPiece> groups;
  const char* failure = nullptr;  // see scan_failure
};

void MatchScratchDeleter::operator()(MatchScratch* scratch) const {
  delete scratch;
}

const char* scan_failure(const MatchScratch& scratch) {
  return scratch.failure;
}

namespace {
// hs_scan over all of `bytes`, or the reason it did not look at them all.
const char* hyperscan(const hs_database_t* database, std::string_view bytes, hs_scratch_t* scratch,
                      match_event_handler on_match, void* context) {
  if (!scratch) return "Hyperscan scratch could not be allocated";
  if (bytes.size() > 0xffffffffu) return "blob over 4 GiB (Hyperscan's block limit)";
  hs_error_t status =
      hs_scan(database, bytes.data(), static_cast<unsigned>(bytes.size()), 0, scratch, on_match, context);
  return status == HS_SUCCESS || status == HS_SCAN_TERMINATED ? nullptr : "Hyperscan scan failed";
}
}  // namespace

struct Matcher::Impl {
  RuleList rules;
  std::vector<std::unique_ptr<CompiledRule>> compiled;
  HsDatabase database;
  HsScratch prototype;
  bool from_cache = false;
  std::string cache_dir;

  // For scan_delta: the longest reach of a local rule, and the other rules' own database,
  // compiled (or loaded from the cache) on first use.
  std::size_t local_reach = 0;
  std::size_t context_reach = 0;  // see Matcher::context_reach
  std::vector<std::uint32_t> wide_rules;
  std::once_flag wide_once;
  bool wide_ready = false;
  HsDatabase wide_database;
  HsScratch wide_prototype;

  bool prepare_wide() {
    std::call_once(wide_once, [&] {
      if (wide_rules.empty()) {
        wide_ready = true;
        return;
      }
      RuleList subset;
      for (std::uint32_t rule : wide_rules) subset.push_back(rules[rule]);
      auto compiled_wide = compile_database(subset, cache_dir);
      hs_scratch_t* scratch = nullptr;
      if (!compiled_wide || hs_alloc_scratch(compiled_wide->database.get(), &scratch) != HS_SUCCESS) return;
      wide_prototype.reset(scratch);
      wide_database = std::move(compiled_wide->database);
      wide_ready = true;
    });
    return wide_ready;
  }
};

Matcher::Matcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::~Matcher() = default;

const RuleList& Matcher::rules() const {
  return impl_->rules;
}
bool Matcher::loaded_from_cache() const {
  return impl_->from_cache;
}
std::size_t Matcher::context_reach() const {
  return impl_->context_reach;
}

Status Matcher::compile_all_regexes() const {
  for (std::size_t i = 0; i < impl_->rules.size(); ++i)
    KH_TRY(compile_regex(impl_->rules[i], *impl_->compiled[i]));
  return Ok{};
}

Result<std::unique_ptr<Matcher>> Matcher::build(RuleList rules, const MatcherOptions& options) {
  KH_TRY_ASSIGN(auto database, compile_database(rules, options.cache_dir));
  auto impl = std::make_unique<Impl>();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    auto compiled = std::make_unique<CompiledRule>();
    const PatternWidth& width = database.widths[i];
    const PatternWidth& match_width = database.match_widths[i];
    // A hit near the start of an unbounded match (a PEM block's BEGIN line) may be followed by
    // the whole match.
    if (rules[i].searched_around_hits()) compiled->lookahead = kUnboundedLookbehind;
    if (match_width.max != PatternWidth::kUnbounded) {
      compiled->lookbehind = match_width.max + 1;
      // A keyword or prefilter hit may end anywhere in the match, which may reach past it by its width.
      compiled->lookahead =
          rules[i].searched_around_hits() ? match_width.max + 1 : match_width.max - match_width.min + 1;
    }
    impl->context_reach =
        std::max(impl->context_reach, compiled->lookbehind + compiled->lookahead + 2 * kEdge);
    const auto& tags = rules[i].tags;
    compiled->generic = is_generic(rules[i]);
    compiled->catch_all = std::find(tags.begin(), tags.end(), "catch-all") != tags.end();
    compiled->local = !database.prefiltered[i] && width.max <= kLocalReach;
    if (compiled->local) {
      compiled->reach = width.max;
      impl->local_reach = std::max(impl->local_reach, compiled->reach);
    } else {
      impl->wide_rules.push_back(static_cast<std::uint32_t>(i));
    }
    // A freshly compiled rule set is checked whole, so every RE2 error shows up now; built-in
    // rules compile on first use like cached ones (rules check and the tests compile each one),
    // which halves a first run's start-up at 900 rules.
    if (!database.from_cache && !rules[i].embedded) KH_TRY(compile_regex(rules[i], *compiled));
    impl->compiled.push_back(std::move(compiled));
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(database.database.get(), &scratch) != HS_SUCCESS)
    return make_error("cannot allocate Hyperscan scratch space");
  impl->prototype.reset(scratch);
  impl->database = std::move(database.database);
  impl->from_cache = database.from_cache;
  impl->cache_dir = options.cache_dir;
  impl->rules = std::move(rules);
  return std::unique_ptr<Matcher>(new Matcher(std::move(impl)));
}

MatchScratchPtr Matcher::new_scratch() const {
  MatchScratchPtr scratch(new MatchScratch);
  hs_scratch_t* clone = nullptr;
  if (hs_clone_scratch(impl_->prototype.get(), &clone) != HS_SUCCESS)
    clone = nullptr;  // scans then fail loudly
  scratch->hs.reset(clone);
  return scratch;
}

namespace {

int on_hit(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/,
           void* context) {
  static_cast<std::vector<Hit>*>(context)->push_back({id, static_cast<std::size_t>(to)});
  return 0;
}

// RE2 confirms the hits of one rule and appends each secret's byte range to `out`.
void confirm_hits(const Rule& definition, CompiledRule& rule, std::uint32_t rule_index,
                  std::string_view bytes, const Hit* first, const Hit* last, MatchScratch& scratch) {
  if (!compile_regex(definition, rule)) return;
  const RE2& regex = *rule.regex;
  int group_count = regex.NumberOfCapturingGroups() + 1;
  scratch.groups.resize(group_count);
  std::size_t covered_until = 0;
  for (const Hit* hit = first; hit != last; ++hit) {
    if (hit->end <= covered_until && covered_until != 0) continue;
    std::size_t window_start = hit->end > rule.lookbehind ? hit->end - rule.lookbehind : 0;
    std::size_t window_end = std::min(bytes.size(), hit->end + rule.lookahead);
    covered_until = hit->end;
    std::size_t position = window_start;
    re2::StringPiece text(bytes.data(), bytes.size());
    while (position <= window_end &&
           regex.Match(text, position, window_end, RE2::UNANCHORED, scratch.groups.data(), group_count)) {
      const re2::StringPiece& whole = scratch.groups[0];
      const re2::StringPiece& secret = scratch.groups[rule.secret_group];
      std::size_t match_end = static_cast<std::size_t>(whole.data() - bytes.data()) + whole.size();
      bool named_as_secret = rule.name_group < 0 || scratch.groups[rule.name_group].data() == nullptr ||
                             !is_non_secret_name(std::string_view(scratch.groups[rule.name_group].data(),
                                                                  scratch.groups[rule.name_group].size()));
      if (secret.data() != nullptr && !secret.empty() && named_as_secret) {
        std::size_t start = static_cast<std::size_t>(secret.data() - bytes.data());
        scratch.candidates.push_back({rule_index, start, start + secret.size()});
      }
      covered_until = std::max(covered_until, match_end);
      position = whole.empty() ? match_end + 1 : match_end;
    }
  }
}

// A memo's order: by end, then rule, each hit once.
void sort_by_end(std::vector<Hit>& hits) {
  std::sort(hits.begin(), hits.end(),
            [](const Hit& a, const Hit& b) { return std::tie(a.end, a.rule) < std::tie(b.end, b.rule); });
  hits.erase(std::unique(hits.begin(), hits.end(),
                         [](const Hit& a, const Hit& b) { return a.end == b.end && a.rule == b.rule; }),
             hits.end());
}

bool overlaps(const Match& a, const Match& b) {
  return a.start < b.end && b.start < a.end;
}

}  // namespace

void Matcher::scan(std::string_view bytes, MatchScratch& scratch, std::vector<Match>& out,
                   ScanMemo* memo) const {
  scratch.hits.clear();
  scratch.failure = nullptr;
  if (!bytes.empty())
    scratch.failure = hyperscan(impl_->database.get(), bytes, scratch.hs.get(), on_hit, &scratch.hits);
  if (memo) {
    memo->size = bytes.size();
    memo->hits.clear();
    for (const Hit& hit : scratch.hits)
      if (impl_->compiled[hit.rule]->local) memo->hits.push_back(hit);
    sort_by_end(memo->hits);
  }
  confirm(bytes, scratch, out);
}

namespace {

// Copies in target order, inside both the target and the base.
bool copies_fit(const std::vector<DeltaCopy>& copies, std::size_t size, std::size_t base_size) {
  std::size_t after = 0;
  for (const DeltaCopy& copy : copies) {
    if (copy.target < after || copy.length > size - copy.target || copy.base > base_size ||
        copy.length > base_size - copy.base)
      return false;
    after = copy.target + copy.length;
  }
  return true;
}

}  // namespace

// Why this finds exactly the hits of a whole scan. A local rule's hit ending at `end` depends only
// on the bytes of its reach, [end - reach - kEdge, end + kEdge). If that reach lies inside one
// copied stretch, the same bytes were in the base at a fixed shift, away from the base's edges,
// so the base had the same hit: it is carried. Otherwise the reach touches a byte the delta did
// not copy, a seam between two copies or an edge of the bytes, and the window around that spot
// (reach + 2 * kEdge wide on each side) holds the whole reach, so Hyperscan finds the hit there.
// A window hit whose reach pokes out of its window is dropped: the window's own edge may have
// made it (a \b or an anchor at the cut), and if it is real it is carried or found elsewhere.
void Matcher::scan_delta(std::string_view bytes, const std::vector<DeltaCopy>& copies, const ScanMemo& base,
                         MatchScratch& scratch, std::vector<Match>& out, ScanMemo* memo) const {
  Impl& impl = *impl_;
  if (bytes.empty() || !copies_fit(copies, bytes.size(), base.size) || !impl.prepare_wide())
    return scan(bytes, scratch, out, memo);
  auto& hits = scratch.hits;
  hits.clear();
  for (const DeltaCopy& copy : copies) {
    auto hit = std::lower_bound(base.hits.begin(), base.hits.end(), copy.base,
                                [](const Hit& h, std::size_t value) { return h.end < value; });
    for (; hit != base.hits.end() && hit->end + kEdge <= copy.base + copy.length; ++hit) {
      if (hit->end < copy.base + impl.compiled[hit->rule]->reach + kEdge) continue;
      hits.push_back({hit->rule, hit->end - copy.base + copy.target});
    }
  }
  // Windows around every stretch the delta inserted and every seam, merged where they meet.
  const std::size_t margin = impl.local_reach + 2 * kEdge;
  auto& windows = scratch.windows;
  windows.clear();
  auto add_window = [&](std::size_t from, std::size_t to) {
    std::size_t start = from > margin ? from - margin : 0;
    std::size_t end = std::min(bytes.size(), to + margin);
    if (!windows.empty() && start <= windows.back().second)
      windows.back().second = std::max(windows.back().second, end);
    else
      windows.emplace_back(start, end);
  };
  std::size_t uncopied = 0;
  for (const DeltaCopy& copy : copies) {
    add_window(uncopied, copy.target);
    uncopied = copy.target + copy.length;
  }
  add_window(uncopied, bytes.size());
  // One Hyperscan call over the windows joined end to end; a hit that leans on the window
  // before or after it has its reach poking out of its own window, so it is dropped like one
  // leaning on a cut.
  auto& joined = scratch.joined;
  joined.clear();
  for (const auto& [start, end] : windows) joined.append(bytes.data() + start, end - start);
  scratch.window_hits.clear();
  scratch.failure = hyperscan(impl.database.get(), joined, scratch.hs.get(), on_hit, &scratch.window_hits);
  std::sort(scratch.window_hits.begin(), scratch.window_hits.end(),
            [](const Hit& a, const Hit& b) { return a.end < b.end; });
  std::size_t window = 0, window_at = 0;  // window_at: where `window` starts in `joined`
  for (const Hit& found : scratch.window_hits) {
    const CompiledRule& rule = *impl.compiled[found.rule];
    if (!rule.local) continue;
    while (found.end > window_at + (windows[window].second - windows[window].first)) {
      window_at += windows[window].second - windows[window].first;
      ++window;
    }
    const auto [start, end] = windows[window];
    std::size_t at = found.end - window_at + start;
    if (start != 0 && at < start + rule.reach + kEdge) continue;
    if (end != bytes.size() && at + kEdge > end) continue;
    hits.push_back({found.rule, at});
  }
  if (memo) {
    memo->size = bytes.size();
    memo->hits = hits;
    sort_by_end(memo->hits);
  }
  if (impl.wide_database) {
    if (!scratch.wide) {
      hs_scratch_t* clone = nullptr;
      if (hs_clone_scratch(impl.wide_prototype.get(), &clone) != HS_SUCCESS) clone = nullptr;
      scratch.wide.reset(clone);
    }
    scratch.window_hits.clear();
    if (const char* failed =
            hyperscan(impl.wide_database.get(), bytes, scratch.wide.get(), on_hit, &scratch.window_hits))
      scratch.failure = failed;
    for (const Hit& found : scratch.window_hits) hits.push_back({impl.wide_rules[found.rule], found.end});
  }
  confirm(bytes, scratch, out);
}

void Matcher::confirm(std::string_view bytes, MatchScratch& scratch, std::vector<Match>& out) const {
  out.clear();
  scratch.candidates.clear();
  if (scratch.hits.empty()) return;
  // By rule, then end: the same order whichever way the hits were found.
  std::sort(scratch.hits.begin(), scratch.hits.end(),
            [](const Hit& a, const Hit& b) { return std::tie(a.rule, a.end) < std::tie(b.rule, b.end); });
  scratch.hits.erase(
      std::unique(scratch.hits.begin(), scratch.hits.end(),
                  [](const Hit& a, const Hit& b) { return a.rule == b.rule && a.end == b.end; }),
      scratch.hits.end());
  for (std::size_t i = 0; i < scratch.hits.size();) {
    std::size_t j = i;
    while (j < scratch.hits.size() && scratch.hits[j].rule == scratch.hits[i].rule) ++j;
    std::uint32_t rule = scratch.hits[i].rule;
    confirm_hits(impl_->rules[rule], *impl_->compiled[rule], rule, bytes, &scratch.hits[i], &scratch.hits[j],
                 scratch);
    i = j;
  }

  // One match per stretch of bytes per rule: a window edge can cut a match short, and the
  // cut piece is contained in the whole one found from another hit. Keep the containing one.
  auto& candidates = scratch.candidates;
  std::sort(candidates.begin(), candidates.end(), [](const Match& a, const Match& b) {
    return std::tie(a.rule, a.start, b.end) < std::tie(b.rule, b.start, a.end);
  });
  std::size_t kept_candidates = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Match& last = candidates[kept_candidates == 0 ? 0 : kept_candidates - 1];
    bool contained = kept_candidates > 0 && last.rule == candidates[i].rule && candidates[i].end <= last.end;
    if (!contained) candidates[kept_candidates++] = candidates[i];
  }
  candidates.resize(kept_candidates);
  std::sort(candidates.begin(), candidates.end(), [](const Match& a, const Match& b) {
    return std::tie(a.start, a.end, a.rule) < std::tie(b.start, b.end, b.rule);
  });
  for (const Match& candidate : candidates) {
    std::string_view secret = bytes.substr(candidate.start, candidate.end - candidate.start);
    if (reason_not_a_secret(secret, impl_->rules[candidate.rule]) != nullptr) continue;
    out.push_back(candidate);
  }
  // A generic rule yields to a specific rule that found overlapping bytes; a catch-all rule
  // (any name ending in "key") also yields to a generic rule of a known shape ($mail->Password).
  std::vector<bool> drop(out.size(), false);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const CompiledRule& rule = *impl_->compiled[out[i].rule];
    if (!rule.generic) continue;
    for (std::size_t j = 0; j < out.size(); ++j) {
      const CompiledRule& other = *impl_->compiled[out[j].rule];
      if (j == i || (other.generic && (!rule.catch_all || other.catch_all))) continue;
      if (out[j].start >= out[i].end) break;
      if (overlaps(out[i], out[j])) {
        drop[i] = true;
        break;
      }
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!drop[i]) out[kept++] = out[i];
  out.resize(kept);
}

}  // namespace keyhound
