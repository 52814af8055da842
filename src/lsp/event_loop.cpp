// run_server: one thread, poll() on the input with the next debounce deadline as its timeout.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "lsp/server.hpp"

namespace keyhound::lsp {
namespace {

// Messages larger than any buffer we would scan are dropped unread (a 16 MiB file is well under
// 100 MiB of JSON, escapes included).
constexpr std::size_t kMaxMessage = std::size_t{256} << 20;

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace

int run_server(int in_fd, int out_fd, ServerSettings settings) {
  ::signal(SIGPIPE, SIG_IGN);  // a client that went away is a write error, not a kill
  FrameReader reader(std::max(kMaxMessage, static_cast<std::size_t>(settings.workspace.max_file_size) * 7));
  bool output_open = true;
  Server server(
      std::move(settings),
      [&](const std::string& body) {
        if (output_open && !write_all(out_fd, frame_message(body))) output_open = false;
      },
      [](const std::string& line) { std::cerr << "keyhound lsp: " << line << std::endl; });
  char chunk[65536];
  while (!server.exited() && output_open) {
    int timeout = -1;
    if (auto deadline = server.next_deadline()) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      timeout = static_cast<int>(std::clamp<long long>(wait, 0, 60'000));
    }
    pollfd input{in_fd, POLLIN, 0};
    int ready = ::poll(&input, 1, timeout);
    if (ready < 0 && errno != EINTR) {
      std::cerr << "keyhound lsp: poll: " << std::strerror(errno) << std::endl;
      return 1;
    }
    if (ready > 0) {
      ssize_t got = ::read(in_fd, chunk, sizeof chunk);
      if (got < 0 && errno != EINTR && errno != EAGAIN) return 1;
      if (got == 0) return 1;  // the client went away without `exit`
      if (got > 0) {
        reader.feed(std::string_view(chunk, static_cast<std::size_t>(got)));
        while (auto frame = reader.next()) {
          server.on_frame(*frame, Clock::now());
          if (server.exited()) break;
        }
      }
    }
    server.on_timer(Clock::now());
  }
  return server.exit_code();
}

}  // namespace keyhound::lsp
