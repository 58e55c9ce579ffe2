#pragma once
// What the command checks before it works: the names it is given (with the closest known name
// when one is mistyped) and the files it will write; and how it writes them.

#include <string>

namespace outpace::cli {

/// Throws ConfigError at `option` for a bare word that is neither a preset nor a file but is
/// close to a preset: "unknown preset 'eyerss'; did you mean 'eyeriss'? ...". Anything else is
/// left to the architecture reader.
void check_arch_name(const std::string& value, const std::string& option = "--arch");

/// Throws ConfigError at `option` for a bare word that is neither a built-in network nor a file
/// but is close to a built-in network's name. Anything else is left to io::load_network.
void check_network_name(const std::string& value, const std::string& option = "--net");

/// The message for `--layer NAME` that names no zoo layer, with the closest layer (or network)
/// when one is close: "unknown layer 'resnet50.conv3_1c'; did you mean 'resnet50.conv3_1b'? ...".
std::string unknown_layer_message(const std::string& name);

/// Checks, before any work, that `path` can be written as the output of `option`. Throws
/// ConfigError when the path is a folder or its folder does not exist (the user's mistake),
/// EnvironmentError when the folder or file may not be written (permissions, read-only disk).
void check_output_path(const std::string& option, const std::string& path);

/// Writes `text` to `path`; throws EnvironmentError naming the path and the reason when it
/// cannot (a full disk, a file size limit, permissions), after removing what was written.
void write_output_file(const std::string& path, const std::string& text);

}  // namespace outpace::cli
