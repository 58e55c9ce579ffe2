#pragma once
// The rules of the command's options: the range of every count, and what an unknown option or
// command was most likely meant to be.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace outpace::cli {

/// Most threads `--threads` may ask for (map: search threads; run: layers at once).
inline constexpr std::uint64_t kMaxThreads = 1024;
/// Most valid mappings `mapspace --histogram` may draw (at most 1,000 draws each).
inline constexpr std::uint64_t kMaxHistogram = 1'000'000;
/// Most tilings `mapspace --max-tilings` may count (about an hour at 3 million a second).
inline constexpr std::uint64_t kMaxTilings = 10'000'000'000;
/// Most evaluations `--max-evaluations` may allow.
inline constexpr std::uint64_t kMaxEvaluations = 1'000'000'000'000;
/// Longest `--time-limit`, in seconds: a week (0 means no limit at all).
inline constexpr double kMaxTimeLimitS = 7 * 24 * 3600;

/// A check of a whole-number option: digits only, from `min` to `max`; otherwise the option's
/// error says "<value> is not a whole number from <min> to <max>", then ` (0: <zero_means>)`.
CLI::Validator whole_number(std::uint64_t min, std::uint64_t max,
                            const std::string& zero_means = "");

/// The first argument of `args` (the command line without the program) that names no option of
/// the command it is given to, or no command, as a message with the closest name:
/// "map: unknown option '--thread'; did you mean '--threads'? ('outpace help map' lists the
/// options)". Empty when every option and the command are known.
std::string unknown_argument(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace outpace::cli
