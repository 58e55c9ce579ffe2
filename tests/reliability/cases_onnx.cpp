// placeholder
#include "reliability/cases.hpp"
namespace outpace::reliability {
std::vector<Case> onnx_cases() { return {}; }
}  // namespace outpace::reliability
