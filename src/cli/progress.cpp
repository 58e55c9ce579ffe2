// What the commands show while they work (src/cli/progress.hpp).
#include "cli/progress.hpp"

#include <cmath>

#include "report/format.hpp"

namespace outpace::cli {

std::string search_line(const outpace::mapper::SearchProgress& p, const std::string& objective) {
  using outpace::report::format_number;
  return "searching (" + p.phase + "): " + format_number("%.1f s", p.seconds) + ", " +
         outpace::report::with_commas(static_cast<std::int64_t>(p.evaluations)) +
         " evaluations, best " + objective + " " +
         (std::isinf(p.best) ? std::string("none yet") : format_number("%.4g", p.best)) +
         ", lower bound " + format_number("%.4g", p.lower_bound);
}

}  // namespace outpace::cli
