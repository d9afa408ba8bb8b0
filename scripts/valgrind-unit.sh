#!/usr/bin/env bash
# Runs every unit test executable (one per tests/unit/test_*.c) under
# valgrind's memcheck: any invalid access, use of uninitialized memory or
# leak (definite or indirect) fails the run. Not part of `make test` (slow);
# run after `make build`.
#
#   scripts/valgrind-unit.sh [BUILD_DIR]     (default: build)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${1:-build}
command -v valgrind >/dev/null 2>&1 || { echo "valgrind-unit: valgrind not installed" >&2; exit 2; }
logdir="${build}/valgrind"
mkdir -p "${logdir}"

status=0
ran=0
for src in tests/unit/test_*.c; do
  [[ -e "${src}" ]] || continue
  name=$(basename "${src}" .c)
  exe="${build}/tests/${name}"
  if [[ ! -x "${exe}" ]]; then
    echo "valgrind-unit: ${name}: not built (${exe})" >&2
    status=1
    continue
  fi
  log="${logdir}/${name}.log"
  ran=$((ran + 1))
  # Tests find their inputs relative to the build dir, as under ctest.
  # Exit 99 means memcheck found errors; any other failure is the test's own
  # (e.g. an RSS bound that valgrind's overhead breaks), reported apart.
  (cd "${build}" && valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --track-origins=yes \
        --error-exitcode=99 "tests/${name}") >"${log}" 2>&1
  rc=$?
  if [[ ${rc} -eq 0 ]]; then
    echo "valgrind-unit: ${name}: clean"
  elif [[ ${rc} -eq 99 ]]; then
    status=1
    echo "valgrind-unit: ${name}: MEMORY ERRORS (log ${log}); first report:" >&2
    grep -m 20 -E '^==[0-9]+==' "${log}" >&2 || tail -n 20 "${log}" >&2
  else
    status=1
    echo "valgrind-unit: ${name}: memcheck clean, but the test itself failed under valgrind (exit ${rc}, log ${log}):" >&2
    grep -E '^\[  (FAILED|ERROR)' "${log}" | sort -u >&2 || true
  fi
done
echo "valgrind-unit: ${ran} executables, $([[ ${status} -eq 0 ]] && echo all clean || echo failures)"
exit "${status}"
