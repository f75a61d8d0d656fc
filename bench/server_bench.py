#!/usr/bin/env python3
"""Side-by-side server benchmark: iamlocal against moto_server on this machine.

Measures, for each server started fresh on a free 127.0.0.1 port:
  - start-up: process start to first answered request (median of --starts runs)
  - idle RSS after the first request, and RSS growth per 10,000 roles
  - CreateRole with distinct names at 32 connections (wrk), errors counted
  - ListRoles first page of 100 with 1,000 roles present (wrk)
Load is bounded: every wrk run lasts --seconds, every loop has a fixed count.
Prints one table; nothing here asserts (figures are for the notes).
"""
import argparse
import concurrent.futures
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TRUST = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
         '"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0" * 64,
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Target:
    def __init__(self, name, argv_for_port, probe_path):
        self.name = name
        self.argv_for_port = argv_for_port
        self.probe_path = probe_path
        self.proc = None
        self.port = None

    def start(self):
        self.port = free_port()
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.argv_for_port(self.port), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = t0 + 30
        while time.perf_counter() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", self.probe_path)
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    return time.perf_counter() - t0
            except OSError:
                time.sleep(0.0005)
        raise RuntimeError(f"{self.name} did not answer within 30 s")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def call(conn, params):
    body = urllib.parse.urlencode(params)
    conn.request("POST", "/", body=body, headers=HEADERS)
    resp = conn.getresponse()
    resp.read()
    return resp.status


def create_roles(port, prefix, count, workers=4):
    def work(worker):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        bad = 0
        for i in range(worker, count, workers):
            status = call(conn, {"Action": "CreateRole", "Version": "2010-05-08",
                                 "RoleName": f"{prefix}-{i}", "AssumeRolePolicyDocument": TRUST})
            bad += status != 200
        conn.close()
        return bad
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(work, range(workers)))


def wrk(port, script, connections, seconds):
    out = subprocess.run(["wrk", f"-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                          os.path.join(HERE, "wrk", script), f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    m = re.search(r"^RESULT (.*)$", out, re.M)
    if not m:
        raise RuntimeError("wrk printed no RESULT line:\n" + out)
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def measure(target, args):
    row = {}
    starts = []
    for _ in range(args.starts):
        starts.append(target.start())
        target.stop()
    row["startup_ms"] = statistics.median(starts) * 1000

    target.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        call(conn, {"Action": "ListRoles", "Version": "2010-05-08"})
        time.sleep(0.2)
        row["idle_rss_mib"] = target.rss_kib() / 1024
        before = target.rss_kib()
        bad = create_roles(target.port, "rss", args.roles)
        time.sleep(0.2)
        row["rss_per_10k_roles_mib"] = (target.rss_kib() - before) / 1024 * 10000 / args.roles
        row["rss_create_errors"] = bad
    finally:
        target.stop()

    target.start()
    try:
        create_roles(target.port, "list", 1000)
        r = wrk(target.port, "list_roles.lua", 32, args.seconds)
        row["list_roles_rps"] = r["rps"]
        row["list_roles_p99_ms"] = r["p99_us"] / 1000
        row["list_roles_errors"] = r["non2xx"] + r["connect_err"] + r["read_err"] + r["timeouts"]
        r = wrk(target.port, "create_role.lua", 32, args.seconds)
        row["create_role_rps"] = r["rps"]
        row["create_role_p99_ms"] = r["p99_us"] / 1000
        row["create_role_errors"] = r["non2xx"] + r["connect_err"] + r["read_err"] + r["timeouts"]
    finally:
        target.stop()
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iamlocal", default=os.path.join(HERE, "..", "build", "src", "iamlocal"))
    ap.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    ap.add_argument("--roles", type=int, default=10000, help="roles created for the RSS growth figure")
    ap.add_argument("--starts", type=int, default=5, help="start-ups measured (median)")
    ap.add_argument("--no-moto", action="store_true")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    targets = [Target("iamlocal", lambda p: [args.iamlocal, "--port", str(p), "--log-level", "warn"],
                      "/_iamlocal/health")]
    if not args.no_moto and shutil.which("moto_server"):
        targets.append(Target("moto_server", lambda p: ["moto_server", "-H", "127.0.0.1", "-p", str(p)],
                              "/moto-api/"))
    rows = {t.name: measure(t, args) for t in targets}

    keys = list(next(iter(rows.values())).keys())
    print("| figure | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{rows[n][k]:.2f}" for n in rows) + " |")
    if "moto_server" in rows:
        a, b = rows["iamlocal"], rows["moto_server"]
        print(f"\nCreateRole: {a['create_role_rps'] / max(b['create_role_rps'], 1e-9):.0f}x moto_server; "
              f"ListRoles: {a['list_roles_rps'] / max(b['list_roles_rps'], 1e-9):.0f}x moto_server")


if __name__ == "__main__":
    main()
