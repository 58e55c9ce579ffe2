#pragma once

namespace outpace::io {

/// Outpace's version, as written into reports.
const char* version();

}  // namespace outpace::io
