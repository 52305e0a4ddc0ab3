#pragma once
// Progress of long work, on stderr only (results go to stdout or files). On a terminal it
// redraws one line; otherwise it prints a line at most every few seconds, so logs stay short.

#include <chrono>
#include <cstddef>
#include <string>

namespace recount {

// Turns all progress output off or on (the CLI's --quiet).
void set_progress_enabled(bool enabled) noexcept;
[[nodiscard]] bool progress_enabled() noexcept;

class Progress {
 public:
  Progress(std::string label, std::size_t total);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // Thread-compatible, not thread-safe: call from one thread.
  void update(std::size_t done);
  void finish();

 private:
  void draw(bool final);
  std::string label_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool tty_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

// One status line on stderr ("recount: ..."), unless progress is off.
void note(const std::string& message);

}  // namespace recount
