#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/Targets and runs each for a while (Fuzz/README.md).
#
#   Scripts/fuzz.sh [SECONDS] [TARGET...]     run each target SECONDS (default 60), all targets by default
#   Scripts/fuzz.sh --build-only [TARGET...]  build only
#
# Binaries go to .build-fuzz/, crashes and each run's log and new corpus to fuzz-out/<target>/ (FUZZ_OUT to
# change it). Extra libFuzzer flags can be given in FUZZ_FLAGS, e.g. FUZZ_FLAGS='-jobs=2 -workers=2'.
set -euo pipefail
# Swift's own crash handler hides the sanitizer report; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")/.."

build_only=0
seconds=60
if [[ ${1:-} == --build-only ]]; then
    build_only=1
    shift
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
all=(JSONScanner JSONJoiner AccessLog Timestamp Classifier Redactor GzipReader GzipCorrupt Analysis)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")

bin=.build-fuzz
out=${FUZZ_OUT:-fuzz-out}
mkdir -p "$bin" "$out"

# The library's byte-level stages, compiled into the same module as the target so internal API
# (LineSink, InputReader.read) is reachable. Analysis/, Pipeline/, Sample/ and the report renderers are
# left out: nothing fuzzed here needs them.
sources=(
    Sources/FaultlineKit/Formats/*.swift Sources/FaultlineKit/Input/*.swift Sources/FaultlineKit/Classify/*.swift
    Sources/FaultlineKit/Report/Redactor.swift Sources/FaultlineKit/Version.swift Fuzz/Targets/FuzzSupport.swift
)

# The Analysis target runs the whole pipeline, so it takes every source but the sample generator.
all_sources=(
    Sources/FaultlineKit/Formats/*.swift Sources/FaultlineKit/Input/*.swift Sources/FaultlineKit/Classify/*.swift
    Sources/FaultlineKit/Analysis/*.swift Sources/FaultlineKit/Pipeline/*.swift Sources/FaultlineKit/Report/*.swift
    Sources/FaultlineKit/Version.swift Fuzz/Targets/FuzzSupport.swift
)

build() {
    local name=$1 file=$2
    local sources=("${sources[@]}")
    [[ $name == Analysis ]] && sources=("${all_sources[@]}")
    if [[ -x $bin/$name && -z $(find "${sources[@]}" "Fuzz/Targets/$file.swift" -newer "$bin/$name") ]]; then
        return
    fi
    echo "== build $name" >&2
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name FaultlineKit \
        "${sources[@]}" "Fuzz/Targets/$file.swift" \
        -I Sources/CZlib -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap -lz \
        -o "$bin/$name" 2> >(grep -v "Cannot export local symbol" >&2)
}

for target in "${targets[@]}"; do
    file=${target}Fuzz
    env=()
    corpus=Fuzz/Corpus/$target
    if [[ $target == GzipCorrupt ]]; then
        file=GzipReaderFuzz
        env=(FAULTLINE_FUZZ_GZIP=1)
    fi
    [[ -f Fuzz/Targets/$file.swift ]] || { echo "no such target: $target" >&2; exit 2; }
    build "${file%Fuzz}" "$file"
    [[ $build_only == 1 ]] && continue

    mkdir -p "$out/$target/corpus"
    dict=()
    [[ -f Fuzz/Dictionaries/$target.dict ]] && dict=(-dict="Fuzz/Dictionaries/$target.dict")
    echo "== run $target for ${seconds}s (crashes in $out/$target/)" >&2
    # The first corpus directory receives new inputs; the seeds in Fuzz/Corpus stay as written.
    env "${env[@]}" "$bin/${file%Fuzz}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -max_len=8192 -print_final_stats=1 -artifact_prefix="$out/$target/" "${dict[@]}" ${FUZZ_FLAGS:-} \
        "$out/$target/corpus" "$corpus" 2>&1 | tee "$out/$target/run.log" | grep -E '^(==|Done|stat::|#[0-9]+\s+DONE)|ERROR|SUMMARY|Test unit written' || true
    if ls "$out/$target"/crash-* "$out/$target"/timeout-* "$out/$target"/oom-* >/dev/null 2>&1; then
        echo "!! $target left artifacts in $out/$target/" >&2
    fi
done
