#!/usr/bin/env python3
"""Signed-request load benchmark (issue 4): iamlocal --auth enforce, the bare
Beast server (bench/bare_server.cpp, fixed answer) and moto_server, side by side.

Every server is started on its own free 127.0.0.1 port; in each: a user "bench" with an
identity policy allowing sts:GetCallerIdentity, iam:GetRole and sts:AssumeRole
and a role trusting that user are set up with the root keys (the bare server
needs none); then, per operation, --distinct requests are SigV4-signed in
Python with the user's key (each distinct: X-Amz-Date steps back one second
per request, AssumeRole also gets its own RoleSessionName; all inside SigV4's
15-minute window when replayed) and wrk replays them in a cycle
(bench/wrk/replay.lua) at 1 and 32 connections for --seconds each.
Each cell runs --rounds times with the servers taking turns; the median run
per server is printed (req/s and p50/p99 latency), with the ratios issue 4
names.
Nothing here asserts: the figures are for the notes.

On a KVM guest using the haltpoll cpuidle driver, one connection is a
ping-pong between wrk and the server on two vCPUs: with guest_halt_poll_ns
at 0 every idle vCPU halts at once and each wake-up across vCPUs costs a
trip through the host (tens of microseconds), which then dominates the
one-connection figures. The setting is printed with the results;
--guest-halt-poll-ns N (root) sets it for the run and restores it after.
"""
import argparse
import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from server_bench import Target  # noqa: E402  (start/stop/port handling)

REGION = "us-east-1"
HALT_POLL_NS = "/sys/module/haltpoll/parameters/guest_halt_poll_ns"
SEPARATOR = "\n--IAMLOCAL-REQUEST--\n"
OPERATIONS = [
    ("GetCallerIdentity", "sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}),
    ("GetRole", "iam", {"Action": "GetRole", "Version": "2010-05-08", "RoleName": "bench-role"}),
    ("AssumeRole", "sts", {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": None,
                           "RoleSessionName": None}),
]


def sign(host, service, params, key_id, secret, when):
    """A raw HTTP/1.1 POST of `params`, SigV4-signed as botocore signs query-protocol calls."""
    body = urllib.parse.urlencode(params)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    content_type = "application/x-www-form-urlencoded; charset=utf-8"
    payload_hash = hashlib.sha256(body.encode()).hexdigest()
    signed_headers = "content-type;host;x-amz-date"
    canonical = "\n".join(["POST", "/", "", f"content-type:{content_type}", f"host:{host}",
                           f"x-amz-date:{amz_date}", "", signed_headers, payload_hash])
    scope = f"{date}/{REGION}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (date, REGION, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    return (f"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nX-Amz-Date: {amz_date}\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential={key_id}/{scope}, SignedHeaders={signed_headers}, "
            f"Signature={signature}\r\nContent-Length: {len(body)}\r\n\r\n{body}")


def set_up_caller(port):
    """The bench user's key and the role it may assume, created with the root keys."""
    import boto3
    kw = dict(endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
              aws_access_key_id="test", aws_secret_access_key="test")
    iam = boto3.client("iam", **kw)
    user = iam.create_user(UserName="bench")["User"]
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    iam.put_user_policy(UserName="bench", PolicyName="bench", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "iam:GetRole", "sts:AssumeRole"],
                       "Resource": "*"}]}))
    role = iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": user["Arn"]}, "Action": "sts:AssumeRole"}]}))["Role"]
    return key["AccessKeyId"], key["SecretAccessKey"], role["Arn"]


def write_requests(path, port, service, params, key_id, secret, role_arn, count):
    now = datetime.datetime.now(datetime.timezone.utc)
    with open(path, "w") as f:
        for i in range(count):
            p = dict(params)
            if "RoleArn" in p:
                p["RoleArn"] = role_arn
                p["RoleSessionName"] = f"bench-{i}"
            f.write(sign(f"127.0.0.1:{port}", service, p, key_id, secret, now - datetime.timedelta(seconds=i)))
            f.write(SEPARATOR)


