#!/usr/bin/env bash
# cmake --install puts the binaries, config, catalog, unit and completions in place; the bash and fish
# completions complete commands and stretch ids from a running daemon; the zsh one parses.
set -euo pipefail
build=$1 prefix=$2 sysconfdir=$3
work=$(mktemp -d)
daemon=
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in zsh fish; do
    command -v $tool > /dev/null || fail "$tool is not installed (.ci/install-deps --test installs it)"
done

DESTDIR=$work/root cmake --install "$build" > /dev/null
root=$work/root$prefix
for f in "$root/bin/postured" "$root/bin/posturectl" "$work/root$sysconfdir/xdg/postured/config.toml" \
         "$root/share/postured/stretches.toml" "$root/share/bash-completion/completions/posturectl" \
         "$root/share/zsh/vendor-completions/_posturectl" "$root/share/fish/vendor_completions.d/posturectl.fish" \
         "$root/share/applications/postured.desktop" "$root/share/icons/hicolor/scalable/apps/postured.svg" \
         "$root/lib/systemd/user/postured.service" "$root/share/doc/postured/README.md" \
         "$root/share/doc/postured/docs/json.md"; do
    [ -e "$f" ] || fail "cmake --install did not install ${f#$work/root}"
done
"$root/bin/postured" --check-config "$work/root$sysconfdir/xdg/postured/config.toml" > /dev/null ||
    fail "the installed config does not check"
for language in $(grep -v '^#' "$(dirname "$0")/../../po/LINGUAS"); do
    [ -s "$root/share/locale/$language/LC_MESSAGES/postured.mo" ] ||
        fail "cmake --install did not install the $language translation"
    grep -q "^Comment\[$language\]=" "$root/share/applications/postured.desktop" ||
        fail "the installed desktop entry has no $language comment"
done
for id in $(sed -n 's/^id = "\(.*\)"/\1/p' "$root/share/postured/stretches.toml"); do
    for picture in "$root/share/postured/stretches/$id.png" "$root/share/postured/stretches/$id.svg"; do
        [ -s "$picture" ] || fail "cmake --install did not install ${picture#$work/root}"
    done
done

# Installed under another prefix, everything follows it: the unit names the programs there, the
# config is under its etc, and the programs find their pictures beside them.
other=$work/elsewhere
cmake --install "$build" --prefix "$other" > /dev/null
grep -qx "ExecStart=$other/bin/postured" "$other/lib/systemd/user/postured.service" ||
    fail "the unit installed under $other does not start $other/bin/postured"
[ -e "$other/etc/xdg/postured/config.toml" ] || fail "the config did not follow --prefix $other"

# The man pages, made from --help and the shipped config: they render without a warning and say
# what the programs say.
command -v man > /dev/null || fail "man is not installed (.ci/install-deps --test installs man-db)"
for page in man1/postured.1.gz man1/posturectl.1.gz man5/postured.toml.5.gz; do
    [ -e "$root/share/man/$page" ] || fail "cmake --install did not install the man page $page"
    warnings=$(MANWIDTH=100 man --warnings -l "$root/share/man/$page" 2>&1 > /dev/null)
    [ -z "$warnings" ] || fail "man $page: $warnings"
done
MANWIDTH=200 man -l "$root/share/man/man1/posturectl.1.gz" 2>/dev/null | grep -q -- "--json" ||
    fail "posturectl(1) lacks --json"
MANWIDTH=200 man -l "$root/share/man/man1/postured.1.gz" 2>/dev/null | grep -q -- "--check-config" ||
    fail "postured(1) lacks --check-config"
MANWIDTH=200 man -l "$root/share/man/man5/postured.toml.5.gz" 2>/dev/null | grep -q 'dnd_max_delay = "30m"' ||
    fail "postured.toml(5) lacks the shipped config"

export PATH=$other/bin:$PATH XDG_RUNTIME_DIR=$work/runtime XDG_STATE_HOME=$work/state
mkdir -m 700 "$XDG_RUNTIME_DIR"
postured --config "$work/root$sysconfdir/xdg/postured/config.toml" > /dev/null 2>&1 &
daemon=$!
for _ in $(seq 100); do posturectl status > /dev/null 2>&1 && break; sleep 0.1; done
posturectl stretches show seated-twist | grep -qx "  Picture: $other/share/postured/stretches/seated-twist.png" ||
    fail "the daemon installed under $other does not show its own pictures"

