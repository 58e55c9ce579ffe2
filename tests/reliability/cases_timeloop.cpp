// placeholder
#include "reliability/cases.hpp"
namespace outpace::reliability {
std::vector<Case> timeloop_cases() { return {}; }
}  // namespace outpace::reliability
