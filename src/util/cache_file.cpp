#include "util/cache_file.hpp"

#include <cstring>
#include <filesystem>

#include "util/file.hpp"
#include "util/hash.hpp"

namespace keyhound {

std::optional<std::string> read_cache_entry(const std::string& path, std::string_view magic) {
  auto entry = read_whole_file(path);
  if (!entry || entry->size() < magic.size() + 32 || std::string_view(*entry).substr(0, magic.size()) != magic)
    return std::nullopt;
  std::string_view digest = std::string_view(*entry).substr(magic.size(), 32);
  std::string_view payload = std::string_view(*entry).substr(magic.size() + 32);
  if (std::memcmp(sha256(payload).data(), digest.data(), 32) != 0) return std::nullopt;
  return std::string(payload);
}

void write_cache_entry(const std::string& path, std::string_view magic, std::string_view payload) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  auto digest = sha256(payload);
  std::string entry(magic);
  entry.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  entry.append(payload);
  (void)write_file_atomically(path, entry);
}

}  // namespace keyhound
