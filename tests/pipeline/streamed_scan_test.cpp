// A file scanned in pieces (SourceOptions::stream_chunk) gives exactly the findings of the same
// file read whole: every built-in rule's examples at random places, with chunk sizes that put
// piece edges through them, and lines long enough to be cut.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "pipeline/scan.hpp"
#include "rules/loader.hpp"
#include "source/directory.hpp"
#include "support/build_paths.hpp"
#include "support/support.hpp"

namespace keyhound {
namespace {

std::unique_ptr<Matcher> builtin_matcher() {
  auto rules = parse_rule_sources(builtin_rule_sources());
  EXPECT_TRUE(rules) << rules.error().message;
  auto matcher = Matcher::build(std::move(*rules), MatcherOptions{KEYHOUND_TEST_CACHE_DIR});
  EXPECT_TRUE(matcher) << matcher.error().message;
  return std::move(*matcher);
}

// Every finding and location field a report shows, one row per location.
std::vector<std::string> rows(const ScanResult& result) {
  std::vector<std::string> out;
  for (const auto& finding : result.findings)
    for (const auto& at : finding.locations)
      out.push_back(finding.rule_id + " " + finding.fingerprint + " " + at.origin.path + ":" +
                    std::to_string(at.line) + ":" + std::to_string(at.column) + "-" +
                    std::to_string(at.end_line) + ":" + std::to_string(at.end_column) + " @" +
                    std::to_string(at.start_offset) + "-" + std::to_string(at.end_offset) + " " + at.blob_id +
                    " " + at.decoded + " r" + std::to_string(at.reasons));
  return out;
}

ScanResult scan_file(const std::string& path, const Matcher& matcher, std::uint64_t stream_chunk) {
  SourceOptions options;
  options.max_file_size = 1ull << 30;
  options.stream_chunk = stream_chunk;
  auto source = make_directory_source({path}, options);
  ScanSettings settings;
  settings.fingerprint_key = "streamed-scan-test";
  std::vector<std::string> warnings;
  settings.on_warning = [&](const SourceWarning& warning) { warnings.push_back(warning.message); };
  auto result = run_scan(*source, matcher, settings);
  EXPECT_TRUE(result) << result.error().message;
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  return std::move(*result);
}

// `text` through a pipe, as `keyhound scan -` reads standard input.
ScanResult scan_pipe(const std::string& text, const Matcher& matcher, std::uint64_t stream_chunk) {
  int ends[2];
  EXPECT_EQ(::pipe(ends), 0);
  std::thread writer([&] {
    for (std::size_t at = 0; at < text.size();) {
      ssize_t put = ::write(ends[1], text.data() + at, std::min<std::size_t>(text.size() - at, 1 << 20));
      if (put <= 0) break;
      at += static_cast<std::size_t>(put);
    }
    ::close(ends[1]);
  });
  SourceOptions options;
  options.max_file_size = 1ull << 30;
  options.stream_chunk = stream_chunk;
  auto source = make_stream_source(ends[0], "<stdin>", options);
  ScanSettings settings;
  settings.fingerprint_key = "streamed-scan-test";
  std::vector<std::string> warnings;
  settings.on_warning = [&](const SourceWarning& warning) { warnings.push_back(warning.message); };
  auto result = run_scan(*source, matcher, settings);
  writer.join();
  ::close(ends[0]);
  EXPECT_TRUE(result) << result.error().message;
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  return std::move(*result);
}

// The examples of every built-in rule, each on lines of its own between filler lines of random
// length, some in a markdown fence or a comment block (line evidence that carries across
// pieces), and a few filler lines longer than a window's overlap.
std::string examples_file(const Matcher& matcher, unsigned seed) {
  std::mt19937 random(seed);
  auto filler = [&](std::size_t length) {
    std::string line;
    for (std::size_t i = 0; i < length; ++i) line.push_back("abcdefgh ijklmnop,.;"[random() % 20]);
    return line + "\n";
  };
  std::string text = "# streamed file\n";
  std::size_t count = 0;
  for (const auto& rule : matcher.rules()) {
    for (const auto& example : rule.examples) {
      text += filler(random() % 200);
      switch (random() % 8) {
        case 0:
          text += "```\n" + example + "\n```\n";
          break;
        case 1:
          text += "/*\n" + example + "\n*/\n";
          break;
        default:
          text += example + "\n";
      }
      if (++count % 400 == 0) text += filler(100000);  // longer than the window's overlap (64 KiB)
    }
  }
  return text;
}

TEST(StreamedScan, FindingsAreThoseOfTheWholeFileAtEveryPieceSize) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  testing::TempDir dir;
  for (unsigned seed : {1u, 2u}) {
    auto path = dir.write("big" + std::to_string(seed) + ".txt", examples_file(*matcher, seed)).string();
    auto whole = rows(scan_file(path, *matcher, 1ull << 30));
    ASSERT_GT(whole.size(), 600u) << "the examples should make hundreds of findings";
    // Pieces of 16 KiB and up: every window reaches 64 KiB past its piece on both sides and
    // confirms all it holds, so smaller pieces only make the test slower (the file is dense
    // with secrets); the edges still cut through dozens of examples per size.
    std::mt19937 random(seed);
    std::vector<std::uint64_t> sizes = {16384 + random() % 8192};
    if (seed == 1) sizes.insert(sizes.end(), {65521, 1u << 20});
    for (std::uint64_t chunk : sizes) {
      auto streamed = rows(scan_file(path, *matcher, chunk));
      ASSERT_EQ(streamed.size(), whole.size()) << "chunk " << chunk;
      for (std::size_t i = 0; i < whole.size(); ++i) ASSERT_EQ(streamed[i], whole[i]) << "chunk " << chunk;
    }
  }
}

// Standard input longer than a piece goes through the same windows (from a temporary copy):
// the findings, locations and blob ids of the input held whole, with piece edges through the
// examples.
TEST(StreamedScan, StdinPastOnePieceGivesTheFindingsOfTheWholeInput) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  for (unsigned seed : {3u, 4u}) {
    std::string text = examples_file(*matcher, seed);
    auto whole = rows(scan_pipe(text, *matcher, 1ull << 30));
    ASSERT_GT(whole.size(), 600u) << "the examples should make hundreds of findings";
    std::mt19937 random(seed);
    for (std::uint64_t chunk : {std::uint64_t{16384 + random() % 8192}, std::uint64_t{65521}}) {
      auto streamed = rows(scan_pipe(text, *matcher, chunk));
      ASSERT_EQ(streamed.size(), whole.size()) << "chunk " << chunk;
      for (std::size_t i = 0; i < whole.size(); ++i) ASSERT_EQ(streamed[i], whole[i]) << "chunk " << chunk;
    }
  }
}

