#!/usr/bin/env bash
# Installs what is missing, builds iamlocal (Release) and runs it in the
# foreground with default settings on http://127.0.0.1:4566. Arguments are
# passed to iamlocal, e.g. scripts/run.sh --port 5000 --log-level warn
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh build iamlocal
exec build/src/iamlocal "$@"
