#!/usr/bin/env bash
# The daemon's cost while it waits (no break due): CPU time and context switches of all its
# threads over SECONDS (default 120), read from /proc, with GLib, a session bus and a real
# notification server (dunst under Xvfb) attached. Usage: bench/idle_cost.sh BUILD_DIR [SECONDS]
set -euo pipefail
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    exec dbus-run-session -- "$0" "$@"
fi
build=$(realpath "$1")
seconds=${2:-120}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

exec 3> "$work/display"
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 2> /dev/null &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(cat "$work/display") XDG_RUNTIME_DIR=$work/runtime XDG_STATE_HOME=$work/state
mkdir -m 700 "$XDG_RUNTIME_DIR"
dunst > /dev/null 2>&1 &
pids+=($!)
gdbus wait --session --timeout 10 org.freedesktop.Notifications
printf '[schedule]\ninterval = "1h"\nworking_hours = "always"\n' > "$work/config.toml"
"$build/postured" --config "$work/config.toml" > /dev/null 2> "$work/log" &
daemon=$!
pids+=($daemon)
sleep 3  # past start-up
grep -q "showing breaks through the notification server dunst" "$work/log" || { cat "$work/log"; exit 1; }

switches() { cat /proc/$daemon/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
threads() { cat /proc/$daemon/task/*/comm | tr '\n' ' '; }

s0=$(switches) c0=$(cpu_ticks)
sleep "$seconds"
s1=$(switches) c1=$(cpu_ticks)
ticks=$(getconf CLK_TCK)
rss=$(awk '/VmRSS/ {print $2}' /proc/$daemon/status)
echo "waited:               ${seconds} s, no break due, dunst on a private session bus"
echo "threads:              $(threads)"
echo "context switches:     $((s1 - s0)) ($(awk "BEGIN {printf \"%.2f\", ($s1 - $s0) * 60 / $seconds}") per minute; target <= 1)"
echo "cpu time:             $(awk "BEGIN {printf \"%.2f\", ($c1 - $c0) / $ticks}") s"
echo "resident memory:      ${rss} KiB"
