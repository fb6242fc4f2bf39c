#!/usr/bin/env bash
# Peak memory against input size: analyses 1 GB and 4 GB of generated JSON lines with 100,000 distinct
# keys, 10,000 orgs and millions of distinct request IDs, and prints peak RSS for each with what the
# bounded maps dropped. Memory must not grow with the number of lines: both runs should peak alike.
#
# The peak comes when one worker merges while the other reads, so it moves a little from run to run: each
# size runs --runs times (default 3) and the range is printed.
#
# With --worst, the files come from Benchmarks/worst-case.py instead: every line a failure, with values from
# pools far larger than any cap, over 30 days (see the README's memory section for what it shows).
#
# Usage: Benchmarks/memory.sh [--sizes "1GB 4GB"] [--runs 3] [--dir /tmp/faultline-bench] [--keys 100000] [--worst]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="1GB 4GB"
dir=${TMPDIR:-/tmp}/faultline-bench
keys=100000
orgs=10000
runs=3
worst=0
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        --keys) keys=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --worst) worst=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
# The release build as the README installs it: the Swift runtime linked in, 3 MB less resident memory.
swift build -c release --static-swift-stdlib >/dev/null
bin=.build/release/faultline
mkdir -p "$dir"
for size in $sizes; do
    if [ "$worst" = 1 ]; then
        file=$dir/worst-$size.jsonl
        [ -f "$file" ] || python3 Benchmarks/worst-case.py "${size%GB}" "$file"
    else
        file=$dir/many-keys-$size.jsonl
        [ -f "$file" ] || "$bin" sample --bytes "$size" --seed 21 --keys "$keys" --orgs "$orgs" -o "$file"
    fi
    report=${file%.jsonl}.report.json
    peaks=()
    for _ in $(seq "$runs"); do
        timing=$(mktemp)
        /usr/bin/time -o "$timing" -f '%e %M' "$bin" analyze "$file" --report json -o "$report" --quiet
        peaks+=("$(tail -n 1 "$timing")")
        rm -f "$timing"
    done
    python3 - "$report" "$size" "${peaks[@]}" <<'PY'
import json, sys
report, size = sys.argv[1], sys.argv[2]
runs = [tuple(map(float, run.split())) for run in sys.argv[3:]]
seconds = sorted(run[0] for run in runs)[len(runs) // 2]
low, high = min(run[1] for run in runs) / 1024, max(run[1] for run in runs) / 1024
r = json.load(open(report))
inp = r["inputs"][0]
print(f"{size}: {inp['lines']:,} lines in {seconds:.1f} s (median of {len(runs)}), peak RSS {low:.0f}-{high:.0f} MB; "
      f"distinct request IDs {r['retries']['request_ids']:,}; keys tracked {len(r['keys'])} shown "
      f"(+{r['cut']['keys']:,} cut from the list); dropped by bounded maps: {r['dropped']}")
PY
done
