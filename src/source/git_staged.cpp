// The staged source: blobs the index ($GIT_INDEX_FILE during `git commit -a` or
// `git commit <paths>`) holds that HEAD does not, with the line ranges they add.
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include "source/directory.hpp"
#include "source/git.hpp"
#include "source/git_oid_table.hpp"
#include "source/git_repository.hpp"
#include "source/git_tree_walk.hpp"
#include "source/git_workers.hpp"

namespace keyhound {
namespace {

struct StagedBlob {
  git_oid oid;
  std::string path;
  bool in_head = false;  // HEAD has another blob at this path: only added lines count
  git_oid head_oid{};
};

int collect_hunk(const git_diff_delta*, const git_diff_hunk* hunk, void* payload) {
  auto* ranges = static_cast<std::vector<LineRange>*>(payload);
  if (hunk->new_lines > 0)
    ranges->push_back({static_cast<std::uint64_t>(hunk->new_start),
                       static_cast<std::uint64_t>(hunk->new_start + hunk->new_lines - 1)});
  return 0;
}

// Lines of `after` that are new relative to `before` (a zero-context diff's hunks).
std::vector<LineRange> added_lines(std::string_view before, std::string_view after) {
  std::vector<LineRange> ranges;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;
  options.interhunk_lines = 0;
  options.flags = GIT_DIFF_FORCE_TEXT;
  git_diff_buffers(before.data(), before.size(), nullptr, after.data(), after.size(), nullptr, &options, nullptr,
                   nullptr, collect_hunk, nullptr, &ranges);
  return ranges;
}

// The lines a staged blob adds over HEAD's version at its path; every line when that version
// cannot be read.
class LinesAddedOverHead : public LineFilter {
 public:
  LinesAddedOverHead(git_odb* odb, const git_oid& head_blob, std::string_view staged)
      : odb_(odb), head_blob_(head_blob), staged_(staged) {}

  const std::vector<LineRange>* ranges() override {
    if (!worked_out_) {
      worked_out_ = true;
      ReadBlob before = read_blob(odb_, head_blob_, ~std::uint64_t{0});
      if (before.object) {
        ranges_ = added_lines(std::string_view(static_cast<const char*>(git_odb_object_data(before.object.get())),
                                               git_odb_object_size(before.object.get())),
                              staged_);
        readable_ = true;
      }
    }
    return readable_ ? &ranges_ : nullptr;
  }

 private:
  git_odb* odb_;
  git_oid head_blob_;
  std::string_view staged_;
  bool worked_out_ = false;
  bool readable_ = false;
  std::vector<LineRange> ranges_;
};

Result<IndexPtr> open_index(git_repository* repo) {
  git_index* raw = nullptr;
  // git points GIT_INDEX_FILE at a temporary index during `git commit -a` and `git commit
  // <paths>`: the default index does not hold what is being committed then.
  if (const char* file = std::getenv("GIT_INDEX_FILE"); file && *file) {
    if (git_index_open(&raw, file) != 0)
      return make_error(std::string("cannot read the index named by GIT_INDEX_FILE (") + file + "): " + git_error_text());
    return IndexPtr(raw);
  }
  if (git_repository_index(&raw, repo) != 0) return make_error("cannot read the index: " + git_error_text());
  return IndexPtr(raw);
}

class GitStagedSource : public Source {
 public:
  GitStagedSource(std::string repository, SourceOptions options)
      : repository_(std::move(repository)), options_(std::move(options)) {}

