#!/usr/bin/env bash
# The demo `make demo` runs after building. A placeholder until the examples
# exist: it pretty-prints every examples/**/*.sql with the CLI. Any command
# that fails fails the demo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cli=${UNIFIER:-build/unifier}
[[ -x "${cli}" ]] || { echo "demo: ${cli} not built (run make build)" >&2; exit 1; }

# An example with its own demo.sh runs that (examples/tpch/demo.sh).
mapfile -t demos < <(find examples -mindepth 2 -maxdepth 2 -name demo.sh 2>/dev/null | sort)
if [[ ${#demos[@]} -gt 0 ]]; then
  for d in "${demos[@]}"; do
    echo "== ${d}"
    bash "${d}" "${cli}"
  done
  exit 0
fi

mapfile -t files < <(find examples -type f -name '*.sql' 2>/dev/null | sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "demo: no examples/*.sql yet"
  exit 0
fi
for f in "${files[@]}"; do
  echo "== ${cli} fmt --pretty ${f}"
  "${cli}" fmt --pretty "${f}"
done