complete_bash() {  # complete_bash WORD... : the completions for the last word
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _posturectl; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$root/share/bash-completion/completions/posturectl" "$@"
}
[ "$(complete_bash posturectl sn)" = snooze ] || fail "bash: 'sn' gave '$(complete_bash posturectl sn)'"
[ "$(complete_bash posturectl status --f)" = --follow ] || fail "bash: status --f"
[ "$(complete_bash posturectl stats --m)" = --month ] || fail "bash: stats --m"
[ "$(complete_bash posturectl break --stretch cow)" = cows-head ] || fail "bash: stretch ids"
[ "$(complete_bash posturectl stretches show levator)" = levator-scapulae ] || fail "bash: stretches show"

[ "$(complete_bash posturectl config check /et)" = /etc ] || fail "bash: config check FILE"
# The completions are made from posturectl's own commands: each one is offered, and no other.
commands=$(posturectl --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }' | sort)
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "posturectl --help lists too few commands: $commands"
[ "$(complete_bash posturectl '' | grep -v '^-' | sort)" = "$commands" ] ||
    fail "bash offers other commands than posturectl --help lists"

fish_file=$root/share/fish/vendor_completions.d/posturectl.fish
fish --no-execute "$fish_file" || fail "fish: syntax"
complete_fish() { fish -c "source $fish_file; complete -C '$1'" | cut -f1; }
[ "$(complete_fish 'posturectl statu')" = status ] || fail "fish: 'statu' gave '$(complete_fish 'posturectl statu')'"
complete_fish 'posturectl break --stretch ' | grep -qx cows-head || fail "fish: stretch ids"
[ "$(complete_fish 'posturectl stat')" = "$(printf 'stats\nstatus')" ] || fail "fish: 'stat' gave '$(complete_fish 'posturectl stat')'"
complete_fish 'posturectl stretches show ' | grep -qx levator-scapulae || fail "fish: stretches show"
[ "$(complete_fish 'posturectl stretches ' | grep -v '^-' | sort)" = "$(printf 'list\nshow')" ] ||
    fail "fish: stretches gave '$(complete_fish 'posturectl stretches ')'"
[ "$(complete_fish 'posturectl ' | grep -v '^-' | sort)" = "$commands" ] ||
    fail "fish offers other commands than posturectl --help lists"

zsh_file=$root/share/zsh/vendor-completions/_posturectl
zsh -n "$zsh_file" || fail "zsh: syntax"
for command in $commands; do
    grep -q "^_posturectl_$command() {" "$zsh_file" || fail "zsh: no completion for $command"
done
# Installed elsewhere, the programs find their translations beside them, as the pictures.
english="posturectl: control postured, the posture-break reminder."
german=$(LANG=de_DE.UTF-8 TEXTDOMAINDIR=$other/share/locale gettext -d postured "$english")
[ "$german" != "$english" ] || fail "no German in $other/share/locale"
LANG=de_DE.UTF-8 posturectl --help | grep -qxF "$german" || fail "posturectl --help under LANG=de_DE is not German"
# Completions made in another language complete the same words: commands, actions, ids.
LANG=de_DE.UTF-8 posturectl completions fish > "$work/de.fish"
LANG=de_DE.UTF-8 posturectl completions bash > "$work/de.bash"
LANG=de_DE.UTF-8 posturectl completions zsh > "$work/de.zsh"
fish --no-execute "$work/de.fish" || fail "fish in German: syntax"
zsh -n "$work/de.zsh" || fail "zsh in German: syntax"
for words in 'posturectl ' 'posturectl stretches ' 'posturectl stretches show ' 'posturectl stats --'; do
    [ "$(fish_file=$work/de.fish complete_fish "$words" | sort)" = "$(complete_fish "$words" | sort)" ] ||
        fail "fish in German completes '$words' otherwise"
done
[ "$(bash -c 'source "$1"; COMP_WORDS=(posturectl stretches ""); COMP_CWORD=2; _posturectl; printf "%s\n" "${COMPREPLY[@]}"' \
      _ "$work/de.bash" | sort)" = "$(complete_bash posturectl stretches '' | sort)" ] ||
    fail "bash in German completes 'stretches' otherwise"
[ "$(grep -o '^_posturectl_[a-z_]*' "$work/de.zsh")" = "$(grep -o '^_posturectl_[a-z_]*' "$zsh_file")" ] ||
    fail "zsh in German completes other commands than in English"
echo "install and completions: ok"
