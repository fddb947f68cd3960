#!/usr/bin/env bash
# Install the Debian 12 packages gdlimits needs, only those that are missing: the build
# (cmake, pkg-config, gcc, make), OpenBLAS, GSL, Criterion, gnuplot, and Open MPI (the test
# command's second build runs quick sweeps under mpirun -n 2, ctest -L mpi).
#
#   scripts/install-deps.sh [--extras] [--fuzz] [--check]
#
#   --extras   also install the optional tools: python3-torch (the PyTorch peer of the
#              trainer benchmark) and valgrind (memory checks of the core tests)
#   --fuzz     also install clang and libclang-rt-14-dev (libFuzzer) for the harnesses
#              (-DGDL_FUZZ=ON, fuzz/README.md); never needed by the default build
#   --check    only report what is missing; install nothing (exit 1 if something is)
#
# Works as root or through sudo, never asks questions (DEBIAN_FRONTEND=noninteractive),
# and runs `apt-get update` only when something has to be installed.
set -euo pipefail

required=(cmake pkg-config gcc make libopenblas-dev libgsl-dev libcriterion-dev gnuplot-nox libopenmpi-dev openmpi-bin)
extras=(python3-torch valgrind)
fuzz=(clang libclang-rt-14-dev)  # -fsanitize=fuzzer: libclang_rt.fuzzer (libfuzzer-14-dev: standalone libFuzzer, not needed)

want_extras=0
want_fuzz=0
check_only=0
for a in "$@"; do
  case "$a" in
    --extras) want_extras=1 ;;
    --fuzz) want_fuzz=1 ;;
    --check) check_only=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps.sh: unknown flag '$a' (try --help)" >&2; exit 2 ;;
  esac
done

pkgs=("${required[@]}")
if [ "$want_extras" = 1 ]; then pkgs+=("${extras[@]}"); fi
if [ "$want_fuzz" = 1 ]; then pkgs+=("${fuzz[@]}"); fi

installed() {  # dpkg knows the package and it is fully installed
  dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

missing=()
for p in "${pkgs[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present (${pkgs[*]})"
  exit 0
fi
echo "install-deps: missing: ${missing[*]}"
if [ "$check_only" = 1 ]; then exit 1; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install by hand: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)   # non-interactive: fails instead of prompting when a password is needed
  if ! sudo -n true 2>/dev/null; then
    echo "install-deps: need root to install ${missing[*]}; run as root or configure sudo" >&2
    exit 1
  fi
else
  echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  "${missing[@]}" </dev/null
echo "install-deps: installed ${missing[*]}"
