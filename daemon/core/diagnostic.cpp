#include "core/diagnostic.hpp"

#include <algorithm>

#include "core/language.hpp"

namespace postured {

std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    out += text;
    out += '"';
    return out;
}

std::string Diagnostic::to_string() const {
    std::string out;
    if (!where.path.empty()) {
        out = where.path;
        if (where.line > 0) {
            out += ':';
            out += std::to_string(where.line);
            out += ':';
            out += std::to_string(where.column);
        }
        out += ": ";
    }
    if (severity == Severity::warning) out += _("warning: ");
    if (!key.empty()) out += key + ": ";
    return out + problem;
}

bool has_errors(const Diagnostics& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](auto& d) { return d.severity == Diagnostic::Severity::error; });
}

}  // namespace postured
