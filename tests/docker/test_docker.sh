#!/usr/bin/env bash
# Builds the iamlocal image, runs it, drives it with aws-cli and removes it.
# DOCKER names the docker command (default: ../shared/tools/docker beside the
# repository when present, else `docker`). The container is published on a
# free 127.0.0.1 port and told to listen on that same port, so it works both
# with a real engine (-p mapping) and with the host-network stand-in.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${DOCKER:-}" ]; then
  if [ -x "$root/../shared/tools/docker" ]; then DOCKER="$root/../shared/tools/docker"; else DOCKER=docker; fi
fi
image=iamlocal:test
name=iamlocal-test-$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

fail() { echo "docker test FAILED: $*" >&2; "$DOCKER" logs "$name" 2>&1 | tail -n 20 >&2 || true; exit 1; }
cleanup() { "$DOCKER" rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

t0=$(date +%s)
echo "docker test: building $image with $DOCKER"
"$DOCKER" build -t "$image" -f "$root/docker/Dockerfile" "$root" >/tmp/iamlocal-docker-build.log 2>&1 ||
  { tail -n 40 /tmp/iamlocal-docker-build.log >&2; fail "image build failed"; }
t1=$(date +%s)
echo "docker test: image built in $((t1 - t0)) s"

"$DOCKER" run -d --rm --name "$name" -p "127.0.0.1:$port:$port" -e "IAMLOCAL_PORT=$port" "$image" >/dev/null ||
  fail "container did not start"
healthy=""
for _ in $(seq 1 100); do
  if python3 - "$port" <<'PY' 2>/dev/null; then healthy=1; break; fi
import json, sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/_iamlocal/health" % sys.argv[1], timeout=1) as r:
    assert json.load(r)["status"] == "running"
PY
  sleep 0.1
done
[ -n "$healthy" ] || fail "no healthy answer on port $port"
t2=$(date +%s)
echo "docker test: container healthy $((t2 - t1)) s after start"

# The image's own HEALTHCHECK command, and the unprivileged user.
"$DOCKER" exec "$name" iamlocal --healthcheck >/dev/null || fail "iamlocal --healthcheck failed inside the container"
uid=$("$DOCKER" exec "$name" id -u) || fail "cannot run id in the container"
[ "$uid" != "0" ] || fail "the server runs as root"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
aws_iam() { aws --endpoint-url "http://127.0.0.1:$port" --output json iam "$@"; }
user=docker-user-$$
created=$(aws_iam create-user --user-name "$user") || fail "create-user failed"
got=$(aws_iam get-user --user-name "$user") || fail "get-user failed"
listed=$(aws_iam list-users) || fail "list-users failed"
python3 - "$user" "$created" "$got" "$listed" <<'PY' || fail "unexpected aws-cli output"
import json, sys
user, created, got, listed = sys.argv[1], *map(json.loads, sys.argv[2:])
arn = "arn:aws:iam::000000000000:user/" + user
assert created["User"]["UserName"] == user and created["User"]["Arn"] == arn, created
assert created["User"]["UserId"].startswith("AIDA"), created
assert got["User"]["Arn"] == arn and got["User"]["UserId"] == created["User"]["UserId"], got
assert [u["UserName"] for u in listed["Users"]] == [user], listed
PY
if aws_iam get-user --user-name "no-such-$user" 2>/tmp/iamlocal-docker-err.log; then fail "get-user of a missing user succeeded"; fi
grep -q "NoSuchEntity" /tmp/iamlocal-docker-err.log || fail "missing user did not answer NoSuchEntity"

"$DOCKER" stop -t 10 "$name" >/dev/null || fail "container did not stop"
t3=$(date +%s)
echo "docker test: passed (build $((t1 - t0)) s, start-to-healthy $((t2 - t1)) s, checks and stop $((t3 - t2)) s)"
