#!/usr/bin/env bash
# The real postured binary in a terminal: breaks on the console, reload by SIGHUP (a broken file
# keeps the running config), a clean stop on SIGTERM, --check-config, and the XDG lookup.
set -euo pipefail
postured=$1
fixtures=$2

work=$(mktemp -d)
daemon=
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    echo "--- stdout" >&2; cat "$work/out" >&2 || true
    echo "--- stderr" >&2; cat "$work/err" >&2 || true
    exit 1
}
# wait_for FILE TEXT [COUNT]: until FILE holds TEXT at least COUNT times (10 s at most)
wait_for() {
    for _ in $(seq 100); do
        [ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ] && return 0
        sleep 0.1
    done
    fail "no '$2' in $1"
}

# A terminal without a desktop: no session bus, no display.
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_CONFIG_DIRS=$work/etc XDG_DATA_HOME=$work/data \
    XDG_DATA_DIRS=$work/share
mkdir -p "$HOME"

cat > "$work/fast.toml" <<'TOML'
[schedule]
interval = "2s"
working_hours = "always"
[notify]
renotify_after = "1s"
renotify_limit = 1
TOML

echo "a break is printed as a readable block"
"$postured" --config "$work/fast.toml" > "$work/out" 2> "$work/err" &
daemon=$!
wait_for "$work/out" "Time to stretch:"
grep -qF "no session bus" "$work/err" || fail "no warning that there is no session bus"
grep -qE '^  1\. .+' "$work/out" || fail "no numbered steps"
# The dose comes first under the title: "Hold 30s", "Five slow breaths · each side", ...
dose=$(awk '/^-+$/ { rules++; next } rules == 2 { print; exit }' "$work/out")
[[ $dose =~ ^\ \ [A-Z].*[a-z0-9]$ && $dose != *"comfortable"* ]] || fail "no dose line first: '$dose'"
grep -qE '^  About .+\. Works: .+\.$' "$work/out" || fail "no duration and muscles"
wait_for "$work/out" "(reminder 1)"
wait_for "$work/err" "break missed:"

echo "a broken config on reload is refused with its location; the daemon keeps going"
printf '[schedule]\ninterval = "soon"\nworking_hours = "always"\n' > "$work/fast.toml"
kill -HUP "$daemon"
wait_for "$work/err" "$work/fast.toml:2:12: schedule.interval: \"soon\" is not a duration"
wait_for "$work/err" "reload failed; keeping the configuration in force"
breaks=$(grep -c "Time to stretch:" "$work/out")
wait_for "$work/out" "Time to stretch:" $((breaks + 1))  # still on the 2-second interval
kill -0 "$daemon" || fail "the daemon died on a bad reload"

echo "a good config on reload applies"
printf '[schedule]\ninterval = "1h"\nworking_hours = "always"\n' > "$work/fast.toml"
kill -HUP "$daemon"
wait_for "$work/err" "configuration reloaded"

echo "SIGTERM stops it cleanly"
kill -TERM "$daemon"
status=0
wait "$daemon" || status=$?
daemon=
[ "$status" -eq 0 ] || fail "exit status $status on SIGTERM"
grep -qF "stopping on SIGTERM" "$work/err" || fail "no stop message"

echo "--check-config: 0 for a good file, 1 with every problem for a bad one"
"$postured" --check-config "$fixtures/../../config/postured.toml" > "$work/out" 2> "$work/err" || fail "shipped config rejected"
grep -qF "ok (9 stretches on offer)" "$work/out" || fail "no ok line"
status=0
"$postured" --check-config "$fixtures/config/bad_enums.toml" > "$work/out" 2> "$work/err" || status=$?
[ "$status" -eq 1 ] || fail "exit $status for a bad file"
[ "$(wc -l < "$work/err")" -eq 3 ] || fail "expected 3 problems"
grep -qF "$fixtures/config/bad_enums.toml:2:11: notify.urgency: \"urgent\" is not allowed" "$work/err" || fail "no located error"
status=0
"$postured" --check-config "$work/missing.toml" > "$work/out" 2> "$work/err" || status=$?
[ "$status" -eq 1 ] || fail "exit $status for a missing file"
grep -qF "$work/missing.toml: cannot read: No such file or directory" "$work/err" || fail "no message for a missing file"

echo "the user's XDG file is read, and a broken one stops the start with its location"
mkdir -p "$XDG_CONFIG_HOME/postured" "$XDG_CONFIG_DIRS/postured"
printf '[schedule]\ninterval = "2s"\nworking_hours = "always"\n' > "$XDG_CONFIG_DIRS/postured/config.toml"
printf '[snooze]\nlimitt = 2\n' > "$XDG_CONFIG_HOME/postured/config.toml"
"$postured" > "$work/out" 2> "$work/err" &
daemon=$!
wait_for "$work/err" "$XDG_CONFIG_HOME/postured/config.toml:2:1: warning: snooze.limitt: unknown key; did you mean \"limit\"?"
wait_for "$work/out" "Time to stretch:"  # the system file's 2-second interval
kill -TERM "$daemon"; wait "$daemon" || true; daemon=
printf '[snooze]\nlimit = "two"\n' > "$XDG_CONFIG_HOME/postured/config.toml"
status=0
"$postured" > "$work/out" 2> "$work/err" || status=$?
[ "$status" -eq 1 ] || fail "exit $status with a broken user config"
grep -qF "$XDG_CONFIG_HOME/postured/config.toml:2:9: snooze.limit: expected a whole number" "$work/err" || fail "no located error at start"

echo "--version, --help and a usage error"
"$postured" --version | grep -Eqx "postured [0-9]+\.[0-9]+\.[0-9]+(\+git[0-9]+\.g[0-9a-f]+)?" || fail "--version"
"$postured" --help | grep -qF -- "--check-config" || fail "--help"
status=0
"$postured" --no-such-option > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "exit $status for a usage error"

echo "all daemon console checks passed"
