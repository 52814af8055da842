// The history source: every distinct blob reachable from the scanned refs, read once in pack
// order by parallel workers; provenance is worked out afterwards for the blobs that need it.
#include <optional>
#include <thread>

#include "source/git.hpp"
#include "source/git_oid_table.hpp"
#include "source/git_pack_order.hpp"
#include "source/git_provenance.hpp"
#include "source/git_repository.hpp"
#include "source/git_tree_graph.hpp"
#include "source/git_tree_walk.hpp"
#include "source/git_workers.hpp"

namespace keyhound {
namespace {

class GitHistorySource : public Source {
 public:
  GitHistorySource(GitHistoryOptions options, SourceOptions source_options)
      : options_(std::move(options)), source_options_(std::move(source_options)) {}

  Status open() override {
    auto opened = open_repository(options_.repository);
    if (!opened) return opened.error();
    repo_ = std::move(*opened);
    packs_ = std::make_unique<PackSet>(object_directories(repo_.get()));
    return Ok{};
  }

  Status run(unsigned threads, BlobVisitor& visitor) override {
    KH_TRY(prepare());
    threads_ = threads;
    tune_libgit2_for_scanning();
    WarningSink warn = [&visitor](const SourceWarning& warning) { visitor.on_warning(warning); };
    if (git_repository_is_shallow(repo_.get()) == 1)
      warn({SkipReason::other, options_.repository, "shallow clone: history before its boundary is not scanned"});
    bool narrowed = !options_.since.empty() || !options_.branches.empty() || !options_.refs.empty();
    if (narrowed) {
      auto blobs = reachable_blobs(warn);
      if (!blobs) return blobs.error();
      return read_all(*blobs, threads, visitor);
    }
    // The whole repository: every blob of the object database, listed from the pack headers in
    // pack order. Walking the history (which costs about as much as inflating every tree) runs
    // beside the listing and the readers, and starts first, as it is the longer job; it finds
    // the blobs the refs need (to name any the database lacks) and orders the commits for
    // provenance.
    std::vector<git_oid> needed;
    auto graph_repo = reopen_repository(git_repository_path(repo_.get()));
    if (!graph_repo) return graph_repo.error();
    std::thread history([&] {
      // The commit walk (on repo_) runs beside the tree loading (on a handle of its own), so the
      // history side does not finish long after the readers.
      std::optional<Result<ScanTips>> tips;
      std::thread walk([&] {
        tips = resolve_tips(repo_.get(), {}, {}, warn);
        if (*tips) commits_ = walk_commits(repo_.get(), (*tips)->commits, {}, warn);
      });
      // Every packed tree in pack order, then the walk over integers; provenance reuses the graph.
      graph_ = std::make_unique<TreeGraph>(graph_repo->get(), packs_.get());
      graph_->load_packed_trees();
      walk.join();
      if (*tips) needed = reachable_from(**tips, warn);
    });
    OidTable present;
    auto status = list_and_read_all(threads, visitor, present);
    history.join();
    commits_ready_ = true;
    for (const auto& blob : needed)
      if (!present.contains(blob)) warn({SkipReason::unreadable, oid_hex(blob), "blob missing from the object database"});
    return status;
  }

  Result<OriginMap> resolve_origins(const std::vector<std::string>& blob_ids) override {
    if (!repo_ || !commits_ready_ || !graph_) return OriginMap{};
    return find_origins(repo_.get(), *graph_, commits_, blob_ids, graph_complete_ ? threads_ : 1);
  }

 private:
  // The narrowed scan: blobs reachable from the chosen refs (or new since --since), pack order.
  Result<std::vector<BlobPosition>> reachable_blobs(const WarningSink& warn) {
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
    commits_ready_ = true;
    graph_ = std::make_unique<TreeGraph>(repo_.get(), packs_.get());
    if (options_.since.empty()) {
      graph_->load_packed_trees();
      return in_pack_order(*packs_, reachable_from(*tips, warn));
    }
    // Only what the commits changed: trees are read as the diffs reach them.
    OidTable blob_set;
    NewBlobFinder finder(*graph_, warn);
    for (const auto& commit : commits_)
      finder.run(commit.tree, commit.parent_trees,
                 [&](TreeGraph::Node blob, const std::string&) { blob_set.insert(graph_->oid(blob)); });
    return in_pack_order(*packs_, blob_set.to_vector());
  }

  // Every blob the walked commits and the tips' trees and blobs reach. Afterwards the graph
  // holds every tree they reach (or knows it unreadable).
  std::vector<git_oid> reachable_from(const ScanTips& tips, const WarningSink& warn) {
    ReachableBlobs reachable(*graph_, warn);
    for (const auto& commit : commits_) reachable.add_tree(commit.tree);
    for (const auto& tree : tips.trees) reachable.add_tree(tree);
    for (const auto& blob : tips.blobs) reachable.add_blob(blob);
    graph_complete_ = true;
    return reachable.blobs();
  }

