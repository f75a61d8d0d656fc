#!/usr/bin/env bash
# Installs the Debian 12 packages iamlocal needs to build, test and benchmark,
# and only those that are missing: when everything is present it touches
# nothing (no apt-get update), so CI runs stay fast. Needs root or sudo.
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config libboost1.81-dev nlohmann-json3-dev libpugixml-dev
          libspdlog-dev libssl-dev libjemalloc-dev libqrencode-dev libpng-dev libgtest-dev libbenchmark-dev python3 wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# The end-to-end tests drive the server with the real aws-cli and boto3; any
# installation of them will do (Debian's, pip's, pyenv's).
command -v aws >/dev/null 2>&1 || missing+=(awscli)
python3 -c 'import boto3' >/dev/null 2>&1 || missing+=(python3-boto3)
# The AWS SDK for JavaScript v3 tests (tests/e2e/js) need node and npm; any
# installation will do (NodeSource's nodejs ships npm itself, Debian's does not).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all build and test dependencies are present"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
