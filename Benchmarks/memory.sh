#!/usr/bin/env bash
# Peak memory against input size: analyses 1 GB and 4 GB of generated JSON lines with 100,000 distinct
# keys, 10,000 orgs and millions of distinct request IDs, and prints peak RSS for each with what the
# bounded maps dropped. Memory must not grow with the number of lines: both runs should peak alike.
#
# Usage: Benchmarks/memory.sh [--sizes "1GB 4GB"] [--dir /tmp/faultline-bench] [--keys 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="1GB 4GB"
dir=${TMPDIR:-/tmp}/faultline-bench
keys=100000
orgs=10000
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        --keys) keys=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
swift build -c release >/dev/null
bin=.build/release/faultline
mkdir -p "$dir"
for size in $sizes; do
    file=$dir/many-keys-$size.jsonl
    [ -f "$file" ] || "$bin" sample --bytes "$size" --seed 21 --keys "$keys" --orgs "$orgs" -o "$file"
    report=$dir/many-keys-$size.report.json
    timing=$(mktemp)
    /usr/bin/time -o "$timing" -f '%e %M' "$bin" analyze "$file" --report json -o "$report" --quiet
    stats=$(tail -n 1 "$timing")
    rm -f "$timing"
    read -r seconds kb <<< "$stats"
    python3 - "$report" "$size" "$seconds" "$kb" <<'PY'
import json, sys
report, size, seconds, kb = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
r = json.load(open(report))
inp = r["inputs"][0]
print(f"{size}: {inp['lines']:,} lines in {seconds:.1f} s, peak RSS {kb / 1024:.0f} MB; "
      f"distinct request IDs {r['retries']['request_ids']:,}; keys tracked {len(r['keys'])} shown "
      f"(+{r['cut']['keys']:,} cut from the list); dropped by bounded maps: {r['dropped']}")
PY
done