  // Lists every blob of the database (on a handle of its own: the history walk uses repo_) and
  // reads them all; `present` gets every blob listed.
  Status list_and_read_all(unsigned threads, BlobVisitor& visitor, OidTable& present) {
    auto lister = reopen_repository(git_repository_path(repo_.get()));
    if (!lister) return lister.error();
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, lister->get()) != 0)
      return make_error("cannot open the object database: " + git_error_text());
    OdbPtr odb(raw_odb);
    std::vector<BlobPosition> blobs = all_blobs_in_pack_order(*packs_, object_directories(lister->get()), odb.get());
    for (const auto& blob : blobs) present.insert(blob.oid);
    return read_all(blobs, threads, visitor, /*yield=*/true);
  }

  // `yield`: the history walk runs beside the readers (see run_git_workers).
  Status read_all(const std::vector<BlobPosition>& blobs, unsigned threads, BlobVisitor& visitor, bool yield = false) {
    const std::uint64_t max_size = source_options_.max_file_size;
    struct WorkerState {
      std::unique_ptr<PackReader> reader;
      OdbPtr odb;
      BlobDelta delta;
    };
    std::vector<WorkerState> states(std::max(1u, threads));
    return run_git_workers(
        git_repository_path(repo_.get()), blobs.size(), threads, 2048,
        [&](unsigned worker, git_repository* repo, std::size_t index) {
          WorkerState& state = states[worker];
          const BlobPosition& position = blobs[index];
          std::string id = oid_hex(position.oid);
          auto too_large = [&](std::uint64_t size) {
            visitor.on_warning({SkipReason::too_large, id,
                                "skipped: blob of " + std::to_string(size) + " bytes is over --max-file-size (" +
                                    std::to_string(max_size) + ")"});
          };
          // Packed blobs through this worker's own reader; loose ones, and anything the reader
          // finds damaged, through libgit2 (which then names the problem).
          if (position.packed) {
            if (!state.reader) state.reader = std::make_unique<PackReader>(*packs_);
            auto header = state.reader->header(*position.packed);
            if (header && header->type == GIT_OBJECT_BLOB && header->size > max_size) return too_large(header->size);
            auto object = header ? state.reader->read(*position.packed, true) : Result<PackObject>(header.error());
            if (object && object->type == GIT_OBJECT_BLOB) {
              const BlobDelta* delta = nullptr;
              if (object->base)
                if (auto base = packs_->oid_at(*object->base)) {
                  state.delta.base_id = oid_hex(*base);
                  state.delta.copies = std::move(object->copies);
                  delta = &state.delta;
                }
              return deliver(worker, std::move(id), object->bytes.view(), delta, visitor);
            }
          }
          if (!state.odb) {
            git_odb* raw = nullptr;
            if (git_repository_odb(&raw, repo) != 0) return;
            state.odb.reset(raw);
          }
          ReadBlob read = read_blob(state.odb.get(), position.oid, max_size);
          if (read.too_large) return too_large(read.size);
          if (!read.object) {
            visitor.on_warning({SkipReason::unreadable, id, read.error});
            return;
          }
          std::string_view bytes(static_cast<const char*>(git_odb_object_data(read.object.get())),
                                 git_odb_object_size(read.object.get()));
          deliver(worker, std::move(id), bytes, nullptr, visitor);
        },
        yield);
  }

  static void deliver(unsigned worker, std::string id, std::string_view bytes, const BlobDelta* delta,
                      BlobVisitor& visitor) {
    if (looks_binary(bytes)) {
      visitor.on_warning({SkipReason::binary, id, "skipped: binary"});
      return;
    }
    Blob blob;
    blob.id = std::move(id);
    blob.bytes = bytes;
    blob.delta = delta;
    blob.may_be_delta_base = true;
    visitor.on_blob(worker, blob);
  }

  GitHistoryOptions options_;
  SourceOptions source_options_;
  GitLibrary library_;
  RepositoryPtr repo_;
  std::unique_ptr<PackSet> packs_;
  std::unique_ptr<TreeGraph> graph_;
  std::vector<CommitNode> commits_;  // oldest first
  bool commits_ready_ = false;
  bool graph_complete_ = false;  // every tree the commits reach is in the graph (or unreadable)
  unsigned threads_ = 1;
};

}  // namespace

std::unique_ptr<Source> make_git_history_source(GitHistoryOptions options, SourceOptions source_options) {
  return std::make_unique<GitHistorySource>(std::move(options), std::move(source_options));
}

}  // namespace keyhound
