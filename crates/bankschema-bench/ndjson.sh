#!/usr/bin/env bash
# The README's NDJSON figures: `bankschema validate --ndjson` on about 200 MB of
# get-accounts outputs, beside the jsonschema crate's own CLI on the same payloads
# as files (it reads no NDJSON; 2,000 files per call), three rounds, alternating.
# Installs jsonschema-cli 0.60.2 into target/tools on first use. Run from anywhere:
#   crates/bankschema-bench/ndjson.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/ndjson
mkdir -p "$work" target/tools
[ -x target/tools/bin/jsonschema-cli ] ||
    cargo install --locked --quiet jsonschema-cli --version 0.60.2 --root target/tools
cargo build --release --quiet -p bankschema
cargo build --release --quiet -p bankschema-bench --example ndjson
target/release/examples/ndjson "$work/accounts.ndjson"
rm -rf "$work/files" && mkdir -p "$work/files"
split -l 1 -a 5 -d --additional-suffix=.json "$work/accounts.ndjson" "$work/files/p"
( cd "$work/files" && ls ) | split -l 2000 - "$work/chunk."
schema=generated/bankschema-validator/schemas/get-accounts.output.json
bytes=$(stat -c %s "$work/accounts.ndjson")
echo "$(wc -l <"$work/accounts.ndjson") lines, $bytes bytes"
for round in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/bs.time" target/release/bankschema validate \
        --schema get-accounts.output --ndjson "$work/accounts.ndjson" >/dev/null 2>"$work/bs.err"
    read -r secs kb <"$work/bs.time"
    echo "round $round: bankschema validate --ndjson: $secs s, $(echo "$bytes / $secs / 1000000" | bc) MB/s, $((kb / 1024)) MB peak"
    start=$(date +%s.%N); peak=0
    for chunk in "$work"/chunk.*; do
        (cd "$work/files" && /usr/bin/time -f "%M" -o ../js.mem "$OLDPWD/target/tools/bin/jsonschema-cli" \
            validate --assert-format --errors-only --offline "$OLDPWD/$schema" -i $(cat "$OLDPWD/$chunk")) >/dev/null
        kb=$(tail -n 1 "$work/js.mem"); [ "$kb" -gt "$peak" ] && peak=$kb
    done
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    echo "round $round: jsonschema-cli validate (files): $secs s, $(echo "$bytes / $secs / 1000000" | bc) MB/s, $((peak / 1024)) MB peak"
done
