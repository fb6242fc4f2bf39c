#!/usr/bin/env bash
# faultline's throughput benchmark: generates realistic logs with `faultline sample`, then times, in one
# run and alternating, faultline against the tools that bound it on the same file:
#   .gz   : pigz -dc (zlib's inflate: the target is a ratio <= 1.0) and gzip -dc
#           (with ISA-L installed, also the same build on zlib, and igzip -dc)
#   plain : cat
# and, for comparison with what users would otherwise run, DuckDB (GROUP BY status) and jq.
# Prints median wall times, the ratio, MB/s and lines/s of uncompressed input, and peak RSS.
#
# Usage: Benchmarks/run.sh [--size 1GB] [--runs 3] [--dir /tmp/faultline-bench] [--jobs N] [--no-compare]
set -euo pipefail
cd "$(dirname "$0")/.."

size=1GB
runs=3
dir=${TMPDIR:-/tmp}/faultline-bench
jobs=$(nproc)
compare=1
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --no-compare) compare=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

need() { command -v "$1" >/dev/null 2>&1; }
if ! need pigz || [ ! -x /usr/bin/time ]; then
    echo "bench: installing pigz and time" >&2
    apt-get update -qq && apt-get install -y -qq pigz time >/dev/null
fi

# The release build as the README installs it: the Swift runtime linked in, 3 MB less resident memory.
# ISA-L support is compiled in only when its header was there at build time, and the build does not notice a
# header installed after it: a build older than the header is made again, so the ISA-L rows measure ISA-L.
bin=.build/release/faultline
isal_header=/usr/include/isa-l/igzip_lib.h
if [ -f "$isal_header" ] && [ -f "$bin" ] && [ "$isal_header" -nt "$bin" ]; then
    echo "bench: libisal-dev is newer than the build: rebuilding with ISA-L" >&2
    touch Sources/CZlib/shim.h Sources/FaultlineKit/Input/GzipInflater.swift
fi
swift build -c release --static-swift-stdlib >/dev/null
mkdir -p "$dir"

json=$dir/gateway-$size.jsonl
access=$dir/access-$size.log
[ -f "$json" ] || "$bin" sample --format jsonl --bytes "$size" --seed 11 --keys 2000 --orgs 200 -o "$json"
[ -f "$access" ] || "$bin" sample --format access --bytes "$size" --seed 12 -o "$access"
[ -f "$json.gz" ] || pigz -6 -k -f "$json"
[ -f "$access.gz" ] || pigz -6 -k -f "$access"

# Wall seconds and peak RSS (KB) of one command, its stdout discarded.
measure() {
    local stats
    stats=$(mktemp)
    /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
    tail -n 1 "$stats"
    rm -f "$stats"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

report() { # name file tool...
    local label=$1 file=$2
    shift 2
    local bytes lines
    bytes=$(stat -c %s "${file%.gz}")
    lines=$(wc -l < "${file%.gz}")
    declare -A times rss
    local tools=("$@")
    for ((run = 1; run <= runs; run++)); do
        for tool in "${tools[@]}"; do
            local cmd
            case "$tool" in
                faultline) cmd=("$bin" analyze "$file" --report json -o /dev/null --quiet --jobs "$jobs") ;;
                # The same build made to inflate with zlib, as on a machine without ISA-L.
                faultline-zlib) cmd=(env FAULTLINE_INFLATE=zlib "$bin" analyze "$file" --report json -o /dev/null --quiet --jobs "$jobs") ;;
                igzip) cmd=(igzip -dc "$file") ;;
                pigz) cmd=(pigz -dc "$file") ;;
                gzip) cmd=(gzip -dc "$file") ;;
                cat) cmd=(cat "$file") ;;
            esac
            read -r seconds kb < <(measure "${cmd[@]}")
            times[$tool]+="$seconds "
            rss[$tool]=$kb
        done
    done
    printf '\n%s: %s (%s MB uncompressed, %s lines), %s runs, median wall time\n' \
        "$label" "$(basename "$file")" "$((bytes / 1000000))" "$lines" "$runs"
    local base=""
    for tool in "${tools[@]}"; do
        local m
        m=$(echo "${times[$tool]}" | tr ' ' '\n' | grep -v '^$' | median)
        [ -z "$base" ] && base=$m
        awk -v tool="$tool" -v m="$m" -v fm="$base" -v bytes="$bytes" -v lines="$lines" -v kb="${rss[$tool]}" \
            'BEGIN { printf "  %-14s %7.2f s  %7.0f MB/s  %9.0f lines/s  peak RSS %6.1f MB  ratio faultline/this %.2f\n",
                     tool, m, bytes / m / 1e6, lines / m, kb / 1024, fm / m }'
    done
}

# faultline inflates with ISA-L when the system has libisal2 (README, Dependencies); the zlib row shows the same
# build without it, and igzip (ISA-L's own command, when installed) what ISA-L alone takes.
gz_tools=(faultline pigz gzip)
if [ -e /usr/lib/x86_64-linux-gnu/libisal.so.2 ] || [ -e /usr/lib/aarch64-linux-gnu/libisal.so.2 ]; then
    [ -f "$isal_header" ] || echo "bench: libisal2 without libisal-dev: this build inflates with zlib only" >&2
    echo "bench: ISA-L found: faultline inflates with it; faultline-zlib is the same build on zlib"
    gz_tools+=(faultline-zlib)
    need igzip && gz_tools+=(igzip)
fi
report "JSON lines, gzip" "$json.gz" "${gz_tools[@]}"
report "JSON lines, plain" "$json" faultline cat
report "access log, gzip" "$access.gz" "${gz_tools[@]}"
report "access log, plain" "$access" faultline cat

if [ "$compare" = 1 ]; then
    echo
    echo "What users would otherwise run, on the same files:"
    if python3 -c 'import duckdb' 2>/dev/null; then
        for f in "$json.gz" "$json"; do
            read -r seconds kb < <(measure python3 -c "
import duckdb
duckdb.sql(\"SELECT status, count(*) FROM read_json_auto('$f', format='newline_delimited', ignore_errors=true) GROUP BY status\").fetchall()")
            printf '  duckdb GROUP BY status  %-28s %7.2f s  peak RSS %6.1f MB\n' "$(basename "$f")" "$seconds" "$(echo "$kb / 1024" | bc -l)"
        done
    else
        echo "  duckdb: not installed (pip install duckdb)"
    fi
    if need jq; then
        read -r seconds kb < <(measure sh -c "jq -c '.status' '$json' | sort | uniq -c")
        printf '  jq .status | sort | uniq -c  %-24s %7.2f s  peak RSS %6.1f MB\n' "$(basename "$json")" "$seconds" "$(echo "$kb / 1024" | bc -l)"
    fi
fi
