// The staged source: the git library's StagedChanges, each blob handed on with a LineFilter
// that asks for the lines the index adds only when something in the blob matched.
#include <optional>

#include "git/staged.hpp"
#include "source/directory.hpp"
#include "source/git.hpp"

namespace keyhound {
namespace {

// The lines a staged blob adds over HEAD's version at its path, worked out on first use.
class LinesAdded : public LineFilter {
 public:
  explicit LinesAdded(const StagedVisitor::AddedLinesQuery& query) : query_(query) {}

  const std::vector<LineRange>* ranges() override {
    if (!worked_out_) {
      worked_out_ = true;
      if (auto added = query_()) {
        for (const auto& lines : *added) ranges_.push_back({lines.first, lines.last});
        readable_ = true;
      }
    }
    return readable_ ? &ranges_ : nullptr;
  }

 private:
  const StagedVisitor::AddedLinesQuery& query_;
  bool worked_out_ = false;
  bool readable_ = false;
  std::vector<LineRange> ranges_;
};

class StagedForward : public StagedVisitor {
 public:
  explicit StagedForward(BlobVisitor& visitor) : visitor_(visitor) {}

  void on_blob(unsigned worker, std::string id, const std::string& path, std::string_view bytes,
               const AddedLinesQuery& added_lines) override {
    if (looks_binary(bytes)) {
      visitor_.on_warning({SkipReason::binary, path, "skipped: binary"});
      return;
    }
    Blob blob;
    blob.id = std::move(id);
    blob.origin.path = path;
    blob.bytes = bytes;
    LinesAdded added(added_lines);
    blob.only_lines = &added;
    visitor_.on_blob(worker, blob);
  }

  void on_warning(const GitWarning& warning) override {
    visitor_.on_warning({skip_reason(warning.problem), warning.where, warning.message});
  }

 private:
  BlobVisitor& visitor_;
};

class GitStagedSource : public Source {
 public:
  GitStagedSource(std::string repository, SourceOptions options)
      : changes_(
            std::move(repository), options.max_file_size,
            [globs = options.exclude_globs](const std::string& path) { return path_excluded(path, globs); }) {
  }

  Status open() override { return changes_.open(); }

  Status run(unsigned threads, BlobVisitor& visitor) override {
    KH_TRY(prepare());
    StagedForward forward(visitor);
    return changes_.read(threads, forward);
  }

 private:
  StagedChanges changes_;
};

}  // namespace

std::unique_ptr<Source> make_git_staged_source(std::string repository, SourceOptions source_options) {
  return std::make_unique<GitStagedSource>(std::move(repository), std::move(source_options));
}

}  // namespace keyhound
