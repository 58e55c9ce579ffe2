// placeholder
#include "reliability/cases.hpp"
namespace outpace::reliability {
std::vector<Case> constraints_cases() { return {}; }
}  // namespace outpace::reliability
