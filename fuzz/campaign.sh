#!/usr/bin/env bash
# A fuzzing campaign: every target for SECONDS (default 60), on stable Rust
# (`cargo fuzz` with no sanitizer). Prints each target's executions and findings;
# a finding is a file under fuzz/artifacts/<target>/, to be turned into a
# regression test. Needs cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
status=0
for target in $(cargo fuzz list --fuzz-dir fuzz); do
    mkdir -p "fuzz/corpus/$target"
    log="$(mktemp)"
    if cargo fuzz run --fuzz-dir fuzz --sanitizer none "$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=512 -timeout=10 >"$log" 2>&1; then
        verdict="no finding"
    else
        verdict="FINDING (see fuzz/artifacts/$target/)"
        status=1
        tail -n 30 "$log"
    fi
    runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || echo "?")
    echo "$target: ${seconds}s, ${runs} executions, $verdict"
    rm -f "$log"
done
exit "$status"
