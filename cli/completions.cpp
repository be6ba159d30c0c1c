#include "completions.hpp"

#include <CLI/CLI.hpp>
#include <sstream>
#include <vector>

namespace postured {

namespace {

enum class Values { none, text, stretch, file, choices };

struct Arg {
    std::vector<std::string> flags;  // "--follow", "-f"; none for a positional
    std::string name;                // what its value is: "duration", "stretch"
    std::string help;
    Values values = Values::none;
    std::vector<std::string> choices;
};

struct Command {
    std::string name;
    std::string help;
    std::vector<Arg> options;
    std::vector<Arg> positionals;
    std::vector<Command> commands;
};

Arg arg_of(const CLI::Option& option) {
    Arg arg;
    arg.help = option.get_description();
    for (auto& name : option.get_lnames())
        arg.flags.push_back("--" + name);
    for (auto& name : option.get_snames())
        arg.flags.push_back("-" + name);
    auto type = option.get_type_name();
    arg.name = option.nonpositional() ? type.substr(0, type.find(':')) : option.get_name();
    for (auto& c : arg.name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto open = type.find('{'), close = type.find('}');
    if (option.nonpositional() && option.get_expected_max() == 0)
        arg.values = Values::none;
    else if (type.starts_with("STRETCH"))
        arg.values = Values::stretch;
    else if (type.starts_with("FILE"))
        arg.values = Values::file;
    else if (open != std::string::npos && close > open) {
        arg.values = Values::choices;
        std::istringstream list(type.substr(open + 1, close - open - 1));
        for (std::string choice; std::getline(list, choice, ',');)
            arg.choices.push_back(choice);
    } else {
        arg.values = Values::text;
    }
    return arg;
}

Command model(const CLI::App& app) {
    Command command;
    command.name = app.get_name();
    command.help = app.get_description();
    for (auto* option : app.get_options())
        (option->nonpositional() ? command.options : command.positionals)
            .push_back(arg_of(*option));
    for (auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        command.commands.push_back(model(*sub));
    return command;
}

// Every option, at any depth, that takes a value: the word after it is not an argument.
void valued_flags(const Command& command, std::vector<std::string>& flags) {
    for (auto& option : command.options)
        if (option.values != Values::none)
            for (auto& flag : option.flags)
                if (std::find(flags.begin(), flags.end(), flag) == flags.end())
                    flags.push_back(flag);
    for (auto& sub : command.commands)
        valued_flags(sub, flags);
}

std::string joined(const std::vector<std::string>& words, const char* separator = " ") {
    std::string out;
    for (auto& word : words)
        out += (out.empty() ? "" : separator) + word;
    return out;
}

// Inside single quotes, for bash and zsh ('\'' ends, escapes and reopens) or fish (\').
std::string single_quoted(std::string_view text, bool fish = false) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += fish ? "\\'" : "'\\''";
        else if (c == '\\' && fish)
            out += "\\\\";
        else
            out += c;
    }
    return out + "'";
}

const char* stretch_ids_command =
    R"(posturectl --json stretches list 2>/dev/null | grep -o '"id":"[^"]*"' | cut -d'"' -f4)";

// bash: the words typed so far give the command's path ("/stretches") and how many arguments
// it has; each path lists what can come next.
void bash_paths(std::ostream& out, const Command& command, const std::string& path) {
    out << "        \"" << path << "\")\n";
    bool valued = false;
    for (auto& option : command.options)
        valued = valued || option.values != Values::none;
    auto values = [](const Arg& arg) {
        switch (arg.values) {
            case Values::stretch:
                return std::string("stretch");
            case Values::file:
                return std::string("file");
            case Values::choices:
                return "choices " + joined(arg.choices);
            default:
                return std::string("text");
        }
    };
    if (valued) {
        out << "            case $prev in\n";
        for (auto& option : command.options)
            if (option.values != Values::none)
                out << "                " << joined(option.flags, " | ") << ") _posturectl_values "
                    << values(option) << "; return ;;\n";
        out << "            esac\n";
    }
    if (!command.positionals.empty()) {
        out << "            case $n in\n";
        for (std::size_t i = 0; i < command.positionals.size(); ++i) {
            auto& arg = command.positionals[i];
            out << "                " << i << ") ";
            if (arg.values == Values::choices)
                out << "words=\"" << joined(arg.choices) << "\" ;;\n";
            else
                out << "[[ $cur == -* ]] || { _posturectl_values " << values(arg)
                    << "; return; } ;;\n";
        }
        out << "            esac\n";
    }
    std::vector<std::string> words;
    for (auto& sub : command.commands)
        words.push_back(sub.name);
    for (auto& option : command.options)
        words.insert(words.end(), option.flags.begin(), option.flags.end());
    out << "            words+=\" " << joined(words) << "\" ;;\n";
    for (auto& sub : command.commands)
        bash_paths(out, sub, path + "/" + sub.name);
}

void all_paths(const Command& command, const std::string& path, std::vector<std::string>& paths) {
    for (auto& sub : command.commands) {
        paths.push_back(path + "/" + sub.name);
        all_paths(sub, path + "/" + sub.name, paths);
    }
}

std::string bash(const Command& root) {
    std::vector<std::string> paths, valued;
    all_paths(root, "", paths);
    valued_flags(root, valued);
    std::ostringstream out;
    out << "# bash completion for posturectl, made by `posturectl completions bash`\n\n"
        << "_posturectl_values() {  # KIND [CHOICE...]: the values the word being completed can "
           "take\n"
        << "    case $1 in\n"
        << "        stretch) mapfile -t COMPREPLY < <(compgen -W \"$(" << stretch_ids_command
        << ")\" -- \"$cur\") ;;\n"
        << "        file) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
        << "        choices) shift; mapfile -t COMPREPLY < <(compgen -W \"$*\" -- \"$cur\") ;;\n"
        << "        *) COMPREPLY=() ;;\n"
        << "    esac\n"
        << "}\n\n"
        << "_posturectl() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
        << "    local path=\"\" n=0 skip=0 i word words=\"\"\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        word=${COMP_WORDS[i]}\n"
        << "        if ((skip)); then skip=0; continue; fi\n"
        << "        case $path/$word in\n"
        << "            " << joined(paths, " | ") << ") path+=/$word; n=0; continue ;;\n"
        << "        esac\n"
        << "        case $word in\n"
        << "            " << joined(valued, " | ") << ") skip=1 ;;\n"
        << "            -*) ;;\n"
        << "            *) n=$((n + 1)) ;;\n"
        << "        esac\n"
        << "    done\n"
        << "    case $path in\n";
    bash_paths(out, root, "");
    out << "    esac\n"
        << "    mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
        << "}\n"
        << "complete -F _posturectl posturectl\n";
    return out.str();
}

// fish: a command is in force when its name was typed and none of its own commands was.
void fish_commands(std::ostream& out, const Command& command, int depth) {
    std::vector<std::string> names;
    for (auto& sub : command.commands)
        names.push_back(sub.name);
    std::string when = depth == 0 ? "" : "__fish_seen_subcommand_from " + command.name;
    if (!names.empty())
        when += (when.empty() ? "" : "; and ") + std::string("not __fish_seen_subcommand_from ") +
                joined(names);
    auto values = [](const Arg& arg) -> std::string {
        switch (arg.values) {
            case Values::stretch:
                return " -x -a '(__posturectl_stretch_ids)'";
            case Values::file:
                return " -r -F";
            case Values::choices:
                return " -x -a " + single_quoted(joined(arg.choices), true);
            case Values::text:
                return " -x";
            default:
                return "";
        }
    };
    auto line = [&](const std::string& condition) {
        out << "complete -c posturectl"
            << (condition.empty() ? "" : " -n " + single_quoted(condition));
    };
    for (auto& sub : command.commands) {
        line(when);
        out << " -a " << sub.name << " -d " << single_quoted(sub.help, true) << "\n";
    }
    for (auto& option : command.options) {
        line(when);
        for (auto& flag : option.flags)
            out << (flag.starts_with("--") ? " -l " + flag.substr(2) : " -s " + flag.substr(1));
        out << values(option) << " -d " << single_quoted(option.help, true) << "\n";
    }
    for (std::size_t i = 0; i < command.positionals.size(); ++i) {
        auto& arg = command.positionals[i];
        if (arg.values == Values::text) continue;
        line(when + (when.empty() ? "" : "; and ") + "__posturectl_arg " + std::to_string(depth) +
             " " + std::to_string(i));
        out << values(arg) << " -d " << single_quoted(arg.help, true) << "\n";
    }
    for (auto& sub : command.commands)
        fish_commands(out, sub, depth + 1);
}

std::string fish(const Command& root) {
    std::vector<std::string> valued;
    valued_flags(root, valued);
    std::vector<std::string> cases;
    for (auto& flag : valued)
        cases.push_back(single_quoted(flag, true));
    std::ostringstream out;
    out << "# fish completion for posturectl, made by `posturectl completions fish`\n\n"
        << "function __posturectl_stretch_ids\n"
        << "    posturectl --json stretches list 2>/dev/null | string match -r -a -g "
           "'\"id\":\"([^\"]*)\"'\n"
        << "end\n\n"
        << "# Whether the word being completed is argument N (from 0) of the command DEPTH words "
           "in.\n"
        << "function __posturectl_arg -a depth n\n"
        << "    set -l count 0\n"
        << "    set -l skip 0\n"
        << "    for word in (commandline -opc)[2..-1]\n"
        << "        if test $skip = 1\n"
        << "            set skip 0\n"
        << "            continue\n"
        << "        end\n"
        << "        switch $word\n"
        << "            case " << joined(cases) << "\n"
        << "                set skip 1\n"
        << "            case '-*'\n"
        << "            case '*'\n"
        << "                set count (math $count + 1)\n"
        << "        end\n"
        << "    end\n"
        << "    test $count -eq (math $depth + $n)\n"
        << "end\n\n"
        << "complete -c posturectl -f\n";
    fish_commands(out, root, 0);
    return out.str();
}

std::string zsh_escaped(std::string_view text, std::string_view special) {
    std::string out;
    for (char c : text) {
        if (special.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

// zsh: a function for each command, _arguments for its options and arguments.
void zsh_functions(std::ostream& out, const Command& command, const std::string& function) {
    auto action = [](const Arg& arg) -> std::string {
        switch (arg.values) {
            case Values::stretch:
                return "_posturectl_stretches";
            case Values::file:
                return "_files";
            case Values::choices:
                return "(" + joined(arg.choices) + ")";
            default:
                return " ";
        }
    };
    std::vector<std::string> specs;
    for (auto& option : command.options)
        for (auto& flag : option.flags) {
            auto spec = flag + "[" + zsh_escaped(option.help, "[]") + "]";
            if (option.values != Values::none)
                spec += ":" + zsh_escaped(option.name, ":") + ":" + action(option);
            specs.push_back(single_quoted(spec));
        }
    for (std::size_t i = 0; i < command.positionals.size(); ++i) {
        auto& arg = command.positionals[i];
        specs.push_back(single_quoted(std::to_string(i + 1) + ":" + zsh_escaped(arg.name, ":") +
                                      ":" + action(arg)));
    }
    out << function << "() {\n";
    if (command.commands.empty()) {
        out << "    _arguments";
        for (auto& spec : specs)
            out << " \\\n        " << spec;
        out << "\n}\n\n";
        return;
    }
    out << "    local -a commands\n    commands=(\n";
    for (auto& sub : command.commands)
        out << "        " << single_quoted(sub.name + ":" + zsh_escaped(sub.help, ":")) << "\n";
    out << "    )\n"
        << "    local curcontext=$curcontext state line\n"
        << "    _arguments -C";
    for (auto& spec : specs)
        out << " \\\n        " << spec;
    out << " \\\n        '1: :->command' \\\n        '*:: :->args'\n"
        << "    case $state in\n"
        << "        command) _describe command commands ;;\n"
        << "        args)\n"
        << "            case $words[1] in\n";
    for (auto& sub : command.commands)
        out << "                " << sub.name << ") " << function << "_" << sub.name << " ;;\n";
    out << "            esac\n"
        << "            ;;\n"
        << "    esac\n"
        << "}\n\n";
    for (auto& sub : command.commands)
        zsh_functions(out, sub, function + "_" + sub.name);
}

std::string zsh(const Command& root) {
    std::ostringstream out;
    out << "#compdef posturectl\n"
        << "# zsh completion for posturectl, made by `posturectl completions zsh`\n\n"
        << "_posturectl_stretches() {\n"
        << "    local -a ids\n"
        << "    ids=(${(f)\"$(" << stretch_ids_command << ")\"})\n"
        << "    _describe stretch ids\n"
        << "}\n\n";
    zsh_functions(out, root, "_posturectl");
    out << "_posturectl \"$@\"\n";
    return out.str();
}

}  // namespace

std::optional<std::string> completion_script(const CLI::App& app, std::string_view shell) {
    auto root = model(app);
    if (shell == "bash") return bash(root);
    if (shell == "zsh") return zsh(root);
    if (shell == "fish") return fish(root);
    return std::nullopt;
}

}  // namespace postured
