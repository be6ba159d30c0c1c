#!/bin/sh
# Builds the fuzzers with clang in BUILD, then runs each for SECONDS (default 30) from a copy of
# its seed corpus. Fails on any finding, which is left in BUILD/findings/NAME/ to be added to
# corpus/NAME/ once fixed.
set -eu
source=$(cd "$1" && pwd)
build=$2
seconds=${3:-30}
cmake -S "$source" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DPOSTURED_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target fuzzers -j2 >/dev/null
status=0
for name in config catalog duration status request; do
    corpus=$build/corpus/$name
    findings=$build/findings/$name
    rm -rf "$corpus" "$findings"
    mkdir -p "$corpus" "$findings"
    cp "$source/tests/fuzz/corpus/$name"/* "$corpus/"
    dictionary=
    [ -f "$source/tests/fuzz/$name.dict" ] && dictionary=-dict=$source/tests/fuzz/$name.dict
    echo "== $name: $seconds s from $(ls "$corpus" | wc -l) seeds"
    if ! "$build/tests/fuzz/${name}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$findings/" $dictionary "$corpus" \
            >"$build/$name.log" 2>&1; then
        tail -n 60 "$build/$name.log"
        status=1
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/$name.log" || true
done
exit $status
