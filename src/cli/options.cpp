// The rules of the command's options (src/cli/options.hpp).
#include "cli/options.hpp"

#include <charconv>
#include <system_error>

#include "common/suggest.hpp"

namespace outpace::cli {

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max, const std::string& zero_means) {
  const std::string rule = "a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) +
                           (zero_means.empty() ? "" : " (0: " + zero_means + ")");
  return CLI::Validator(
      [min, max, rule](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        const bool digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || error != std::errc() || at != end || value < min || value > max)
          return text + " is not " + rule;
        return "";
      },
      "in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
}

namespace {

/// Every long option name of `cmd`, with its dashes ("--threads").
std::vector<std::string> option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : cmd.get_options())
    for (const std::string& name : opt->get_lnames()) names.push_back("--" + name);
  return names;
}

/// " did you mean 'x'?" or nothing.
std::string hint(const std::string& word, const std::vector<std::string>& names) {
  const std::string text = did_you_mean(word, names);
  return text.empty() ? "" : "; " + text;
}

}  // namespace

std::string unknown_argument(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> commands{"help"};
  const CLI::App* cmd = &app;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
    if (!args.empty() && sub->get_name() == args.front()) cmd = sub;
  }
  const std::string name = cmd == &app ? "" : cmd->get_name();
  const std::string help = name.empty() ? "'outpace help'" : "'outpace help " + name + "'";
  for (std::size_t i = cmd == &app ? 0 : 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (cmd == &app && !arg.empty() && arg[0] != '-' && arg != "help")
      return "unknown command '" + arg + "'" + hint(arg, commands) + " (" + help +
             " lists the commands)";
    if (!arg.starts_with("--")) continue;
    const std::string option = arg.substr(0, arg.find('='));
    if (cmd->get_option_no_throw(option) != nullptr) continue;
    return (name.empty() ? "" : name + ": ") + "unknown option '" + option + "'" +
           hint(option, option_names(*cmd)) + " (" + help + " lists the options)";
  }
  return "";
}

}  // namespace outpace::cli
