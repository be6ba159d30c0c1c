#!/bin/sh
# Passes when no program under test wrote a sanitizer report; shows them otherwise.
reports="$1"
if [ -n "$(ls -A "$reports" 2>/dev/null)" ]; then
    for report in "$reports"/*; do
        echo "=== $report"
        cat "$report"
    done
    exit 1
fi
echo "no sanitizer reports in $reports"
