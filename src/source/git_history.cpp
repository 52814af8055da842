// The history source: the git library's HistoryReader, its blobs and warnings turned into the
// source's Blobs and SourceWarnings, and its introductions into Origins.
#include "git/history.hpp"
#include "source/git.hpp"

namespace keyhound {

SkipReason skip_reason(GitProblem problem) {
  switch (problem) {
    case GitProblem::unreadable:
      return SkipReason::unreadable;
    case GitProblem::too_large:
      return SkipReason::too_large;
    case GitProblem::not_entered:
      return SkipReason::other;
  }
  return SkipReason::other;
}

namespace {

// Hands the reader's blobs to the scan's visitor.
class HistoryForward : public HistoryVisitor {
 public:
  HistoryForward(BlobVisitor& visitor, unsigned threads)
      : visitor_(visitor), deltas_(std::max(1u, threads)) {}

  void on_blob(unsigned worker, std::string id, std::string_view bytes, const HistoryDelta* delta) override {
    if (looks_binary(bytes)) {
      visitor_.on_warning({SkipReason::binary, id, "skipped: binary"});
      return;
    }
    Blob blob;
    blob.id = std::move(id);
    blob.bytes = bytes;
    blob.may_be_delta_base = true;
    if (delta) {
      BlobDelta& mine = deltas_[worker];
      mine.base_id = delta->base_id;
      mine.copies = delta->copies;
      blob.delta = &mine;
    }
    visitor_.on_blob(worker, blob);
  }

  void on_warning(const GitWarning& warning) override {
    visitor_.on_warning({skip_reason(warning.problem), warning.where, warning.message});
  }

 private:
  BlobVisitor& visitor_;
  std::vector<BlobDelta> deltas_;  // per worker, reused
};

class GitHistorySource : public Source {
 public:
  GitHistorySource(GitHistoryOptions options, SourceOptions source_options)
      : shard_(source_options.shard),
        reader_(with_shard(std::move(options), shard_), source_options.max_file_size) {}

  Status open() override { return reader_.open(); }

  Status run(unsigned threads, BlobVisitor& all) override {
    KH_TRY(prepare());
    ShardVisitor sharded(all, shard_);  // warnings: the reader skips other shards' blobs itself
    HistoryForward forward(shard_.whole() ? all : sharded, threads);
    return reader_.read(threads, forward);
  }

  Result<OriginMap> resolve_origins(const std::vector<std::string>& blob_ids) override {
    KH_TRY_ASSIGN(auto introductions, reader_.introductions(blob_ids));
    OriginMap origins;
    for (auto& [blob, list] : introductions)
      for (auto& introduction : list)
        origins[blob].push_back(Origin{std::move(introduction.path), std::move(introduction.commit),
                                       std::move(introduction.author_name),
                                       std::move(introduction.author_email), introduction.commit_time,
                                       introduction.commit_time_offset, std::move(introduction.summary)});
    return origins;
  }

 private:
  static GitHistoryOptions with_shard(GitHistoryOptions options, Shard shard) {
    options.shard = shard;
    return options;
  }
  Shard shard_;
  HistoryReader reader_;
};

}  // namespace

std::unique_ptr<Source> make_git_history_source(GitHistoryOptions options, SourceOptions source_options) {
  return std::make_unique<GitHistorySource>(std::move(options), std::move(source_options));
}

}  // namespace keyhound
