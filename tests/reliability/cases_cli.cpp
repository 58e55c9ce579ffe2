// placeholder
#include "reliability/cases.hpp"
namespace outpace::reliability {
std::vector<Case> cli_cases() { return {}; }
}  // namespace outpace::reliability
