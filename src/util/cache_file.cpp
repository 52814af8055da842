#include "util/cache_file.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include "util/file.hpp"
#include "util/hash.hpp"

namespace keyhound {

std::optional<CacheEntry> read_cache_entry(const std::string& path, std::string_view magic) {
  // Mapped, not read: the database entry is over a megabyte and the pre-commit hook waits on it.
  // Entries are replaced by renaming, never rewritten in place, so the mapping stays whole.
  CacheEntry entry{MappedFile(path, MappedFile::Prefault::yes), {}};
  std::string_view bytes(reinterpret_cast<const char*>(entry.file.data()), entry.file.size());
  if (bytes.size() < magic.size() + 32 || bytes.substr(0, magic.size()) != magic) return std::nullopt;
  std::string_view digest = bytes.substr(magic.size(), 32);
  entry.payload = bytes.substr(magic.size() + 32);
  if (std::memcmp(sha256(entry.payload).data(), digest.data(), 32) != 0) return std::nullopt;
  return entry;
}

namespace {

// Every rule-file edit makes a new entry; keep the folder from growing without end.
constexpr std::size_t kMaxEntries = 64;

void prune_oldest(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_regular_file(ec)) entries.emplace_back(entry.last_write_time(ec), entry.path());
  if (entries.size() <= kMaxEntries) return;
  std::sort(entries.begin(), entries.end());
  for (std::size_t i = 0; i + kMaxEntries < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

}  // namespace

void write_cache_entry(const std::string& path, std::string_view magic, std::string_view payload) {
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::filesystem::create_directories(folder, ec);
  auto digest = sha256(payload);
  std::string entry(magic);
  entry.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  entry.append(payload);
  if (write_file_atomically(path, entry, Sync::no)) prune_oldest(folder);  // checked when read
}

}  // namespace keyhound
