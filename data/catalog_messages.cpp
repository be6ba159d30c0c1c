// Writes the shipped catalog's words for people as a PO template, to FILE: each stretch's name,
// steps and own dose, which translators find beside the program's messages in po/postured.pot.
#include <fstream>
#include <iostream>
#include <map>
#include <vector>

#include "shipped_catalog.hpp"

namespace {

std::string po_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Message {
    std::string text;
    std::vector<std::string> comments;  // what it is, in each stretch that has it
};

}  // namespace

int main(int argc, char** argv) {
    using namespace postured;
    if (argc != 2) {
        std::cerr << "usage: catalog_messages FILE\n";
        return 2;
    }
    auto config = shipped_catalog();
    if (!config) return 1;
    std::vector<Message> messages;
    std::map<std::string, std::size_t> index;
    auto add = [&](const Stretch& s, const char* what, const std::string& text) {
        if (text.empty()) return;
        auto [at, added] = index.try_emplace(text, messages.size());
        if (added) messages.push_back({text, {}});
        messages[at->second].comments.push_back(std::string(what) + " of the stretch " + s.id);
    };
    for (auto& s : config->catalog) {
        add(s, "The name", s.name);
        for (auto& step : s.steps)
            add(s, "A step", step);
        add(s, "The dose, in the article's words,", s.dose);
    }
    std::ofstream out(argv[1]);
    out << "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n";
    for (auto& m : messages) {
        for (auto& comment : m.comments)
            out << "#. " << comment << "\n";
        out << "#: config/stretches.toml\nmsgid " << po_string(m.text) << "\nmsgstr \"\"\n\n";
    }
    if (!out.flush()) {
        std::cerr << "cannot write " << argv[1] << "\n";
        return 1;
    }
}
