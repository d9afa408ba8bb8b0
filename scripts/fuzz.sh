#!/usr/bin/env bash
# Runs every libFuzzer target of a UF_FUZZ=ON build for a bounded time.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS
#
# Each target fuzzes a fresh copy of its seeds (the list CMake wrote to
# BUILD_DIR/fuzz/<stem>.seeds), so the repository's corpora are never changed.
# Inputs up to 4096 bytes. A crash, leak, timeout or OOM fails the run and
# leaves its reproducer in BUILD_DIR/fuzz-artifacts/; copy it into
# tests/fuzz/corpus/<stem>/ so the replay test keeps checking it.
set -euo pipefail

build=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz.sh BUILD_DIR SECONDS}
max_len=${FUZZ_MAX_LEN:-4096}

shopt -s nullglob
seed_lists=("${build}"/fuzz/*.seeds)
if [[ ${#seed_lists[@]} -eq 0 ]]; then
  echo "fuzz: no fuzz targets in tests/fuzz"
  exit 0
fi

work="${build}/fuzz-work"
artifacts="${build}/fuzz-artifacts"
mkdir -p "${artifacts}"
status=0
for list in "${seed_lists[@]}"; do
  stem=$(basename "${list}" .seeds)
  bin="${build}/fuzz/${stem}"
  [[ -x "${bin}" ]] || { echo "fuzz: ${stem}: not built (${bin})" >&2; status=1; continue; }

  corpus="${work}/${stem}"
  rm -rf "${corpus}"
  mkdir -p "${corpus}"
  n=0
  while IFS= read -r seed; do
    [[ -n "${seed}" && -e "${seed}" ]] || continue
    # Numbered names: two seed folders may both hold a q01.sql.
    while IFS= read -r -d '' f; do
      n=$((n + 1))
      cp "${f}" "${corpus}/$(printf '%05d' "${n}")-$(basename "${f}")"
    done < <(find "${seed}" -type f ! -name '.*' -print0 | sort -z)
  done <"${list}"

  log="${build}/fuzz-${stem}.log"
  rm -f "${artifacts}/${stem}-"*
  echo "fuzz: ${stem}: ${seconds}s on ${n} seeds (log ${log})"
  if "${bin}" -max_len="${max_len}" -max_total_time="${seconds}" -timeout=25 \
       -rss_limit_mb=4096 -print_final_stats=1 \
       -artifact_prefix="${artifacts}/${stem}-" "${corpus}" >"${log}" 2>&1; then
    summary=$(grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "${log}" | tail -n 2 | tr '\n' ' ')
    echo "fuzz: ${stem}: ok ${summary}"
  else
    status=1
    echo "fuzz: ${stem}: FAILED; last lines of ${log}:" >&2
    tail -n 60 "${log}" >&2
    for a in "${artifacts}/${stem}-"*; do echo "fuzz: reproducer: ${a}" >&2; done
  fi
done
exit "${status}"
