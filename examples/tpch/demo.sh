#!/usr/bin/env bash
# The TPC-H example's demo: what the front end does with a small project.
#
#   examples/tpch/demo.sh [CLI]      (default: build/unifier; run from anywhere)
#
# 1. fmt --pretty: every model and the sources, re-laid out;
# 2. fingerprint: one SHA-256 per statement (stable across spelling);
# 3. transpile: a DataFusion query rewritten for DuckDB, and the DataFusion
#    sources, whose CREATE EXTERNAL TABLE DuckDB cannot express (an error
#    naming the construct, shown, not fatal).
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

step "unifier fmt --pretty --read datafusion --write duckdb ${ex}/segments_datafusion.sql (transpile)"
"${cli}" fmt --pretty --read datafusion --write duckdb "${ex}/segments_datafusion.sql"

# DuckDB has no CREATE EXTERNAL TABLE: the writer says so, naming the
# construct, instead of dropping it (the IO adapter will lower it to a
# read_csv view). The demo shows the error and goes on.
step "unifier fmt --read datafusion --write duckdb --keep-going ${ex}/sources.sql (expected: unsupported)"
if "${cli}" fmt --read datafusion --write duckdb --keep-going "${ex}/sources.sql" >/dev/null 2>"${TMPDIR:-/tmp}/uf-demo.$$"; then
  echo "  (the sources transpiled)"
else
  sed 's/^/  /' "${TMPDIR:-/tmp}/uf-demo.$$" | head -n 3
fi
rm -f "${TMPDIR:-/tmp}/uf-demo.$$"

# The execution lane: each model runs on the tiny TPC-H data, registered
# as sources (the CSV files are read in place; nothing else is reachable).
data="$(cd "${ex}/../.." && pwd)/../shared/corpora/tpch/data"
sources=()
for t in customer lineitem nation orders part partsupp region supplier; do
  sources+=(--source "${t}=${data}/${t}.csv.gz")
done
for f in "${models[@]}"; do
  step "unifier query ${f} (first rows)"
  "${cli}" query "${sources[@]}" --format table -f "${f}" | head -n 8
done

# The safety gate: under the default query-only policy a file read outside
# the sources is refused before anything runs (exit 3, rule and position).
step "unifier query \"SELECT * FROM read_csv('/etc/passwd')\" (expected: refused, exit 3)"
set +e
"${cli}" query "SELECT * FROM read_csv('/etc/passwd')" 2>&1 | sed 's/^/  /'
rc=${PIPESTATUS[0]}
set -e
echo "  exit status ${rc}"
[[ ${rc} -eq 3 ]] || { echo "demo: expected exit 3 from the safety gate" >&2; exit 1; }

printf '\ndemo: formatted %d models and the sources, fingerprinted %d files, transpiled a DataFusion query to DuckDB, ran %d models on TPC-H data, showed the safety gate\n' \
  "${#models[@]}" "$((${#models[@]} + 1))" "${#models[@]}"
