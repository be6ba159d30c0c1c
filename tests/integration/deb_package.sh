#!/usr/bin/env bash
# CPack builds a .deb with the right dependencies; apt-get installs it; the installed postured,
# config, unit and posturectl work. The package is removed again at the end.
set -euo pipefail
source_dir=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "installing a package needs root (CI runs as root)"
for tool in cpack dpkg-shlibdeps apt-get systemd-analyze; do
    command -v $tool > /dev/null || fail "$tool is missing (.ci/install-deps --test installs it)"
done
dpkg -s postured > /dev/null 2>&1 && fail "a postured package is installed already; remove it first"

work=$(mktemp -d)
cleanup() {
    apt-get remove -y -qq postured > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

cmake -S "$source_dir" -B "$work/build" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF > /dev/null
cmake --build "$work/build" -j2 > /dev/null
(cd "$work/build" && cpack -G DEB > /dev/null)
deb=$(ls "$work"/build/postured_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for library in libnotify4 libsqlite3-0 libsystemd0 libglib2.0-0 libtomlplusplus3; do
    grep -q "$library" <<< "$depends" || fail "Depends lacks $library: $depends"
done

(cd "$work/build" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$(basename "$deb")" > /dev/null)
[ "$(/usr/bin/postured --version)" = "postured $(dpkg-deb -f "$deb" Version)" ] || fail "installed postured --version"
/usr/bin/postured --check-config /etc/xdg/postured/config.toml > /dev/null || fail "the installed config"
[ -f /usr/share/postured/stretches.toml ] || fail "no catalog"
unit=/usr/lib/systemd/user/postured.service
mkdir -m 700 "$work/runtime"
verify=$(XDG_RUNTIME_DIR=$work/runtime systemd-analyze --user verify "$unit" 2>&1) || fail "verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify $unit: $verify"
grep -qx "ExecStart=/usr/bin/postured" "$unit" || fail "the unit does not start /usr/bin/postured"

# The installed daemon on the installed config, with the installed catalog, answers posturectl.
export XDG_RUNTIME_DIR=$work/runtime XDG_STATE_HOME=$work/state HOME=$work
/usr/bin/postured > /dev/null 2>&1 &
daemon=$!
for _ in $(seq 50); do /usr/bin/posturectl status > /dev/null 2>&1 && break; sleep 0.1; done
/usr/bin/posturectl stretches list | grep -q "seated-twist" || fail "posturectl against the installed daemon"
kill "$daemon"
wait "$daemon" || true
echo "the .deb installs and works"
