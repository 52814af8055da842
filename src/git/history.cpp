// The history reader: lists the scope's blobs in pack order, reads them on parallel workers
// (packed ones through each worker's PackReader, loose or damaged ones through libgit2) and
// keeps the commit order and tree graph for provenance.
#include "git/history.hpp"

#include <algorithm>
#include <optional>
#include <thread>

#include "git/commits.hpp"
#include "git/oid_table.hpp"
#include "git/pack_order.hpp"
#include "git/repository.hpp"
#include "git/tree_graph.hpp"
#include "git/tree_walk.hpp"
#include "git/workers.hpp"

namespace keyhound {

struct HistoryReader::State {
  HistoryScope scope;
  std::uint64_t max_blob_size = 0;
  GitLibrary library;
  RepositoryPtr repo;
  std::unique_ptr<PackSet> packs;
  std::unique_ptr<TreeGraph> graph;
  std::vector<CommitNode> commits;  // oldest first
  bool commits_ready = false;
  bool graph_complete = false;  // every tree the commits reach is in the graph (or unreadable)
  unsigned threads = 1;

  // The narrowed scan: blobs reachable from the chosen refs (or new since --since), pack order.
  Result<std::vector<BlobPosition>> reachable_blobs(const WarningSink& warn) {
    // With --since the range ends at HEAD unless refs are named.
    std::vector<std::string> revisions = scope.refs;
    if (!scope.since.empty() && scope.branches.empty() && revisions.empty()) revisions.push_back("HEAD");
    KH_TRY_ASSIGN(auto tips, resolve_tips(repo.get(), scope.branches, revisions, warn));
    std::vector<git_oid> hidden;
    if (!scope.since.empty()) {
      auto since = resolve_commit(repo.get(), scope.since);
      if (!since) return make_error("--since: " + since.error().message);
      hidden.push_back(*since);
    }
    commits = walk_commits(repo.get(), tips.commits, hidden, warn);
    commits_ready = true;
    graph = std::make_unique<TreeGraph>(repo.get(), packs.get(), graph_budget());
    if (scope.since.empty()) {
      graph->load_packed_trees();
      return in_pack_order(*packs, reachable_from(tips, warn));
    }
    // Only what the commits changed: trees are read as the diffs reach them.
    OidTable blob_set;
    NewBlobFinder finder(*graph, warn);
    for (const auto& commit : commits) {
      finder.run(commit.tree, commit.parent_trees,
                 [&](TreeGraph::Node blob, const std::string&) { blob_set.insert(graph->oid(blob)); });
      graph->trim();
    }
    return in_pack_order(*packs, blob_set.to_vector());
  }

  // Every blob the walked commits and the tips' trees and blobs reach. Afterwards the graph
  // holds every tree they reach (or knows it unreadable).
  std::vector<git_oid> reachable_from(const ScanTips& tips, const WarningSink& warn) {
    ReachableBlobs reachable(*graph, warn);
    for (const auto& commit : commits) {
      reachable.add_tree(commit.tree);
      graph->trim();
    }
    for (const auto& tree : tips.trees) {
      reachable.add_tree(tree);
      graph->trim();
    }
    for (const auto& blob : tips.blobs) reachable.add_blob(blob);
    // A graph trimmed along the way no longer holds every tree: provenance then reads trees
    // again as it needs them, on one thread.
    graph_complete = graph->trims() == 0;
    return reachable.blobs();
  }

  // The shares of --memory-limit (see HistoryScope::memory_limit).
  std::uint64_t graph_budget() const { return scope.memory_limit / 2; }
  std::size_t reader_cache_bytes() const {
    return static_cast<std::size_t>(std::clamp<std::uint64_t>(scope.memory_limit / 64, 256 << 10, 4 << 20));
  }

