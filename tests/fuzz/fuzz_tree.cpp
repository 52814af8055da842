// Fuzzes the tree entry parser: entries are read in order until the bytes end or stop being one,
// and every entry read lies inside the input.
#include <cstdint>
#include <string_view>

#include "git/tree_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view tree(reinterpret_cast<const char*>(data), size);
  keyhound::TreeEntryBytes entry;
  for (std::size_t at = 0; at < tree.size() && keyhound::read_tree_entry(tree, at, entry);) {
    if (entry.end <= at || entry.end > tree.size()) __builtin_trap();
    if (entry.name.data() < tree.data() || entry.name.data() + entry.name.size() > tree.data() + tree.size())
      __builtin_trap();
    at = entry.end;
  }
  return 0;
}