  Status open() override {
    auto repo = open_repository(repository_);
    if (!repo) return repo.error();
    repo_ = std::move(*repo);
    tune_libgit2_for_scanning();
    if (git_repository_is_bare(repo_.get())) return make_error("--staged: " + repository_ + " is a bare repository (no index)");
    auto index = open_index(repo_.get());
    if (!index) return index.error();
    // HEAD's blobs by path, every tree read once: looking each staged path up in HEAD's tree
    // would inflate the large upper trees again for every file of the index.
    std::unordered_map<std::string, git_oid> head_paths;
    OidTable head_blobs;
    git_object* head_raw = nullptr;
    if (git_revparse_single(&head_raw, repo_.get(), "HEAD^{tree}") == 0) {
      ObjectPtr head(head_raw);
      TreeWalker(repo_.get(), [this](const SourceWarning& w) { warnings_.push_back(w); })
          .for_each_blob(*git_object_id(head.get()), [&](const git_oid& blob, const std::string& path) {
            head_paths.emplace(path, blob);
            head_blobs.insert(blob);
          });
    }
    git_error_clear();  // no HEAD yet: everything staged is new

    for (std::size_t i = 0; i < git_index_entrycount(index->get()); ++i) {
      const git_index_entry* entry = git_index_get_byindex(index->get(), i);
      if (GIT_INDEX_ENTRY_STAGE(entry) != 0) continue;  // unresolved conflict: cannot be committed
      if ((entry->mode & 0170000) == 0160000) continue;  // submodule: a commit id, no content
      auto before = head_paths.find(entry->path);
      if (before != head_paths.end() && git_oid_equal(&before->second, &entry->id)) continue;
      // A file moved or copied as it is adds nothing: its blob is already in HEAD.
      if (before == head_paths.end() && head_blobs.contains(entry->id)) continue;
      if (path_excluded(entry->path, options_.exclude_globs)) continue;
      StagedBlob blob{entry->id, entry->path};
      if (before != head_paths.end()) {
        blob.in_head = true;
        blob.head_oid = before->second;
      }
      staged_.push_back(std::move(blob));
    }
    return Ok{};
  }

  Status run(unsigned threads, BlobVisitor& visitor) override {
    KH_TRY(prepare());
    for (const auto& warning : warnings_) visitor.on_warning(warning);
    const std::uint64_t max_size = options_.max_file_size;
    std::vector<OdbPtr> odbs(std::max(1u, threads));
    // A commit's few files are read faster by one worker than threads can be started.
    if (staged_.size() < 64) threads = 1;
    return run_git_workers(
        git_repository_path(repo_.get()), staged_.size(), threads, 1,
        [&](unsigned worker, git_repository* worker_repo, std::size_t item) {
          if (!odbs[worker]) {
            git_odb* raw = nullptr;
            if (git_repository_odb(&raw, worker_repo) != 0) return;
            odbs[worker].reset(raw);
          }
          const StagedBlob& entry = staged_[item];
          ReadBlob read = read_blob(odbs[worker].get(), entry.oid, max_size);
          if (read.too_large) {
            visitor.on_warning({SkipReason::too_large, entry.path,
                                "skipped: " + std::to_string(read.size) + " bytes is over --max-file-size (" +
                                    std::to_string(max_size) + ")"});
            return;
          }
          if (!read.object) {
            visitor.on_warning({SkipReason::unreadable, entry.path, read.error + " (" + oid_hex(entry.oid) + ")"});
            return;
          }
          Blob blob;
          blob.id = oid_hex(entry.oid);
          blob.origin.path = entry.path;
          blob.bytes = std::string_view(static_cast<const char*>(git_odb_object_data(read.object.get())),
                                        git_odb_object_size(read.object.get()));
          if (looks_binary(blob.bytes)) {
            visitor.on_warning({SkipReason::binary, entry.path, "skipped: binary"});
            return;
          }
          std::optional<LinesAddedOverHead> added;
          if (entry.in_head) blob.only_lines = &added.emplace(odbs[worker].get(), entry.head_oid, blob.bytes);
          visitor.on_blob(worker, blob);
        });
  }

 private:
  std::string repository_;
  SourceOptions options_;
  GitLibrary library_;
  RepositoryPtr repo_;
  std::vector<StagedBlob> staged_;
  std::vector<SourceWarning> warnings_;  // met while opening, before run() has a visitor
};

}  // namespace

std::unique_ptr<Source> make_git_staged_source(std::string repository, SourceOptions source_options) {
  return std::make_unique<GitStagedSource>(std::move(repository), std::move(source_options));
}

}  // namespace keyhound
