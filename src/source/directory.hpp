// Walks directory trees and files on disk.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "source/source.hpp"

namespace keyhound {

// `roots` are directories or files. Paths in origins are the roots as given, joined with the
// path below them ("src/app.py", "testdata/aws/positive.env").
std::unique_ptr<Source> make_directory_source(std::vector<std::string> roots, SourceOptions options);

// Reads standard input (or any descriptor) as one blob named `name`: held whole up to
// options.stream_chunk, past that copied to an unlinked temporary file and streamed.
std::unique_ptr<Source> make_stream_source(int fd, std::string name, SourceOptions options);

// True when `path` (relative, '/'-separated) matches one of the globs. A glob without '/'
// matches any path component ("*.min.js", "node_modules"); with '/', the whole relative path.
bool path_excluded(const std::string& path, const std::vector<std::string>& globs);

}  // namespace keyhound
