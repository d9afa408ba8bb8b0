#!/usr/bin/env bash
# Peak memory of `unifier fingerprint` on a 1,000,000-statement file, by
# hand (the ctest test_mem does the same with wait4's ru_maxrss):
#
#   scripts/mem-check.sh [CLI] [LIMIT_MB]     (default: build/unifier 64)
#
# Writes the TPC-H queries interleaved with small statements (one TPC-H
# query per 50) to a temporary folder, fingerprints it, and fails if the
# peak RSS reaches LIMIT_MB. Uses /usr/bin/time -v when installed (Debian
# package `time`), else samples VmHWM from /proc while the CLI runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cli=${1:-${root}/build/unifier}
limit_mb=${2:-64}
shared=${UF_SHARED_DIR:-${root}/../shared}
[[ -x "${cli}" ]] || { echo "mem-check: ${cli} not built" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "${tmp}"' EXIT
in="${tmp}/million.sql"

# The queries, each flattened to one ';'-terminated statement.
for q in "${shared}"/corpora/tpch/queries/q*.sql; do
  tr '\n' ' ' <"${q}" | sed 's/[[:space:]]*;*[[:space:]]*$/;/'
  echo
done >"${tmp}/tpch.sql"
awk -v n=1000000 -v every=50 '
  NR == FNR { q[nq++] = $0; next }
  END {
    for (i = 0; i < n; i++) {
      if (i % every == 0) { print q[int(i / every) % nq]; continue }
      m = i % 6
      if (m == 0) printf "SELECT a, b FROM t WHERE id = %d;\n", i
      else if (m == 1) printf "INSERT INTO t VALUES (%d, '\''name %d'\'');\n", i, i
      else if (m == 2) printf "UPDATE t SET b = '\''x'\'' WHERE id = %d;\n", i
      else if (m == 3) printf "DELETE FROM t WHERE id = %d;\n", i
      else if (m == 4) printf "SELECT count(*) FROM t GROUP BY a HAVING count(*) > %d;\n", i
      else printf "SELECT x + %d AS y FROM u ORDER BY y LIMIT 10;\n", i
    }
  }' "${tmp}/tpch.sql" /dev/null >"${in}"
echo "mem-check: $(wc -l <"${in}") lines, $(du -m "${in}" | cut -f1) MB"

start=$(date +%s.%N)
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -v -o "${tmp}/time.txt" "${cli}" fingerprint "${in}" >"${tmp}/out.txt"
  peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "${tmp}/time.txt")
else
  "${cli}" fingerprint "${in}" >"${tmp}/out.txt" &
  pid=$!
  peak_kb=0
  while kill -0 "${pid}" 2>/dev/null; do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/${pid}/status" 2>/dev/null || true)
    [[ -n "${kb}" && "${kb}" -gt "${peak_kb}" ]] && peak_kb=${kb}
    sleep 0.05
  done
  wait "${pid}"
fi
end=$(date +%s.%N)
lines=$(wc -l <"${tmp}/out.txt")
awk -v kb="${peak_kb}" -v s="${start}" -v e="${end}" -v l="${lines}" -v lim="${limit_mb}" 'BEGIN {
  printf "mem-check: %d fingerprints in %.2f s, peak RSS %.1f MB (limit %d MB)\n", l, e - s, kb / 1024, lim }'
if (( peak_kb >= limit_mb * 1024 )); then
  echo "mem-check: FAILED: peak RSS over ${limit_mb} MB" >&2
  exit 1
fi
