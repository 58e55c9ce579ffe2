// placeholder
#include "reliability/cases.hpp"
namespace outpace::reliability {
std::vector<Case> mapping_cases() { return {}; }
}
