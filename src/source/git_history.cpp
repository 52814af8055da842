// The history source: every distinct blob reachable from the scanned refs, read once in pack
// order by parallel workers; provenance is worked out afterwards for the blobs that need it.
#include <mutex>

#include "source/git.hpp"
#include "source/git_pack_order.hpp"
#include "source/git_provenance.hpp"
#include "source/git_repository.hpp"
#include "source/git_tree_walk.hpp"
#include "source/git_workers.hpp"

namespace keyhound {
namespace {

class GitHistorySource : public Source {
 public:
  GitHistorySource(GitHistoryOptions options, SourceOptions source_options)
      : options_(std::move(options)), source_options_(std::move(source_options)) {}

  Status run(unsigned threads, BlobVisitor& visitor) override {
    auto opened = open_repository(options_.repository);
    if (!opened) return opened.error();
    repo_ = std::move(*opened);
    tune_libgit2_for_scanning();
    WarningSink warn = [&visitor](const SourceWarning& warning) { visitor.on_warning(warning); };
    if (git_repository_is_shallow(repo_.get()) == 1)
      warn({SkipReason::other, options_.repository, "shallow clone: history before its boundary is not scanned"});

    // With --since the range ends at HEAD unless refs are named.
    std::vector<std::string> revisions = options_.refs;
    if (!options_.since.empty() && options_.branches.empty() && revisions.empty()) revisions.push_back("HEAD");
    auto tips = resolve_tips(repo_.get(), options_.branches, revisions, warn);
    if (!tips) return tips.error();
    std::vector<git_oid> hidden;
    if (!options_.since.empty()) {
      auto since = resolve_commit(repo_.get(), options_.since);
      if (!since) return make_error("--since: " + since.error().message);
      hidden.push_back(*since);
    }
    commits_ = walk_commits(repo_.get(), tips->commits, hidden, warn);

    OidSet blob_set;
    TreeWalker walker(repo_.get(), warn);
    if (options_.since.empty()) {
      for (const auto& commit : commits_) walker.collect_blobs(commit.tree, blob_set);
      for (const auto& tree : tips->trees) walker.collect_blobs(tree, blob_set);
      blob_set.insert(tips->blobs.begin(), tips->blobs.end());
    } else {
      for (const auto& commit : commits_)
        walker.for_each_new_blob(commit.tree, commit.parent_trees,
                                 [&](const git_oid& blob, const std::string&) { blob_set.insert(blob); });
    }
    std::vector<git_oid> blobs(blob_set.begin(), blob_set.end());
    OidSet().swap(blob_set);
    sort_in_pack_order(object_directories(repo_.get()), blobs);

    const std::uint64_t max_size = source_options_.max_file_size;
    std::vector<OdbPtr> odbs(std::max(1u, threads));
    return run_git_workers(
        git_repository_path(repo_.get()), blobs.size(), threads, 512,
        [&](unsigned worker, git_repository* repo, std::size_t index) {
          if (!odbs[worker]) {
            git_odb* raw = nullptr;
            if (git_repository_odb(&raw, repo) != 0) return;
            odbs[worker].reset(raw);
          }
          const git_oid& oid = blobs[index];
          ReadBlob read = read_blob(odbs[worker].get(), oid, max_size);
          std::string id = oid_hex(oid);
          if (read.too_large) {
            visitor.on_warning({SkipReason::too_large, id,
                                "skipped: blob of " + std::to_string(read.size) + " bytes is over --max-file-size (" +
                                    std::to_string(max_size) + ")"});
            return;
          }
          if (!read.object) {
            visitor.on_warning({SkipReason::unreadable, id, read.error});
            return;
          }
          Blob blob;
          blob.id = std::move(id);
          blob.bytes = std::string_view(static_cast<const char*>(git_odb_object_data(read.object.get())),
                                        git_odb_object_size(read.object.get()));
          if (looks_binary(blob.bytes)) {
            visitor.on_warning({SkipReason::binary, blob.id, "skipped: binary"});
            return;
          }
          visitor.on_blob(worker, blob);
        });
  }

  Result<OriginMap> resolve_origins(const std::vector<std::string>& blob_ids) override {
    if (!repo_) return OriginMap{};
    return find_origins(repo_.get(), commits_, blob_ids);
  }

 private:
  GitHistoryOptions options_;
  SourceOptions source_options_;
  GitLibrary library_;
  RepositoryPtr repo_;
  std::vector<CommitNode> commits_;  // oldest first
};

}  // namespace

std::unique_ptr<Source> make_git_history_source(GitHistoryOptions options, SourceOptions source_options) {
  return std::make_unique<GitHistorySource>(std::move(options), std::move(source_options));
}

}  // namespace keyhound
