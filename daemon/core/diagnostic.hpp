#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace postured {

// Where a value came from: a file, and a 1-based line and column (0 when unknown).
struct Where {
    std::string path;
    int line = 0;
    int column = 0;
};

// One problem with a config or catalog file, printed as `path:line:col: key: problem`.
struct Diagnostic {
    enum class Severity { error, warning };
    Severity severity = Severity::error;
    Where where;
    std::string key;
    std::string problem;

    std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool has_errors(const Diagnostics& diagnostics);

// The text in double quotes, as messages show a value.
std::string quoted(std::string_view text);

}  // namespace postured