  // Lists every blob of the database (on a handle of its own: the history walk uses repo) and
  // reads them all; `present` gets every loose blob listed (the packs' index has the rest).
  Status list_and_read_all(unsigned threads, HistoryVisitor& visitor, OidTable& present) {
    KH_TRY_ASSIGN(auto lister, reopen_repository(git_repository_path(repo.get())));
    git_odb* raw_odb = nullptr;
    if (git_repository_odb(&raw_odb, lister.get()) != 0)
      return make_error("cannot open the object database: " + git_error_text());
    OdbPtr odb(raw_odb);
    std::vector<BlobPosition> blobs =
        all_blobs_in_pack_order(*packs, object_directories(lister.get()), odb.get());
    // Packed blobs the pack index answers for; only loose ones are kept aside.
    for (const auto& blob : blobs)
      if (!blob.packed) present.insert(blob.oid);
    return read_all(blobs, threads, visitor, /*yield=*/true);
  }

  // `yield`: the history walk runs beside the readers (see run_git_workers).
  Status read_all(const std::vector<BlobPosition>& blobs, unsigned threads, HistoryVisitor& visitor,
                  bool yield = false) {
    const std::uint64_t max_size = max_blob_size;
    struct WorkerState {
      std::unique_ptr<PackReader> reader;
      OdbPtr odb;
      bool odb_failed = false;
      HistoryDelta delta;
    };
    std::vector<WorkerState> states(std::max(1u, threads));
    return run_git_workers(
        git_repository_path(repo.get()), blobs.size(), threads, 2048,
        [&](unsigned worker, git_repository* worker_repo, std::size_t index) {
          WorkerState& state = states[worker];
          const BlobPosition& position = blobs[index];
          const unsigned char* raw_id = position.oid.id;
          if (!scope.shard.holds_id_prefix(std::uint32_t{raw_id[0]} << 24 | std::uint32_t{raw_id[1]} << 16 |
                                           std::uint32_t{raw_id[2]} << 8 | raw_id[3]))
            return;  // another shard's
          std::string id = oid_hex(position.oid);
          auto too_large = [&](std::uint64_t size) {
            visitor.on_warning({GitProblem::too_large, id,
                                "skipped: blob of " + std::to_string(size) +
                                    " bytes is over --max-file-size (" + std::to_string(max_size) + ")"});
          };
          // Packed blobs through this worker's own reader; loose ones, and anything the reader
          // finds damaged, through libgit2 (which then names the problem).
          std::string pack_error;
          if (position.packed) {
            if (!state.reader) state.reader = std::make_unique<PackReader>(*packs, reader_cache_bytes());
            auto header = state.reader->header(*position.packed);
            if (header && header->type == GIT_OBJECT_BLOB && header->size > max_size)
              return too_large(header->size);
            auto object =
                header ? state.reader->read(*position.packed, true) : Result<PackObject>(header.error());
            if (object && object->type == GIT_OBJECT_BLOB) {
              const HistoryDelta* delta = nullptr;
              if (object->base)
                if (auto base = packs->oid_at(*object->base)) {
                  state.delta.base_id = oid_hex(*base);
                  state.delta.copies = std::move(object->copies);
                  delta = &state.delta;
                }
              visitor.on_blob(worker, std::move(id), object->bytes.view(), delta);
              return;
            }
            if (!object) pack_error = object.error().message;
          }
          if (!state.odb && !state.odb_failed) {
            git_odb* raw = nullptr;
            if (git_repository_odb(&raw, worker_repo) == 0)
              state.odb.reset(raw);
            else
              state.odb_failed = true;
          }
          if (!state.odb) {
            visitor.on_warning(
                {GitProblem::unreadable, id, "cannot open the object database: " + git_error_text()});
            return;
          }
          ReadBlob read = read_blob(state.odb.get(), position.oid, max_size);
          if (read.too_large) return too_large(read.size);
          if (!read.object) {
            visitor.on_warning(
                {GitProblem::unreadable, id,
                 pack_error.empty() ? read.error : pack_error + " (libgit2: " + read.error + ")"});
            return;
          }
          std::string_view bytes(static_cast<const char*>(git_odb_object_data(read.object.get())),
                                 git_odb_object_size(read.object.get()));
          visitor.on_blob(worker, std::move(id), bytes, nullptr);
        },
        yield);
  }
};

HistoryReader::HistoryReader(HistoryScope scope, std::uint64_t max_blob_size)
    : state_(std::make_unique<State>()) {
  state_->scope = std::move(scope);
  state_->max_blob_size = max_blob_size;
}

HistoryReader::~HistoryReader() = default;

Status HistoryReader::open() {
  State& s = *state_;
  KH_TRY_ASSIGN(auto opened, open_repository(s.scope.repository));
  s.repo = std::move(opened);
  s.packs = std::make_unique<PackSet>(object_directories(s.repo.get()));
  s.packs->limit_resident(s.scope.memory_limit / 16);
  // A pack left out would make its objects (often the whole history) silently absent.
  if (!s.packs->problems().empty()) {
    std::string message = "cannot read the history of " + s.scope.repository + ": damaged pack data";
    for (const auto& problem : s.packs->problems()) message += "\n  " + problem;
    return make_error(message);
  }
  return Ok{};
}

Status HistoryReader::read(unsigned threads, HistoryVisitor& visitor) {
  State& s = *state_;
  if (!s.repo) KH_TRY(open());
  s.threads = threads;
  tune_libgit2_for_scanning();
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(s.scope.memory_limit / 32));
  WarningSink warn = [&visitor](const GitWarning& warning) { visitor.on_warning(warning); };
  if (git_repository_is_shallow(s.repo.get()) == 1)
    warn({GitProblem::not_entered, s.scope.repository,
          "shallow clone: history before its boundary is not scanned"});
  bool narrowed = !s.scope.since.empty() || !s.scope.branches.empty() || !s.scope.refs.empty();
  if (narrowed) {
    KH_TRY_ASSIGN(auto blobs, s.reachable_blobs(warn));
    return s.read_all(blobs, threads, visitor);
  }
  // The whole repository: every blob of the object database, listed from the pack headers in
  // pack order. Walking the history (which costs about as much as inflating every tree) runs
  // beside the listing and the readers, and starts first, as it is the longer job; it finds
  // the blobs the refs need (to name any the database lacks) and orders the commits for
  // provenance.
  std::vector<git_oid> needed;
  KH_TRY_ASSIGN(auto graph_repo, reopen_repository(git_repository_path(s.repo.get())));
  std::optional<Result<ScanTips>> tips;
  std::thread history([&] {
    // The commit walk (on repo) runs beside the tree loading (on a handle of its own), so the
    // history side does not finish long after the readers.
    std::thread walk([&] {
      tips = resolve_tips(s.repo.get(), {}, {}, warn);
      if (*tips) s.commits = walk_commits(s.repo.get(), (*tips)->commits, {}, warn);
    });
    // Every packed tree in pack order, then the walk over integers; provenance reuses the graph.
    s.graph = std::make_unique<TreeGraph>(graph_repo.get(), s.packs.get(), s.graph_budget());
    s.graph->load_packed_trees();
    walk.join();
    if (*tips) needed = s.reachable_from(**tips, warn);
  });
  OidTable present;
  auto status = s.list_and_read_all(threads, visitor, present);
  history.join();
  s.commits_ready = true;
  // Refs that cannot be listed mean the history was not walked: an error, not an empty history.
  if (!*tips) return tips->error();
  for (const auto& blob : needed)
    if (!present.contains(blob) && !s.packs->find(blob))
      warn({GitProblem::unreadable, oid_hex(blob), "blob missing from the object database"});
  return status;
}

Result<IntroductionMap> HistoryReader::introductions(const std::vector<std::string>& blob_ids) {
  State& s = *state_;
  if (!s.repo || !s.commits_ready || !s.graph) return IntroductionMap{};
  return find_introductions(s.repo.get(), *s.graph, s.commits, blob_ids, s.graph_complete ? s.threads : 1);
}

}  // namespace keyhound
