// The staged changes: blobs the index ($GIT_INDEX_FILE during `git commit -a` or
// `git commit <paths>`) holds that HEAD does not, with the line ranges they add.
#include "git/staged.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "git/cache_tree.hpp"
#include "git/index_file.hpp"
#include "git/oid_table.hpp"
#include "git/repository.hpp"
#include "git/tree_walk.hpp"
#include "git/workers.hpp"
#include "util/file.hpp"
#include "util/mapped_file.hpp"

namespace keyhound {
namespace {

struct StagedBlob {
  git_oid oid;
  std::string path;
  bool in_head = false;  // HEAD has another blob at this path: only added lines count
  git_oid head_oid{};
};

int collect_hunk(const git_diff_delta*, const git_diff_hunk* hunk, void* payload) {
  auto* ranges = static_cast<std::vector<AddedLines>*>(payload);
  if (hunk->new_lines > 0)
    ranges->push_back({static_cast<std::uint64_t>(hunk->new_start),
                       static_cast<std::uint64_t>(hunk->new_start + hunk->new_lines - 1)});
  return 0;
}

// Lines of `after` that are new relative to `before` (a zero-context diff's hunks).
std::vector<AddedLines> added_lines(std::string_view before, std::string_view after) {
  std::vector<AddedLines> ranges;
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.context_lines = 0;
  options.interhunk_lines = 0;
  options.flags = GIT_DIFF_FORCE_TEXT;
  git_diff_buffers(before.data(), before.size(), nullptr, after.data(), after.size(), nullptr, &options,
                   nullptr, nullptr, collect_hunk, nullptr, &ranges);
  return ranges;
}

// The index file git reads: $GIT_INDEX_FILE during `git commit -a` and `git commit <paths>`
// (the default index does not hold what is being committed then), else the repository's.
std::string index_file_path(git_repository* repo) {
  if (const char* file = std::getenv("GIT_INDEX_FILE"); file && *file) return file;
  return std::string(git_repository_path(repo)) + "index";
}

// The index's entries and cache-tree: read directly, or by libgit2 when the direct reader does
// not take the file (a split or sparse index, a damaged one: libgit2 then says what is wrong).
Result<IndexContents> read_index(git_repository* repo) {
  const std::string path = index_file_path(repo);
  MappedFile mapped(path, MappedFile::Prefault::yes);
  if (mapped.size() > 0) {
    auto parsed = parse_index(std::string_view(reinterpret_cast<const char*>(mapped.data()), mapped.size()));
    if (parsed) return parsed;
  } else if (struct stat info{}; ::stat(path.c_str(), &info) != 0 && errno == ENOENT) {
    return IndexContents{};  // no index yet: nothing staged (libgit2 and git agree)
  }
  git_index* raw = nullptr;
  const bool named = std::getenv("GIT_INDEX_FILE") && *std::getenv("GIT_INDEX_FILE");
  if (named ? git_index_open(&raw, path.c_str()) != 0 : git_repository_index(&raw, repo) != 0)
    return make_error(named ? "cannot read the index named by GIT_INDEX_FILE (" + path +
                                  "): " + git_error_text()
                            : "cannot read the index: " + git_error_text());
  IndexPtr index(raw);
  IndexContents contents;
  for (std::size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
    const git_index_entry* entry = git_index_get_byindex(index.get(), i);
    contents.entries.push_back({entry->mode, GIT_INDEX_ENTRY_STAGE(entry), entry->id, entry->path});
  }
  if (auto file = read_whole_file(path, std::uint64_t{1} << 32)) contents.cache_tree = read_cache_tree(*file);
  return contents;
}

}  // namespace

struct StagedChanges::State {
  std::string repository;
  std::uint64_t max_blob_size = 0;
  PathFilter excluded;
  GitLibrary library;
  RepositoryPtr repo;
  std::vector<StagedBlob> staged;
  std::vector<GitWarning> warnings;  // met while opening, before read() has a visitor
};

StagedChanges::StagedChanges(std::string repository, std::uint64_t max_blob_size, PathFilter excluded)
    : state_(std::make_unique<State>()) {
  state_->repository = std::move(repository);
  state_->max_blob_size = max_blob_size;
  state_->excluded = std::move(excluded);
}

StagedChanges::~StagedChanges() = default;

Status StagedChanges::open() {
  State& s = *state_;
  KH_TRY_ASSIGN(auto repo, open_repository(s.repository));
  s.repo = std::move(repo);
  tune_libgit2_for_scanning();
  if (git_repository_is_bare(s.repo.get()))
    return make_error("--staged: " + s.repository + " is a bare repository (no index)");
  KH_TRY_ASSIGN(auto index, read_index(s.repo.get()));
  // HEAD's blobs by path, every tree read once: looking each staged path up in HEAD's tree
  // would inflate the large upper trees again for every file of the index. A directory whose
  // tree the index's cache-tree names as HEAD's is not read: its index entries are HEAD's.
  const CacheTree& cache_tree = index.cache_tree;
  std::unordered_set<std::string> unchanged_directories;  // "" or "a/b/", as HEAD
  std::unordered_map<std::string, git_oid> head_paths;
  git_object* head_raw = nullptr;
  if (git_revparse_single(&head_raw, s.repo.get(), "HEAD^{tree}") == 0) {
    ObjectPtr head(head_raw);
    TreeWalker(s.repo.get(), [&s](const GitWarning& w) { s.warnings.push_back(w); })
        .for_each_blob(
            *git_object_id(head.get()),
            [&](const git_oid& blob, const std::string& path) { head_paths.emplace(path, blob); },
            [&](const git_oid& tree, const std::string& directory) {
              auto cached =
                  cache_tree.find(directory.empty() ? directory : directory.substr(0, directory.size() - 1));
              if (cached == cache_tree.end() || !git_oid_equal(&cached->second, &tree)) return false;
              unchanged_directories.insert(directory);
              return true;
            });
  }
  git_error_clear();  // no HEAD yet: everything staged is new
  // Whether an index path lies in a directory the walk skipped as unchanged.
  auto in_unchanged_directory = [&](std::string_view path) {
    if (unchanged_directories.empty()) return false;
    if (unchanged_directories.contains("")) return true;
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1))
      if (unchanged_directories.contains(std::string(path.substr(0, slash + 1)))) return true;
    return false;
  };
  std::vector<std::uint8_t> unchanged(index.entries.size(), 0);
  for (std::size_t i = 0; i < unchanged.size(); ++i) {
    const IndexEntry& entry = index.entries[i];
    unchanged[i] = entry.stage == 0 && in_unchanged_directory(entry.path);  // HEAD's blob, at this very path
  }

  std::vector<StagedBlob> staged;
  OidTable at_new_paths(16);  // blobs staged at paths HEAD does not have
  for (std::size_t i = 0; i < index.entries.size(); ++i) {
    if (unchanged[i]) continue;
    IndexEntry& entry = index.entries[i];
    if (entry.stage != 0) continue;                   // unresolved conflict: cannot be committed
    if ((entry.mode & 0170000) == 0160000) continue;  // submodule: a commit id, no content
    auto before = head_paths.find(entry.path);
    if (before != head_paths.end() && git_oid_equal(&before->second, &entry.id)) continue;
    if (s.excluded && s.excluded(entry.path)) continue;
    StagedBlob blob{entry.id, std::move(entry.path)};
    if (before != head_paths.end()) {
      blob.in_head = true;
      blob.head_oid = before->second;
    } else {
      at_new_paths.insert(blob.oid);
    }
    staged.push_back(std::move(blob));
  }
  // A file moved or copied as it is adds nothing: its blob is already in HEAD, at a path the walk
  // read or in a directory it skipped as unchanged (whose index entries are HEAD's). Only the
  // few blobs at new paths are looked for, rather than every blob of HEAD put in a set.
  OidTable in_head(16);
  if (at_new_paths.size() > 0) {
    for (const auto& [path, blob] : head_paths)
      if (at_new_paths.contains(blob)) in_head.insert(blob);
    for (std::size_t i = 0; i < index.entries.size(); ++i)
      if (unchanged[i] && at_new_paths.contains(index.entries[i].id)) in_head.insert(index.entries[i].id);
  }
  for (auto& blob : staged)
    if (blob.in_head || !in_head.contains(blob.oid)) s.staged.push_back(std::move(blob));
  return Ok{};
}

