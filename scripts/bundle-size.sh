#!/usr/bin/env bash
# Measures the release bundle in dist/ (gzip -9) and reports it against the budget.
# The budget counts what a visit downloads before the first screen: the app's wasm and JS glue, its JS snippets
# and the stylesheet. The exporters' module (vpn-designer-exporter-*, src/exporter.rs) is fetched only when the
# export panel is wanted; it is reported on its own line, and with everything in the total of all files.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_BYTES=${BUDGET_BYTES:-307200} # 300 KB, issue 5
first=0
later=0
shopt -s nullglob
for f in dist/*.wasm dist/*.js dist/*.css dist/snippets/*/*.js; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  case "$(basename "$f")" in
    vpn-designer-exporter*) later=$((later + gz)); when="on demand" ;;
    *) first=$((first + gz)); when="first load" ;;
  esac
  printf '%-72s %9d bytes raw %9d bytes gzip  (%s)\n' "$f" "$raw" "$gz" "$when"
done
printf 'exporters, fetched on demand, gzip -9: %d bytes\n' "$later"
printf 'all files, gzip -9: %d bytes\n' "$((first + later))"
printf 'bundle at first load (wasm + JS + CSS), gzip -9: %d bytes (budget %d)\n' "$first" "$BUDGET_BYTES"
if [ "$first" -gt "$BUDGET_BYTES" ]; then
  # Reported, not enforced by default: the editor (issue 5) is over this budget and the README says so, with the
  # plan to meet it. ENFORCE_BUNDLE_BUDGET=1 turns this into a failure (for when the budget is met again).
  echo "bundle-size: OVER BUDGET by $((first - BUDGET_BYTES)) bytes (see README, Measured)" >&2
  if [ "${ENFORCE_BUNDLE_BUDGET:-0}" = 1 ]; then
    exit 1
  fi
fi
