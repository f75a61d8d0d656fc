#!/usr/bin/env bash
# Configures and builds iamlocal: scripts/build.sh BUILD_DIR [TARGET|-] [CMAKE_ARGS...]
# Uses Ninja, ccache when it is installed, and at most as many jobs as cores.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:?usage: scripts/build.sh BUILD_DIR [TARGET|-] [CMAKE_ARGS...]}
target=${2:--}
shift $(( $# >= 2 ? 2 : 1 ))

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths relative to the checkout, so that another clone reuses the cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
fi
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
if [ "$target" = "-" ]; then
  cmake --build "$dir" -j "$(nproc)"
else
  cmake --build "$dir" -j "$(nproc)" --target "$target"
fi
