"""The server process itself: health and reset endpoints, request size limit,
many concurrent writers, and clean shutdown on SIGTERM (exit 0, no sanitizer
report) for a fresh process and for one that has served traffic."""

import json
import socket
import threading

import boto3
from botocore.config import Config

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401


class AdminEndpoints(IamTestCase):
    def test_health_answers_json(self):
        r = harness.http("GET", "/_iamlocal/health")
        self.assertEqual(r.status, 200)
        self.assertIsInstance(json.loads(r.body), dict)

    def test_reset_empties_every_account(self):
        self.iam.create_user(UserName=unique("u"))
        self.iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        self.iam.create_policy(PolicyName=unique("p"), PolicyDocument=doc(harness.ALLOW_ALL))
        other = harness.account_client(harness.OTHER_ACCOUNT)
        other.create_group(GroupName=unique("g"))
        r = harness.http("POST", "/_iamlocal/reset", body=b"")
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.iam.list_users()["Users"], [])
        self.assertEqual(self.iam.list_roles()["Roles"], [])
        self.assertEqual(self.iam.list_policies(Scope="Local")["Policies"], [])
        self.assertEqual(other.list_groups()["Groups"], [])
        # AWS managed policies are not state: still there after a reset.
        self.iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")

    def test_reset_forgets_created_access_keys(self):
        user = unique("k")
        self.iam.create_user(UserName=user)
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        harness.http("POST", "/_iamlocal/reset", body=b"")
        self.iam.create_user(UserName=user)
        self.assertEqual(self.iam.list_access_keys(UserName=user)["AccessKeyMetadata"], [])
        with self.assertRaises(harness.ClientError):
            self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])

    def test_unknown_admin_path_is_404(self):
        self.assertEqual(harness.http("GET", "/_iamlocal/x").status, 404)


class RequestLimits(IamTestCase):
    def test_body_larger_than_limit_is_413(self):
        host, port = harness.endpoint().split("//")[1].split(":")
        size = 8 * 1024 * 1024
        head = (
            "POST / HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: %d\r\n\r\n" % (host, port, size)
        ).encode()
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(head)
            try:
                s.sendall(b"A" * 65536)
            except OSError:
                pass  # the server may close without reading the body
            data = b""
            try:
                while b"\r\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])
        # The server is still healthy afterwards.
        self.assertEqual(harness.http("GET", "/_iamlocal/health").status, 200)

    def _raw_exchange(self, payload):
        host, port = harness.endpoint().split("//")[1].split(":")
        data = b""
        with socket.create_connection((host, int(port)), timeout=10) as s:
            try:
                s.sendall(payload)
                while b"\r\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
        return data

    def test_oversized_header_block_is_431(self):
        payload = b"GET /_iamlocal/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024) + b"\r\n\r\n"
        data = self._raw_exchange(payload)
        self.assertTrue(data.startswith(b"HTTP/1.1 431"), data[:200])
        self.assertEqual(harness.http("GET", "/_iamlocal/health").status, 200)

    def test_garbage_request_line_does_not_hurt_the_server(self):
        data = self._raw_exchange(b"\x00\x01\x02 NOT HTTP AT ALL\r\n\r\n")
        self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 400"), data[:200])
        self.assertEqual(harness.http("GET", "/_iamlocal/health").status, 200)

    def test_body_just_under_limit_is_parsed(self):
        # A large but acceptable document (about 10 KB) works end to end.
        statements = [{"Sid": "S%d" % i, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b%d/*" % i}
                      for i in range(60)]
        document = {"Version": "2012-10-17", "Statement": statements}
        arn = self.iam.create_policy(PolicyName=unique("big"), PolicyDocument=doc(document))["Policy"]["Arn"]
        self.assertEqual(self.iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"], document)


class Concurrency(IamTestCase):
    def test_two_hundred_concurrent_creates_from_sixteen_threads(self):
        names = ["conc-%03d-%s" % (i, unique("c")) for i in range(200)]
        errors = []
        lock = threading.Lock()
        chunks = [names[i::16] for i in range(16)]

        def worker(chunk):
            session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
            c = session.client("iam", endpoint_url=harness.endpoint(),
                               config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
            for n in chunk:
                try:
                    c.create_user(UserName=n)
                except Exception as e:  # collected and asserted below
                    with lock:
                        errors.append((n, repr(e)))

        threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        listed = [u["UserName"] for p in self.iam.get_paginator("list_users").paginate() for u in p["Users"]]
        self.assertEqual(len(listed), 200)
        self.assertEqual(set(listed), set(names))
        self.assertEqual(self.iam.get_account_summary()["SummaryMap"]["Users"], 200)

    def test_concurrent_creates_of_one_name_yield_exactly_one_winner(self):
        name = unique("race")
        results = []
        lock = threading.Lock()

        def worker():
            session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
            c = session.client("iam", endpoint_url=harness.endpoint(),
                               config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
            try:
                c.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
                outcome = "ok"
            except harness.ClientError as e:
                outcome = e.response["Error"]["Code"]
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(results.count("ok"), 1, results)
        self.assertEqual(results.count("EntityAlreadyExists"), 7, results)


class Shutdown(IamTestCase):
    def test_sigterm_on_fresh_server_exits_zero(self):
        s = harness.Server().start()
        code, out = s.stop()
        harness.check_clean_exit(code, out)

    def test_sigterm_after_traffic_exits_zero(self):
        s = harness.Server().start()
        try:
            c = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1").client(
                "iam", endpoint_url=s.url, config=Config(retries={"total_max_attempts": 1, "mode": "standard"})
            )
            c.create_user(UserName="before-stop")
            c.create_role(RoleName="before-stop", AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
            self.assertEqual([u["UserName"] for u in c.list_users()["Users"]], ["before-stop"])
        finally:
            code, out = s.stop()
        harness.check_clean_exit(code, out)

    def test_sigterm_with_idle_keep_alive_connection_exits_zero(self):
        s = harness.Server().start()
        host, port = s.url.split("//")[1].split(":")
        conn = socket.create_connection((host, int(port)), timeout=5)
        try:
            conn.sendall(b"GET /_iamlocal/health HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(conn.recv(4096).startswith(b"HTTP/1.1 200"))
            code, out = s.stop()
        finally:
            conn.close()
        harness.check_clean_exit(code, out)

    def test_each_server_has_its_own_state(self):
        s = harness.Server().start()
        try:
            c = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1").client(
                "iam", endpoint_url=s.url
            )
            self.iam.create_user(UserName=unique("main"))
            self.assertEqual(c.list_users()["Users"], [])
        finally:
            code, out = s.stop()
        harness.check_clean_exit(code, out)
