#pragma once
// What the commands show on standard error while they work: a network run's progress and a
// search's status line.

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "mapper/search.hpp"
#include "netmap/network_map.hpp"
#include "report/format.hpp"

namespace outpace::cli {

/// Shows the searches on stderr: a bar redrawn in place on a terminal (with the searches under
/// way), one line per finished search otherwise.
struct ProgressDisplay {
  bool terminal = isatty(STDERR_FILENO) != 0;
  mutable std::vector<std::string> running;  ///< layers being searched (calls come one at a time)

  void operator()(const outpace::netmap::Progress& p) const {
    if (p.started)
      running.push_back(p.layer);
    else
      std::erase(running, p.layer);
    const std::string count = std::to_string(p.done) + "/" + std::to_string(p.total);
    if (!terminal) {
      if (!p.started) std::cerr << "[" << count << "] " << p.layer << ": " << outcome(p) << "\n";
      return;
    }
    std::string now = running.empty() ? "  " + p.layer + " (" + outcome(p) + ")" : "  searching";
    for (const std::string& layer : running)
      now += (&layer == &running.front() ? " " : ", ") + layer;
    if (now.size() > 60) now = now.substr(0, 57) + "...";  // one line on a narrow terminal
    constexpr int kWidth = 30;
    const int filled = p.total ? kWidth * p.done / p.total : kWidth;
    std::cerr << "\r\033[K[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << count << now
              << std::flush;
  }
  static std::string outcome(const outpace::netmap::Progress& p) {
    if (p.from_cache) return "from the cache";
    if (!p.found) return "no valid mapping";
    const std::string why = p.proven                        ? "proven optimal"
                            : p.stopped_by == "steps"       ? "step budget"
                            : p.stopped_by == "time"        ? "time limit"
                            : p.stopped_by == "evaluations" ? "evaluation budget"
                                                            : "not proven";
    return outpace::report::format_number("%.1f s", p.seconds) + ", " + why;
  }
  /// Clears the bar before the report.
  void finish() const {
    if (terminal) std::cerr << "\r\033[K" << std::flush;
  }
};

/// A status line on stderr while a command works: redrawn in place on a terminal, at most every
/// half second; a plain line at most every ten seconds otherwise.
class StatusLine {
 public:
  /// How often a line may be shown.
  double every_s() const { return terminal_ ? 0.5 : 10; }
  /// Draws `text` now.
  void draw(const std::string& text) const {
    if (terminal_)
      std::cerr << "\r\033[K" << text << std::flush;
    else
      std::cerr << text << "\n";
  }
  /// Draws `text` unless the last line (or the start) was less than every_s() ago.
  void show(const std::string& text) {
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < every_s()) return;
    last_ = now;
    draw(text);
  }
  /// Seconds since the line was made.
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  /// Clears the line before the report.
  void finish() const {
    if (terminal_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool terminal_ = isatty(STDERR_FILENO) != 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

/// The line of a search in progress: phase, time, evaluations, best cost and the lower bound.
std::string search_line(const outpace::mapper::SearchProgress& p, const std::string& objective);

}  // namespace outpace::cli