def wrk(port, requests_file, connections, seconds):
    out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", os.path.join(HERE, "wrk", "replay.lua"), f"http://127.0.0.1:{port}/", "--",
                          requests_file], capture_output=True, text=True, timeout=seconds + 60).stdout
    m = re.search(r"^RESULT (.*)$", out, re.M)
    if not m:
        raise RuntimeError("wrk printed no RESULT line:\n" + out)
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def median_cell(runs):
    """The run with the median req/s, its errors summed over all runs."""
    runs = sorted(runs, key=lambda r: r["rps"])
    mid = dict(runs[len(runs) // 2])
    mid["errors"] = sum(r["errors"] for r in runs)
    return mid


def measure_all(targets, args, workdir):
    """Every target started and set up first, then each cell run --rounds
    times, the targets taking turns, so that a noisy moment on the machine
    hits them alike; each target's median run is kept. Requests are signed
    afresh for every run, so none ages out of SigV4's window however long the
    whole benchmark takes."""
    callers = {}
    runs = {(t.name, name, c): [] for t, _ in targets for name, _, _ in OPERATIONS for c in (1, 32)}
    try:
        for target, needs_setup in targets:
            target.start()
            if needs_setup:
                callers[target.name] = set_up_caller(target.port)
            else:
                callers[target.name] = ("AKIAIOSFODNN7EXAMPLE", "x" * 40,
                                        "arn:aws:iam::000000000000:role/bench-role")
        for name, service, params in OPERATIONS:
            for connections in (1, 32):
                for _ in range(args.rounds):
                    for target, _ in targets:
                        key_id, secret, role_arn = callers[target.name]
                        path = os.path.join(workdir, f"{target.name}-{name}.txt")
                        write_requests(path, target.port, service, params, key_id, secret, role_arn, args.distinct)
                        r = wrk(target.port, path, connections, args.seconds)
                        errors = r["non2xx"] + r["connect_err"] + r["read_err"] + r["timeouts"]
                        runs[(target.name, name, connections)].append(
                            {"rps": r["rps"], "p50_ms": r["p50_us"] / 1000, "p99_ms": r["p99_us"] / 1000,
                             "errors": errors})
    finally:
        for target, _ in targets:
            target.stop()
    results = {}
    for (target_name, name, connections), cell_runs in runs.items():
        results.setdefault(target_name, {})[(name, connections)] = median_cell(cell_runs)
    return results


def read_halt_poll_ns():
    """The guest's idle polling window, or None when this is no haltpoll guest."""
    try:
        with open(HALT_POLL_NS) as f:
            return int(f.read())
    except OSError:
        return None


def write_halt_poll_ns(value):
    with open(HALT_POLL_NS, "w") as f:
        f.write(str(value))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iamlocal", default=os.path.join(HERE, "..", "build", "src", "iamlocal"))
    ap.add_argument("--bare", default=os.path.join(HERE, "..", "build", "bench", "bare_server"))
    ap.add_argument("--seconds", type=int, default=3, help="length of each wrk run")
    ap.add_argument("--distinct", type=int, default=600, help="distinct signed requests per operation (<= 840)")
    ap.add_argument("--rounds", type=int, default=3, help="runs per cell and server; the median is reported")
    ap.add_argument("--no-moto", action="store_true")
    ap.add_argument("--guest-halt-poll-ns", type=int, metavar="N",
                    help=f"write N to {HALT_POLL_NS} for the run (root), restoring it after")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    args.distinct = max(1, min(args.distinct, 840))  # the oldest must stay inside 15 minutes

    targets = [
        (Target("iamlocal", lambda p: [args.iamlocal, "--port", str(p), "--log-level", "warn", "--auth", "enforce"],
                "/_iamlocal/health"), True),
        (Target("bare", lambda p: [args.bare, "--port", str(p)], "/"), False),
    ]
    if not args.no_moto and shutil.which("moto_server"):
        targets.append((Target("moto_server", lambda p: ["moto_server", "-H", "127.0.0.1", "-p", str(p)],
                               "/moto-api/"), True))
    halt_poll_before = read_halt_poll_ns()
    if args.guest_halt_poll_ns is not None:
        if halt_poll_before is None:
            sys.exit(f"--guest-halt-poll-ns: {HALT_POLL_NS} does not exist (not a haltpoll guest)")
        write_halt_poll_ns(args.guest_halt_poll_ns)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            results = measure_all(targets, args, workdir)
        halt_poll = read_halt_poll_ns()
    finally:
        if args.guest_halt_poll_ns is not None:
            write_halt_poll_ns(halt_poll_before)

    if halt_poll is not None:
        print(f"guest idle: haltpoll, guest_halt_poll_ns={halt_poll}"
              + (" (idle vCPUs halt at once: one-connection figures are dominated by wake-ups across vCPUs)"
                 if halt_poll == 0 else "") + "\n")

    names = list(results)
    print("| operation | conns | " + " | ".join(f"{n} req/s | {n} p50 ms | {n} p99 ms" for n in names) + " |")
    print("|---|---|" + "---|---|---|" * len(names))
    for name, _, _ in OPERATIONS:
        for c in (1, 32):
            cells = []
            for n in names:
                cell = results[n][(name, c)]
                err = f" ({cell['errors']:.0f} err)" if cell["errors"] else ""
                cells.append(f"{cell['rps']:.0f}{err} | {cell['p50_ms']:.3f} | {cell['p99_ms']:.3f}")
            print(f"| {name} | {c} | " + " | ".join(cells) + " |")

    me, bare = results["iamlocal"], results["bare"]
    gci32, gci1 = me[("GetCallerIdentity", 32)], me[("GetCallerIdentity", 1)]
    print()
    if "moto_server" in results:
        moto = results["moto_server"][("GetCallerIdentity", 32)]
        print(f"GetCallerIdentity@32: {gci32['rps'] / max(moto['rps'], 1e-9):.0f}x moto_server (target >= 100x)")
    print(f"GetCallerIdentity@32: {100 * gci32['rps'] / bare[('GetCallerIdentity', 32)]['rps']:.0f}% of bare "
          f"(target >= 70%), p99 {gci32['p99_ms'] / max(bare[('GetCallerIdentity', 32)]['p99_ms'], 1e-9):.2f}x "
          f"bare's (target <= 2x)")
    print(f"GetCallerIdentity@1: p50 {gci1['p50_ms']:.3f} ms (target <= 0.1), p99 {gci1['p99_ms']:.3f} ms "
          f"(target <= 0.3)")
    for name in ("GetRole", "AssumeRole"):
        for c in (1, 32):
            print(f"{name}@{c}: {100 * me[(name, c)]['rps'] / bare[(name, c)]['rps']:.0f}% of bare (target >= 50%)")
    errors = sum(cell["errors"] for cell in me.values())
    if errors:
        print(f"\nWARNING: iamlocal answered {errors:.0f} requests with errors (non-2xx or socket errors)")


if __name__ == "__main__":
    main()
