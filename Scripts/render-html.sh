#!/usr/bin/env bash
# Renders a faultline HTML report to PNG with headless Chromium, to look at what a browser draws.
#
#   Scripts/render-html.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
#   Scripts/render-html.sh --analyze LOG [faultline options...] -- [OUT.png]
#
# The first form renders an existing report; the second runs `faultline analyze --report html` on LOG first
# (with the debug build) and renders the result. Installs Debian's chromium when it is missing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
size="1280,2000"

if [[ "${1:-}" == "--analyze" ]]; then
    shift
    args=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do args+=("$1"); shift; done
    [[ "${1:-}" == "--" ]] && shift
    out="${1:-$PWD/report.png}"
    html="$(mktemp --suffix=.html)"
    trap 'rm -f "$html"' EXIT
    (cd "$root" && swift build >/dev/null)
    "$root/.build/debug/faultline" analyze "${args[@]}" --report html -o "$html" --quiet || [[ $? -eq 3 ]]
else
    html="${1:?usage: render-html.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]}"
    out="${2:-${html%.html}.png}"
    [[ -n "${3:-}" ]] && size="${3/x/,}"
fi

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "chromium not found; installing it with apt-get" >&2
    sudo_cmd=""
    [[ "$(id -u)" -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq chromium >/dev/null
    browser="$(command -v chromium)"
fi

abs_html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
abs_out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
# No network: the report must not need it, and a fetch attempt would show up as a broken element.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --proxy-server=127.0.0.1:9 \
    --screenshot="$abs_out" --window-size="$size" "file://$abs_html" 2>/dev/null
echo "$abs_out"
