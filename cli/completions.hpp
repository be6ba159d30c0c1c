#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace postured {

// The completion script for `shell` (bash, zsh or fish), made from the commands and options that
// `app` parses, so that the two cannot drift apart. An option whose value is a stretch id has the
// type name STRETCH, a file FILE; a positional checked by CLI::IsMember completes its choices.
std::optional<std::string> completion_script(const CLI::App& app, std::string_view shell);

}  // namespace postured
