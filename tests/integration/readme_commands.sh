#!/usr/bin/env bash
# The README opens with the two commands for a fresh machine; CI must run exactly the second.
set -euo pipefail
root=$1
commands=$(awk '/^```sh$/ {block = 1; next} /^```$/ {block = 0} block' "$root/README.md" | head -n 2)
[ "$(echo "$commands" | wc -l)" -eq 2 ] || { echo "FAIL: the README does not open with two commands"; exit 1; }
run_test=$(echo "$commands" | sed -n 2p)
ci=$(grep -vE '^\s*(#|$)|^set |^cd ' "$root/.ci/run")
if [ "$run_test" != "$ci" ]; then
    echo "FAIL: .ci/run runs '$ci' but the README's test command is '$run_test'"
    exit 1
fi
echo "$commands" | sed -n 1p | grep -qF -- "--config config/postured.toml" || { echo "FAIL: the first command does not run the shipped config"; exit 1; }
echo "README commands match .ci/run"