Status StagedChanges::read(unsigned threads, StagedVisitor& visitor) {
  State& s = *state_;
  if (!s.repo) KH_TRY(open());
  for (const auto& warning : s.warnings) visitor.on_warning(warning);
  const std::uint64_t max_size = s.max_blob_size;
  std::vector<OdbPtr> odbs(std::max(1u, threads));
  auto work = [&](unsigned worker, git_repository* worker_repo, std::size_t item) {
    const StagedBlob& entry = s.staged[item];
    if (!odbs[worker]) {
      git_odb* raw = nullptr;
      if (git_repository_odb(&raw, worker_repo) != 0) {
        visitor.on_warning(
            {GitProblem::unreadable, entry.path, "cannot open the object database: " + git_error_text()});
        return;
      }
      odbs[worker].reset(raw);
    }
    git_odb* odb = odbs[worker].get();
    ReadBlob read = read_blob(odb, entry.oid, max_size);
    if (read.too_large) {
      visitor.on_warning({GitProblem::too_large, entry.path,
                          "skipped: " + std::to_string(read.size) + " bytes is over --max-file-size (" +
                              std::to_string(max_size) + ")"});
      return;
    }
    if (!read.object) {
      visitor.on_warning({GitProblem::unreadable, entry.path, read.error + " (" + oid_hex(entry.oid) + ")"});
      return;
    }
    std::string_view bytes(static_cast<const char*>(git_odb_object_data(read.object.get())),
                           git_odb_object_size(read.object.get()));
    StagedVisitor::AddedLinesQuery query = [&]() -> std::optional<std::vector<AddedLines>> {
      if (!entry.in_head) return std::nullopt;
      ReadBlob before = read_blob(odb, entry.head_oid, ~std::uint64_t{0});
      if (!before.object) return std::nullopt;
      return added_lines(std::string_view(static_cast<const char*>(git_odb_object_data(before.object.get())),
                                          git_odb_object_size(before.object.get())),
                         bytes);
    };
    visitor.on_blob(worker, oid_hex(entry.oid), entry.path, bytes, query);
  };
  // A commit's few files are read faster on this thread, through the repository already open,
  // than worker threads can be started and the repository opened again for each.
  if (s.staged.size() < 64) {
    for (std::size_t i = 0; i < s.staged.size(); ++i) work(0, s.repo.get(), i);
    return Ok{};
  }
  return run_git_workers(git_repository_path(s.repo.get()), s.staged.size(), threads, 1, work);
}

}  // namespace keyhound
