#include "io/version.hpp"

namespace outpace::io {

const char* version() { return "0.1.0"; }

}  // namespace outpace::io
