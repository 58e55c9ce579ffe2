// placeholder
#include "reliability/cases.hpp"
namespace outpace::reliability {
std::vector<Case> arch_cases() { return {}; }
}
