#!/usr/bin/env bash
# Installs everything unifier builds, tests and benchmarks with, on Debian 12.
#
# Idempotent and silent when everything is present; one line per thing it
# installs otherwise. Runs as root (or through sudo when that exists).
#
#   apt packages      checked with one dpkg-query call; `apt-get update` runs
#                     once, only when something is missing.
#   DuckDB 1.4.4      the C library (libduckdb.so) and its header (duckdb.h),
#                     taken from the npm registry with `npm pack` (no install
#                     scripts run), checked against pinned SHA-256 sums and
#                     unpacked into third_party/duckdb/{include,lib}.
#                     DUCKDB_ROOT=/prefix (with include/duckdb.h and
#                     lib/libduckdb.so) uses an existing install instead.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

APT_PACKAGES=(
  gcc make cmake ninja-build pkg-config
  libcmocka-dev libjansson-dev libssl-dev
  clang libclang-rt-14-dev
  nodejs npm
  libpg-query-dev
  valgrind
)

DUCKDB_VERSION=1.4.4
DUCKDB_BINDINGS_VERSION=1.4.4-r.4
DUCKDB_HEADER_PKG="duckdb@${DUCKDB_VERSION}"
DUCKDB_HEADER_TGZ="duckdb-${DUCKDB_VERSION}.tgz"
DUCKDB_HEADER_SHA256=5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed
DUCKDB_HEADER_PATH=package/src/duckdb/src/include/duckdb.h
DUCKDB_LIB_PKG="@duckdb/node-bindings-linux-x64@${DUCKDB_BINDINGS_VERSION}"
DUCKDB_LIB_TGZ="duckdb-node-bindings-linux-x64-${DUCKDB_BINDINGS_VERSION}.tgz"
DUCKDB_LIB_SHA256=732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b
DUCKDB_LIB_PATH=package/libduckdb.so
DUCKDB_DEST="${ROOT}/third_party/duckdb"
DUCKDB_STAMP="${DUCKDB_HEADER_PKG} ${DUCKDB_LIB_PKG}"

say() { printf 'bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ ${EUID} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

# Prints the packages of APT_PACKAGES that are not fully installed.
missing_packages() {
  local installed pkg
  # One call for all: unknown packages go to stderr and are simply absent.
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' \
                "${APT_PACKAGES[@]}" 2>/dev/null | awk '$2 == "ii" {print $1}' || true)
  for pkg in "${APT_PACKAGES[@]}"; do
    if grep -qx -- "${pkg}" <<<"${installed}"; then
      continue
    fi
    # NodeSource's nodejs ships npm itself and conflicts with Debian's npm.
    case "${pkg}" in
      npm) command -v npm >/dev/null 2>&1 && continue ;;
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
    esac
    printf '%s\n' "${pkg}"
  done
}

install_packages() {
  local -a missing
  mapfile -t missing < <(missing_packages)
  [[ ${#missing[@]} -eq 0 ]] && return 0

  local log pkg
  log=$(mktemp)
  for pkg in "${missing[@]}"; do say "apt-get install ${pkg}"; done
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get update -qq >"${log}" 2>&1 ||
     ! as_root apt-get install -y -qq "${missing[@]}" >>"${log}" 2>&1; then
    cat "${log}" >&2
    rm -f "${log}"
    die "apt-get failed"
  fi
  rm -f "${log}"
}

check_sha256() {  # file expected
  local got
  got=$(sha256sum "$1" | awk '{print $1}')
  [[ "${got}" == "$2" ]] || die "SHA-256 mismatch for $(basename "$1"): got ${got}, want $2"
}

install_duckdb() {
  if [[ -n "${DUCKDB_ROOT:-}" ]]; then
    [[ -f "${DUCKDB_ROOT}/include/duckdb.h" && -f "${DUCKDB_ROOT}/lib/libduckdb.so" ]] ||
      die "DUCKDB_ROOT=${DUCKDB_ROOT} lacks include/duckdb.h or lib/libduckdb.so"
    return 0
  fi
  if [[ -f "${DUCKDB_DEST}/include/duckdb.h" && -f "${DUCKDB_DEST}/lib/libduckdb.so" &&
        "$(cat "${DUCKDB_DEST}/VERSION" 2>/dev/null)" == "${DUCKDB_STAMP}" ]]; then
    return 0
  fi
  [[ "$(uname -m)" == x86_64 ]] ||
    die "the pinned DuckDB build is linux-x64 only; set DUCKDB_ROOT to a DuckDB ${DUCKDB_VERSION} install"
  command -v npm >/dev/null 2>&1 || die "npm not found"

  say "DuckDB ${DUCKDB_VERSION} (npm ${DUCKDB_HEADER_PKG}, ${DUCKDB_LIB_PKG}) -> third_party/duckdb"
  local tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064  # expand now: tmp is local
  trap "rm -rf '${tmp}'" EXIT

  # `npm pack` on a registry spec only downloads the tarball; no scripts run.
  if ! (cd "${tmp}" &&
        npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
          npm pack --ignore-scripts --silent --pack-destination "${tmp}" \
          "${DUCKDB_HEADER_PKG}" "${DUCKDB_LIB_PKG}") >"${tmp}/npm.log" 2>&1; then
    cat "${tmp}/npm.log" >&2
    die "npm pack failed"
  fi
  [[ -f "${tmp}/${DUCKDB_HEADER_TGZ}" && -f "${tmp}/${DUCKDB_LIB_TGZ}" ]] ||
    die "npm pack did not produce ${DUCKDB_HEADER_TGZ} and ${DUCKDB_LIB_TGZ}"
  check_sha256 "${tmp}/${DUCKDB_HEADER_TGZ}" "${DUCKDB_HEADER_SHA256}"
  check_sha256 "${tmp}/${DUCKDB_LIB_TGZ}" "${DUCKDB_LIB_SHA256}"

  mkdir -p "${tmp}/x"
  tar -xzf "${tmp}/${DUCKDB_HEADER_TGZ}" -C "${tmp}/x" "${DUCKDB_HEADER_PATH}"
  tar -xzf "${tmp}/${DUCKDB_LIB_TGZ}" -C "${tmp}/x" "${DUCKDB_LIB_PATH}"

  # Assemble beside the destination, then swap it in whole.
  local stage="${DUCKDB_DEST}.new.$$"
  rm -rf "${stage}"
  mkdir -p "${stage}/include" "${stage}/lib"
  install -m 0644 "${tmp}/x/${DUCKDB_HEADER_PATH}" "${stage}/include/duckdb.h"
  install -m 0755 "${tmp}/x/${DUCKDB_LIB_PATH}" "${stage}/lib/libduckdb.so"
  printf '%s\n' "${DUCKDB_STAMP}" >"${stage}/VERSION"
  rm -rf "${DUCKDB_DEST}"
  mv "${stage}" "${DUCKDB_DEST}"
}

install_packages
install_duckdb