// Line numbers and columns of a file whose lines hold multi-byte characters, and a secret
// whose line starts long before its piece's window.
TEST(StreamedScan, LinesAndColumnsCountFromTheFileStart) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "ünïcödé line " + std::to_string(i) + "\n";
  text += std::string(200000, 'x') + " ; aws_access_key_id = AKIAVQ3M6TXP2HLD7WJE\n";
  for (int i = 0; i < 5000; ++i) text += "tail " + std::to_string(i) + "\n";
  auto path = dir.write("lines.txt", text).string();
  auto whole = scan_file(path, *matcher, 1ull << 30);
  auto streamed = scan_file(path, *matcher, 8192);
  ASSERT_EQ(rows(whole), rows(streamed));
  ASSERT_EQ(streamed.findings.size(), 1u);
  EXPECT_EQ(streamed.findings[0].locations[0].line, 5001u);
  EXPECT_EQ(streamed.findings[0].locations[0].column, 200000u + 24u);
}

// The window buffer is reused: a file of many pieces costs one piece of memory, not the file.
TEST(StreamedScan, PeakMemoryStaysNearOnePiece) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  testing::TempDir dir;
  std::string line = "plain text without secrets, only words and numbers 0123456789\n";
  {
    std::string block;
    while (block.size() < (1u << 20)) block += line;
    std::FILE* file = std::fopen((dir.path() / "big.txt").c_str(), "w");
    ASSERT_NE(file, nullptr);
    for (int i = 0; i < 128; ++i) std::fwrite(block.data(), 1, block.size(), file);  // 128 MiB
    std::fclose(file);
  }
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  auto result = scan_file((dir.path() / "big.txt").string(), *matcher, 8ull << 20);
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  EXPECT_EQ(result.stats.bytes_scanned, 128u * ((1u << 20) / line.size() + 1) * line.size());
  // ru_maxrss is in KiB: the peak may grow by the window (8 MiB + overlaps) and the page
  // cache's pages never count, so 64 MiB is generous; reading the file whole would add 128.
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024)
      << "peak RSS grew by " << after.ru_maxrss - before.ru_maxrss << " KiB";
}

// A 256 MiB pipe costs one piece of memory, not the input: held whole it would add 256 MiB
// (and more while the buffer doubles).
TEST(StreamedScan, StdinPeakMemoryStaysNearOnePiece) {
  auto matcher = builtin_matcher();
  ASSERT_TRUE(matcher);
  std::string line = "plain text without secrets, only words and numbers 0123456789\n";
  std::string block;
  while (block.size() < (1u << 20)) block += line;
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  std::thread writer([&] {
    for (int i = 0; i < 256; ++i)
      for (std::size_t at = 0; at < block.size();) {
        ssize_t put = ::write(ends[1], block.data() + at, block.size() - at);
        if (put <= 0) return ::close(ends[1]), void();
        at += static_cast<std::size_t>(put);
      }
    ::close(ends[1]);
  });
  SourceOptions options;
  options.max_file_size = 1ull << 30;
  options.stream_chunk = 8ull << 20;
  auto source = make_stream_source(ends[0], "<stdin>", options);
  ScanSettings settings;
  settings.fingerprint_key = "streamed-scan-test";
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  auto result = run_scan(*source, *matcher, settings);
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  writer.join();
  ::close(ends[0]);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->stats.bytes_scanned, 256u * block.size());
  EXPECT_EQ(result->stats.blobs_scanned, 1u);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024)
      << "peak RSS grew by " << after.ru_maxrss - before.ru_maxrss << " KiB";
}

}  // namespace
}  // namespace keyhound
