#include "util/cache_file.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <vector>

#include "util/file.hpp"

namespace keyhound {

namespace {

// The check is for damage (a torn write, a bad disk), not for an adversary: anyone who can write
// the user's cache folder could write a matching digest too. CRC-32 catches every burst of up to
// 32 bits at memory speed, where SHA-256 of the two entries took 2 ms of every pre-commit run.
constexpr std::size_t kCheckSize = 4;

std::string check_of(std::string_view payload) {
  const std::uint32_t crc = libdeflate_crc32(0, payload.data(), payload.size());
  const char bytes[kCheckSize] = {static_cast<char>(crc), static_cast<char>(crc >> 8),
                                  static_cast<char>(crc >> 16), static_cast<char>(crc >> 24)};
  return std::string(bytes, kCheckSize);
}

}  // namespace

std::optional<CacheEntry> read_cache_entry(const std::string& path, std::string_view magic) {
  // Mapped, not read: the database entry is over a megabyte and the pre-commit hook waits on it.
  // Entries are replaced by renaming, never rewritten in place, so the mapping stays whole.
  CacheEntry entry{MappedFile(path, MappedFile::Prefault::yes), {}};
  std::string_view bytes(reinterpret_cast<const char*>(entry.file.data()), entry.file.size());
  if (bytes.size() < magic.size() + kCheckSize || bytes.substr(0, magic.size()) != magic) return std::nullopt;
  std::string_view check = bytes.substr(magic.size(), kCheckSize);
  entry.payload = bytes.substr(magic.size() + kCheckSize);
  if (check_of(entry.payload) != check) return std::nullopt;
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
  std::string entry(magic);
  entry.append(check_of(payload));
  entry.append(payload);
  if (write_file_atomically(path, entry, Sync::no)) prune_oldest(folder);  // checked when read
}

}  // namespace keyhound
