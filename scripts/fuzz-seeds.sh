#!/usr/bin/env bash
# Splits the shared SQL corpora into one seed file per statement for the
# fuzz_sql target (tests/fuzz/fuzz_sql.c), so seeds are small and each one
# parses on its own. Generated at build time; never committed (the corpora
# live in ../shared).
#
#   scripts/fuzz-seeds.sh OUT_DIR [SHARED_DIR]
#
# Seeds: every identity.sql line (raw: a duckdb script; lines that are
# expressions also with control byte 0x04 = expression entry), every
# statement of the optimizer fixtures and pretty.sql, the TPC-H queries raw
# and with control bytes 0x01 (postgres) and 0x02 (datafusion), and a few
# multi-statement files through the statement reader (0x08). OUT_DIR is
# replaced whole.
set -euo pipefail

out=${1:?usage: fuzz-seeds.sh OUT_DIR [SHARED_DIR]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${2:-${root}/../shared}
corp="${shared}/corpora"
[[ -d "${corp}" ]] || { echo "fuzz-seeds: no corpora at ${corp}" >&2; exit 1; }

tmp="${out}.tmp.$$"
rm -rf "${tmp}"
mkdir -p "${tmp}"
trap 'rm -rf "${tmp}"' EXIT

# split_file PREFIX FILE: one seed per ';'-separated statement, comment and
# metadata lines (-- or #) dropped, as sqlglot's fixture loader does.
split_file() {
  awk -v dir="${tmp}" -v prefix="$1" '
    /^[ \t]*(--|#)/ { next }
    { buf = buf $0 "\n" }
    END {
      n = split(buf, parts, ";")
      k = 0
      for (i = 1; i <= n; i++) {
        s = parts[i]
        gsub(/^[ \t\n\r]+|[ \t\n\r]+$/, "", s)
        if (s == "") continue
        k++
        f = sprintf("%s/%s-%04d.sql", dir, prefix, k)
        printf "%s", s > f
        close(f)
      }
    }' "$2"
}

# identity.sql: one seed a line, raw, plus an expression-entry copy.
awk -v dir="${tmp}" '
  NF {
    n++
    f = sprintf("%s/identity-%04d.sql", dir, n); printf "%s", $0 > f; close(f)
    f = sprintf("%s/identity-expr-%04d.sql", dir, n); printf "\004%s", $0 > f; close(f)
  }' "${corp}/sqlglot/identity.sql"

split_file pretty "${corp}/sqlglot/pretty.sql"
for f in "${corp}"/sqlglot/optimizer/*.sql; do
  split_file "opt-$(basename "${f}" .sql)" "${f}"
done

for f in "${corp}"/tpch/queries/*.sql; do
  q=$(basename "${f}" .sql)
  cp "${f}" "${tmp}/tpch-${q}.sql"
  { printf '\001'; cat "${f}"; } >"${tmp}/tpch-pg-${q}.sql"
  { printf '\002'; cat "${f}"; } >"${tmp}/tpch-df-${q}.sql"
done

# Statement reader: identity.sql in chunks of 25 lines as ';'-joined scripts.
awk -v dir="${tmp}" '
  NF { buf = buf $0 ";\n"; n++ }
  n == 25 { k++; f = sprintf("%s/reader-%03d.sql", dir, k); printf "\010%s", buf > f; close(f); buf = ""; n = 0 }
  END { if (n) { k++; f = sprintf("%s/reader-%03d.sql", dir, k); printf "\010%s", buf > f; close(f) } }
' "${corp}/sqlglot/identity.sql"

rm -rf "${out}"
mkdir -p "$(dirname "${out}")"
mv "${tmp}" "${out}"
trap - EXIT
echo "fuzz-seeds: $(find "${out}" -type f | wc -l) seeds in ${out}"
