"""Shared machinery for the end-to-end tests: runs the real iamlocal binary and
talks to it the way users do, with boto3, aws-cli (in-process and as the real
`aws` command) and raw HTTP.

Every test module imports `setUpModule`/`tearDownModule` from here, so each
module gets its own server process; `IamTestCase` resets the server's state
before each test class. Stopping the server asserts a clean SIGTERM exit (code
0) and no sanitizer report in its output.
"""

import contextlib
import io
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
OTHER_ACCOUNT = "111111111111"
IAM_XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/"

_REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_LISTENING = re.compile(r"iamlocal listening on http://127\.0\.0\.1:(\d+)")
_SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")

TRUST_EC2 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TRUST_LAMBDA = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
ALLOW_S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}],
}
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
NOT_JSON = "this is {not json"


def binary_path():
    path = os.environ.get("IAMLOCAL_BIN")
    if path:
        return path
    return os.path.join(_REPO_ROOT, "build", "src", "iamlocal")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One iamlocal process on a free 127.0.0.1 port, output captured to a file."""

    def __init__(self, args=()):
        self.proc = None
        self.port = None
        self._log = None
        self.args = list(args)  # extra command-line options, e.g. ["--auth", "verify"]

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def output(self):
        if self._log is None:
            return ""
        with open(self._log.name, "r", errors="replace") as f:
            return f.read()

    def _spawn(self, port):
        self._log = tempfile.NamedTemporaryFile(prefix="iamlocal-e2e-", suffix=".log", delete=False)
        env = dict(os.environ)
        # Keep the server's own behaviour independent of the caller's shell.
        for k in list(env):
            if k.startswith("IAMLOCAL_") and k != "IAMLOCAL_BIN":
                del env[k]
        self.proc = subprocess.Popen(
            [binary_path(), "--port", str(port)] + self.args,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )

    def start(self):
        path = binary_path()
        if not os.access(path, os.X_OK):
            raise RuntimeError("iamlocal binary not found at %s (set IAMLOCAL_BIN)" % path)
        # Preferred: --port 0 and read the bound port from the start-up line.
        self._spawn(0)
        deadline = time.time() + 10
        while time.time() < deadline and self.port is None:
            m = _LISTENING.search(self.output())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if self.port is None:
            # Fallback: choose the port ourselves.
            out = self.output()
            self._terminate_quietly()
            self._remove_log()
            self.port = _free_port()
            self._spawn(self.port)
            if self.proc.poll() is not None:
                raise RuntimeError("iamlocal exited at start-up:\n" + out + self.output())
        self._wait_healthy()
        return self

    def _wait_healthy(self):
        deadline = time.time() + 15
        last = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("iamlocal exited (%s) at start-up:\n%s" % (self.proc.returncode, self.output()))
            try:
                with urllib.request.urlopen(self.url + "/_iamlocal/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except Exception as e:  # not up yet
                last = e
            time.sleep(0.05)
        raise RuntimeError("iamlocal did not answer /_iamlocal/health: %r\n%s" % (last, self.output()))

    def _terminate_quietly(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def reset(self):
        req = urllib.request.Request(self.url + "/_iamlocal/reset", data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            if r.status not in (200, 204):
                raise RuntimeError("reset answered %d" % r.status)

    def stop(self):
        """SIGTERM; returns (exit code, output). Kills after 15 s (code None)."""
        if self.proc is None:
            return 0, ""
        code = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        else:
            code = self.proc.returncode
        out = self.output()
        self._remove_log()
        return code, out

    def _remove_log(self):
        if self._log is not None:
            self._log.close()
            try:
                os.unlink(self._log.name)
            except OSError:
                pass
            self._log = None


def sanitizer_report(output):
    return [m for m in _SANITIZER_MARKERS if m in output]


def check_clean_exit(code, output):
    problems = []
    if code != 0:
        problems.append("exit code %r after SIGTERM (expected 0)" % (code,))
    bad = sanitizer_report(output)
    if bad:
        problems.append("sanitizer report in output: %s" % ", ".join(bad))
    if problems:
        raise AssertionError("; ".join(problems) + "\n--- server output (tail) ---\n" + output[-6000:])


# ---------------------------------------------------------------- module server
_server = None
_lock = threading.Lock()


def server():
    global _server
    with _lock:
        if _server is None:
            _server = Server().start()
        return _server


def setUpModule():  # noqa: N802 (unittest's name)
    server()


def tearDownModule():  # noqa: N802
    global _server
    with _lock:
        s, _server = _server, None
    _clients.clear()
    if s is not None:
        code, out = s.stop()
        check_clean_exit(code, out)


def endpoint():
    return server().url


# ---------------------------------------------------------------- boto3
_clients = {}


def client(access_key="test", secret_key="test", session_token=None, validate=True, service="iam"):
    """A boto3 client for the running server. `test`/`test` is the root of
    account 000000000000; a 12-digit access key id is the root of that account;
    keys made by CreateAccessKey act as their user."""
    key = (service, access_key, secret_key, session_token, validate, endpoint())
    c = _clients.get(key)
    if c is None:
        session = boto3.session.Session(
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
            region_name=REGION,
        )
        c = session.client(
            service,
            endpoint_url=endpoint(),
            config=Config(
                parameter_validation=validate,
                retries={"total_max_attempts": 1, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
            ),
        )
        _clients[key] = c
    return c


def account_client(account_id, **kw):
    return client(access_key=account_id, secret_key="test", **kw)


# ---------------------------------------------------------------- aws-cli
class CliResult:
    def __init__(self, rc, stdout, stderr):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr

    @property
    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else None

    def error_code(self):
        m = re.search(r"An error occurred \(([^)]+)\) when calling the (\w+) operation: ?(.*)", self.stderr)
        return m.group(1) if m else None

    def error_message(self):
        m = re.search(r"An error occurred \(([^)]+)\) when calling the (\w+) operation: ?(.*)", self.stderr)
        return m.group(3).strip() if m else None

    def __repr__(self):
        return "CliResult(rc=%r, stdout=%r, stderr=%r)" % (self.rc, self.stdout[:2000], self.stderr[:2000])


def _cli_env(access_key, secret_key, session_token=None):
    env = {
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    }
    if session_token:
        env["AWS_SESSION_TOKEN"] = session_token
    return env


_CLEARED_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE")


_drivers = {}


def _driver(access_key, secret_key, session_token):
    # A driver's session caches the credentials it resolved from the
    # environment, so keep one per identity; reusing it skips reloading the
    # service model on every call (about 0.5 s each otherwise).
    from awscli.clidriver import create_clidriver

    key = (access_key, secret_key, session_token)
    d = _drivers.get(key)
    if d is None:
        d = _drivers[key] = create_clidriver()
    return d


def cli(*args, access_key="test", secret_key="test", session_token=None, output="json"):
    """Runs aws-cli v1 in this process: `cli("iam", "get-role", "--role-name", "x")`."""
    argv = list(args) + ["--endpoint-url", endpoint(), "--output", output]
    env = _cli_env(access_key, secret_key, session_token)
    saved = {k: os.environ.get(k) for k in list(env) + list(_CLEARED_ENV)}
    out, err = io.StringIO(), io.StringIO()
    try:
        for k in _CLEARED_ENV:
            os.environ.pop(k, None)
        os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = _driver(access_key, secret_key, session_token).main(argv)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return CliResult(rc, out.getvalue(), err.getvalue())


def cli_subprocess(*args, access_key="test", secret_key="test", timeout=60):
    """Runs the installed `aws` command as a real process."""
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED_ENV}
    env.update(_cli_env(access_key, secret_key))
    argv = ["aws"] + list(args) + ["--endpoint-url", endpoint(), "--output", "json"]
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
    return CliResult(p.returncode, p.stdout, p.stderr)


# ---------------------------------------------------------------- raw HTTP
class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # dict with lower-case names
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def __repr__(self):
        return "RawResponse(%d, %r, %r)" % (self.status, self.headers, self.body[:2000])


def http(method, path, body=None, headers=None, timeout=30):
    """Unsigned HTTP request to the server; never raises on HTTP status."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(endpoint() + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return RawResponse(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return RawResponse(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def signed(params, method="POST", access_key="test", secret_key="test", service="iam", extra_headers=None):
    """A SigV4-signed query-protocol request. `params` is a list of pairs or a
    dict (order kept); POST sends them as a form body, GET in the query string."""
    items = list(params.items()) if isinstance(params, dict) else list(params)
    encoded = urllib.parse.urlencode(items)
    url = endpoint() + "/"
    headers = {}
    data = None
    if method == "GET":
        url += "?" + encoded
    else:
        data = encoded.encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    if extra_headers:
        headers.update(extra_headers)
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=data, headers=headers)
    creds = botocore.credentials.Credentials(access_key, secret_key)
    botocore.auth.SigV4Auth(creds, service, REGION).add_auth(request)
    prepared = request.prepare()
    req = urllib.request.Request(prepared.url, data=prepared.body, method=method, headers=dict(prepared.headers))
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return RawResponse(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return RawResponse(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def iam_call(action, params=None, **kw):
    items = [("Action", action), ("Version", "2010-05-08")]
    if params:
        items += list(params.items()) if isinstance(params, dict) else list(params)
    return signed(items, **kw)


# ---------------------------------------------------------------- names, helpers
_counter = itertools.count(1)
_run = uuid.uuid4().hex[:6]


def unique(prefix="e2e"):
    return "%s-%s-%d" % (prefix, _run, next(_counter))


def doc(obj):
    return json.dumps(obj)


class IamTestCase(unittest.TestCase):
    """Base class: fresh server state per class, boto3 client, error assertions."""

    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server().reset()
        cls.iam = client()

    def assertClientError(self, fn, code, status, message=None, message_contains=None):
        """Calls fn() expecting an AWS error with this code and HTTP status."""
        with self.assertRaises(ClientError) as cm:
            fn()
        err = cm.exception.response.get("Error", {})
        got_status = cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]
        self.assertEqual(err.get("Code"), code, cm.exception.response)
        self.assertEqual(got_status, status, cm.exception.response)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        if message_contains is not None:
            self.assertIn(message_contains, err.get("Message", ""))
        return cm.exception

    def assertCliError(self, result, code, message=None):
        self.assertNotEqual(result.rc, 0, result)
        self.assertEqual(result.error_code(), code, result)
        if message is not None:
            self.assertEqual(result.error_message(), message, result)

    def assertCliOk(self, result):
        self.assertEqual(result.rc, 0, result)
        return result.json
