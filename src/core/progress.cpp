#include "recount/core/progress.hpp"

#include <atomic>
#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace recount {

namespace {
std::atomic<bool> g_enabled{true};
}

void set_progress_enabled(bool enabled) noexcept {
  g_enabled = enabled;
}
bool progress_enabled() noexcept {
  return g_enabled;
}

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)),
      total_(total),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (!finished_ && done_ > 0) finish();
}

void Progress::update(std::size_t done) {
  done_ = done;
  const auto now = std::chrono::steady_clock::now();
  const auto every = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  if (now - last_ < every) return;
  last_ = now;
  draw(false);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  done_ = total_;
  draw(true);
}

void Progress::draw(bool final) {
  if (!g_enabled) return;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  std::string line;
  if (tty_) {
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    line = fmt::format("\r{} [{}{}] {:3.0f}% {:.1f}s", label_, std::string(filled, '#'),
                       std::string(width - filled, ' '), 100 * fraction, seconds);
    if (final) line += '\n';
  } else {
    line = fmt::format("{}: {:.0f}% ({}/{}) {:.1f}s\n", label_, 100 * fraction, done_, total_,
                       seconds);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void note(const std::string& message) {
  if (!g_enabled) return;
  std::fputs(fmt::format("recount: {}\n", message).c_str(), stderr);
}

}  // namespace recount
