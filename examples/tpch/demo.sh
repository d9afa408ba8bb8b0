#!/usr/bin/env bash
# The TPC-H example's demo: what the front end does with a small project.
#
#   examples/tpch/demo.sh [CLI]      (default: build/unifier; run from anywhere)
#
# 1. fmt --pretty: every model and the sources, re-laid out;
# 2. fingerprint: one SHA-256 per statement (stable across spelling);
# 3. transpile: the DataFusion sources rewritten for DuckDB.
# Any failing command fails the demo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli=${1:-${UNIFIER:-${root}/build/unifier}}
cd "${root}"
ex=examples/tpch
models=("${ex}"/revenue_by_nation.sql "${ex}"/top_customers.sql "${ex}"/late_shipments.sql)

step() { printf '\n== %s\n' "$*"; }

for m in "${models[@]}"; do
  step "unifier fmt --pretty ${m}"
  "${cli}" fmt --pretty "${m}"
done
step "unifier fmt --pretty --read datafusion ${ex}/sources.sql (first table)"
"${cli}" fmt --pretty --read datafusion "${ex}/sources.sql" | awk '/;$/ {print; exit} {print}'

step "unifier fingerprint (one per statement)"
for f in "${models[@]}" "${ex}/sources.sql"; do
  dialect=duckdb
  [[ ${f} == */sources.sql ]] && dialect=datafusion
  "${cli}" fingerprint --dialect "${dialect}" "${f}" | sed "s|^|  $(basename "${f}")  |"
done

step "fingerprints ignore layout: ${models[0]} pretty-printed, then fingerprinted again"
a=$("${cli}" fingerprint "${models[0]}")
b=$("${cli}" fmt --pretty "${models[0]}" | "${cli}" fingerprint -)
echo "  original:  ${a}"
echo "  formatted: ${b}"
[[ "${a}" == "${b}" ]] || { echo "demo: fingerprints differ" >&2; exit 1; }

step "unifier fmt --read datafusion --write duckdb ${ex}/sources.sql (transpile)"
"${cli}" fmt --read datafusion --write duckdb "${ex}/sources.sql"

printf '\ndemo: formatted %d models, fingerprinted %d files, transpiled the sources from DataFusion to DuckDB\n' \
  "${#models[@]}" "$((${#models[@]} + 1))"
