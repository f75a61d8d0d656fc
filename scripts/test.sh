#!/usr/bin/env bash
# The whole test run, as CI does it: install what is missing, build Release and
# run ctest (unit + end-to-end), the Docker image test when a docker works,
# then build with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan)
# and run ctest again. Ends with one summary line; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

passed=0
failed=0
steps_failed=()

# Adds a ctest log's "N tests failed out of M" to the totals.
count_ctest() {
  local log=$1 line total bad
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
  if [ -z "$line" ]; then
    return 1
  fi
  bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.*failed out of ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}

run_ctest() {  # run_ctest NAME BUILD_DIR
  local name=$1 dir=$2 log="$logs/$1.log"
  echo "=== $name: ctest in $dir"
  (cd "$dir" && ctest --output-on-failure --timeout 1500 -j "$(nproc)") 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if ! count_ctest "$log"; then
    failed=$((failed + 1))
  fi
  [ "$rc" -eq 0 ] || steps_failed+=("$name ctest")
}

scripts/install-deps.sh || { echo "install-deps failed"; exit 1; }

# The packages the JavaScript SDK tests import, exactly as package-lock.json
# pins them: `npm ci` when node_modules is missing or was installed from
# another lock file (a hash of the lock is kept beside the modules).
js_dir=tests/e2e/js
js_stamp=$js_dir/node_modules/.iamlocal-lock.sha256
js_lock_hash=$(sha256sum "$js_dir/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$js_stamp" 2>/dev/null)" != "$js_lock_hash" ]; then
  echo "=== npm ci in $js_dir"
  if (cd "$js_dir" && timeout 600 npm ci --no-audit --no-fund --loglevel=error >"$logs/npm-ci.log" 2>&1); then
    echo "$js_lock_hash" >"$js_stamp"
  else
    tail -n 20 "$logs/npm-ci.log"
    steps_failed+=("npm ci")
  fi
fi

echo "=== release: build"
if scripts/build.sh build -; then
  run_ctest release build
else
  steps_failed+=("release build")
  failed=$((failed + 1))
fi

echo "=== docker: image test"
docker_tool=""
if [ -x "$root/../shared/tools/docker" ]; then
  docker_tool="$root/../shared/tools/docker"
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  docker_tool=docker
fi
if [ -n "$docker_tool" ]; then
  if DOCKER="$docker_tool" bash tests/docker/test_docker.sh; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    steps_failed+=("docker test")
  fi
else
  echo "docker test skipped: neither ../shared/tools/docker nor a working docker engine is available"
fi

echo "=== asan: build (AddressSanitizer + UndefinedBehaviorSanitizer)"
if scripts/build.sh build-asan - -DIAMLOCAL_SANITIZE=ON -DIAMLOCAL_BENCH=OFF \
     -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest asan build-asan
else
  steps_failed+=("asan build")
  failed=$((failed + 1))
fi

if [ ${#steps_failed[@]} -gt 0 ]; then
  echo "failed steps: ${steps_failed[*]}"
fi
echo "total: $passed passed, $failed failed"
[ ${#steps_failed[@]} -eq 0 ] && [ "$failed" -eq 0 ]
