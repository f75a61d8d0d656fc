"""The --auth modes against real servers: `accept` takes any signature;
`verify` (and `enforce`/`soft`, which authenticate exactly like it before
their policy engine decides; test_enforcement.py covers the decisions)
refuses bad signatures, unknown and inactive keys, unsigned requests, wrong
and expired session tokens, each with AWS's code and status, through boto3
and aws-cli. Time is moved with the clock-control admin endpoint."""

import datetime
import email.utils
import json
import os
import re
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from unittest import mock

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

import harness
from harness import REGION, check_clean_exit

TRUST_ROOT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "000000000000"}, "Action": "sts:AssumeRole"}],
    }
)
INVALID_TOKEN = "The security token included in the request is invalid."
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details."
)
STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"
AMZ_DATE = "%Y%m%dT%H%M%SZ"

_servers = {}


def server(mode):
    """One server per mode for the whole module (clock control on)."""
    s = _servers.get(mode)
    if s is None:
        s = _servers[mode] = harness.Server(["--auth", mode, "--enable-clock-control", "--log-level", "warn"]).start()
    return s


def setUpModule():  # noqa: N802
    pass


def tearDownModule():  # noqa: N802
    servers = list(_servers.values())
    _servers.clear()
    for s in servers:
        code, out = s.stop()
        check_clean_exit(code, out)


def client(srv, service="sts", key="test", secret="test", token=None, unsigned=False):
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    if unsigned:
        config = config.merge(Config(signature_version=UNSIGNED))
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
    ).client(service, endpoint_url=srv.url, config=config)


def aws(srv, *args, key="test", secret="test", token=None):
    """The real `aws` command against `srv`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": "/nonexistent/aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_PAGER": "",
        }
    )
    if token:
        env["AWS_SESSION_TOKEN"] = token
    p = subprocess.run(
        ["aws"] + list(args) + ["--endpoint-url", srv.url, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return harness.CliResult(p.returncode, p.stdout, p.stderr)


def set_clock(srv, offset_seconds):
    req = urllib.request.Request(
        srv.url + "/_iamlocal/clock",
        data=json.dumps({"offset_seconds": offset_seconds}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def raw_request(url, method="GET", body=None, headers=None):
    """(status, body text); never raises on an HTTP status."""
    req = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def raw_post(srv, body, headers=None):
    return raw_request(srv.url + "/", "POST", body, {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", **(headers or {})})


def error_of(body):
    """(xmlns, Code, Message) of a query-protocol error response."""
    root = ET.fromstring(body)
    xmlns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    err = root.find("{*}Error")
    return xmlns, err.findtext("{*}Code"), err.findtext("{*}Message")


def presigned_identity_url(srv, key="test", secret="test", expires=3600):
    """A GET URL for GetCallerIdentity, presigned the way `aws eks get-token`
    makes its (HttpMethod GET: botocore signs query operations as POST
    otherwise)."""
    return client(srv, key=key, secret=secret).generate_presigned_url(
        "get_caller_identity", ExpiresIn=expires, HttpMethod="GET")


def tampered(url):
    """`url` with the last hex digit of its X-Amz-Signature changed."""
    assert "&X-Amz-Signature=" in url
    return url[:-1] + ("0" if url[-1] != "0" else "1")


def amz_time(text):
    return datetime.datetime.strptime(text, AMZ_DATE)


class ModeTestCase(harness.IamTestCase):
    mode = None

    @classmethod
    def setUpClass(cls):  # no module server: each class uses its mode's server
        cls.srv = server(cls.mode)
        cls.srv.reset()
        set_clock(cls.srv, 0)

    def tearDown(self):
        set_clock(self.srv, 0)

    def make_user_key(self, name):
        iam = client(self.srv, "iam")
        iam.create_user(UserName=name)
        return iam.create_access_key(UserName=name)["AccessKey"]


class AcceptModeTest(ModeTestCase):
    mode = "accept"

    def test_a_bad_signature_is_taken_and_names_the_keys_owner(self):
        key = self.make_user_key("alice")
        me = client(self.srv, key=key["AccessKeyId"], secret="not-the-secret").get_caller_identity()
        self.assertTrue(me["Arn"].endswith(":user/alice"), me)
        r = aws(self.srv, "sts", "get-caller-identity", key=key["AccessKeyId"], secret="wrong")
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.json["Arn"].endswith(":user/alice"))

    def test_unsigned_requests_act_as_the_default_root(self):
        me = client(self.srv, unsigned=True).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:iam::000000000000:root")


class VerifyModeTest(ModeTestCase):
    mode = "verify"

    def test_a_valid_signature_is_accepted(self):
        me = client(self.srv).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:iam::000000000000:root")
        r = aws(self.srv, "sts", "get-caller-identity")
        self.assertEqual(r.rc, 0, r)

    def test_a_bad_signature_is_signature_does_not_match(self):
        with self.assertRaises(ClientError) as cm:
            client(self.srv, secret="wrong").get_caller_identity()
        self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        r = aws(self.srv, "iam", "list-users", secret="wrong")
        self.assertEqual(r.error_code(), "SignatureDoesNotMatch", r)

    def test_an_unknown_key_is_invalid_client_token_id(self):
        self.assertClientError(
            lambda: client(self.srv, key="AKIAUNKNOWNKEY000000").get_caller_identity(),
            "InvalidClientTokenId", 403, message=INVALID_TOKEN,
        )
        # 12-digit keys name an account only in accept mode.
        self.assertClientError(
            lambda: client(self.srv, "iam", key="111111111111").list_users(), "InvalidClientTokenId", 403
        )
        r = aws(self.srv, "sts", "get-caller-identity", key="AKIAUNKNOWNKEY000000")
        self.assertEqual(r.error_code(), "InvalidClientTokenId", r)
        self.assertEqual(r.error_message(), INVALID_TOKEN)

    def test_missing_authentication_is_missing_authentication_token(self):
        self.assertClientError(
            lambda: client(self.srv, unsigned=True).get_caller_identity(),
            "MissingAuthenticationToken", 403, message="Request is missing Authentication Token",
        )
        status, body = raw_post(self.srv, "Action=ListUsers&Version=2010-05-08")
        self.assertEqual(status, 403)
        self.assertIn("<Code>MissingAuthenticationToken</Code>", body)
        self.assertIn('xmlns="https://iam.amazonaws.com/doc/2010-05-08/"', body)

    def test_an_inactive_key_is_invalid_client_token_id(self):
        key = self.make_user_key("dormant")
        as_user = client(self.srv, key=key["AccessKeyId"], secret=key["SecretAccessKey"])
        as_user.get_caller_identity()
        client(self.srv, "iam").update_access_key(UserName="dormant", AccessKeyId=key["AccessKeyId"], Status="Inactive")
        self.assertClientError(as_user.get_caller_identity, "InvalidClientTokenId", 403, message=INVALID_TOKEN)

    def test_key_use_is_recorded(self):
        key = self.make_user_key("worker")
        iam = client(self.srv, "iam")
        self.assertNotIn("LastUsedDate", iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"])
        client(self.srv, key=key["AccessKeyId"], secret=key["SecretAccessKey"]).get_caller_identity()
        used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
        self.assertIn("LastUsedDate", used)
        self.assertEqual(used["ServiceName"], "sts")
        self.assertEqual(used["Region"], REGION)

    def assume(self, duration=900):
        iam = client(self.srv, "iam")
        try:
            iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=TRUST_ROOT)
        except ClientError as e:
            if e.response["Error"]["Code"] != "EntityAlreadyExists":
                raise
        return client(self.srv).assume_role(
            RoleArn="arn:aws:iam::000000000000:role/deployer", RoleSessionName="s1", DurationSeconds=duration
        )["Credentials"]

    def test_session_credentials_identify_the_assumed_role_and_need_their_token(self):
        creds = self.assume()
        me = client(self.srv, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                    token=creds["SessionToken"]).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:sts::000000000000:assumed-role/deployer/s1")
        r = aws(self.srv, "sts", "get-caller-identity", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                token=creds["SessionToken"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.json["Arn"], me["Arn"])
        for token in ("not-the-token", None):
            self.assertClientError(
                lambda: client(self.srv, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                               token=token).get_caller_identity(),
                "InvalidClientTokenId", 403, message=INVALID_TOKEN,
            )

    def test_session_credentials_expire(self):
        # Issue the session while the server's clock is 10 minutes behind, then
        # move it 7 minutes ahead: the 15-minute expiry has passed, and the
        # client's signature (real time) stays within SigV4's 15-minute window.
        set_clock(self.srv, -600)
        creds = self.assume(duration=900)
        as_session = client(self.srv, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                            token=creds["SessionToken"])
        as_session.get_caller_identity()
        set_clock(self.srv, 420)
        self.assertClientError(
            as_session.get_caller_identity, "ExpiredToken", 403,
            message="The security token included in the request is expired",
        )
        r = aws(self.srv, "sts", "get-caller-identity", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                token=creds["SessionToken"])
        self.assertEqual(r.error_code(), "ExpiredToken", r)

    def test_a_request_signed_outside_the_time_window_is_refused(self):
        set_clock(self.srv, 3600)
        with self.assertRaises(ClientError) as cm:
            client(self.srv).get_caller_identity()
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        # The Date header is the server's clock, which SDKs correct their skew by.
        date = email.utils.parsedate_to_datetime(cm.exception.response["ResponseMetadata"]["HTTPHeaders"]["date"])
        skew = (date - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertAlmostEqual(skew, 3600, delta=60)

    def test_a_request_signed_twenty_minutes_ahead_is_not_yet_current(self):
        real_now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        ahead = real_now + datetime.timedelta(minutes=20)
        with mock.patch("botocore.auth.get_current_datetime", return_value=ahead):
            err = self.assertClientError(client(self.srv).get_caller_identity, "SignatureDoesNotMatch", 403)
        message = err.response["Error"]["Message"]
        m = re.fullmatch(r"Signature not yet current: (\S+) is still later than (\S+) \((\S+) \+ 15 min\.\)", message)
        self.assertTrue(m, message)
        self.assertEqual(m.group(1), ahead.strftime(AMZ_DATE))
        server_now = amz_time(m.group(3))
        self.assertEqual(amz_time(m.group(2)) - server_now, datetime.timedelta(minutes=15))
        self.assertLess(abs(server_now - real_now), datetime.timedelta(seconds=10))

    def test_an_authorization_header_without_signed_headers_and_signature_is_incomplete_signature(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        authorization = "AWS4-HMAC-SHA256 Credential=test/%s/us-east-1/sts/aws4_request" % now.strftime("%Y%m%d")
        status, body = raw_post(self.srv, "Action=GetCallerIdentity&Version=2011-06-15",
                                {"Authorization": authorization, "X-Amz-Date": now.strftime(AMZ_DATE)})
        self.assertEqual(status, 400, body)
        self.assertEqual(error_of(body), (
            STS_XMLNS, "IncompleteSignature",
            "Authorization header requires 'Signature' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. Authorization=" + authorization,
        ))

    def test_a_presigned_url_is_accepted_and_names_its_signer(self):
        key = self.make_user_key("presigner")
        status, body = raw_request(presigned_identity_url(self.srv, key["AccessKeyId"], key["SecretAccessKey"]))
        self.assertEqual(status, 200, body)
        self.assertIn("<Arn>arn:aws:iam::000000000000:user/presigner</Arn>", body)

    def test_a_presigned_url_is_refused_once_its_expires_has_passed(self):
        url = presigned_identity_url(self.srv, expires=60)
        signed_at = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-Date"][0]
        self.assertEqual(raw_request(url)[0], 200)
        # Two minutes on: past X-Amz-Expires, well inside SigV4's 15 minutes.
        clock_now = datetime.datetime.strptime(set_clock(self.srv, 120)["now"], "%Y-%m-%dT%H:%M:%SZ")
        status, body = raw_request(url)
        self.assertEqual(status, 403, body)
        xmlns, code, message = error_of(body)
        self.assertEqual((xmlns, code), (STS_XMLNS, "SignatureDoesNotMatch"))
        m = re.fullmatch(r"Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 60 sec\.\)", message)
        self.assertTrue(m, message)
        self.assertEqual(m.group(1), signed_at)
        server_now = amz_time(m.group(3))
        self.assertEqual(server_now - amz_time(m.group(2)), datetime.timedelta(seconds=60))
        self.assertTrue(datetime.timedelta(0) <= server_now - clock_now <= datetime.timedelta(seconds=10), message)

    def test_a_tampered_presigned_signature_is_signature_does_not_match(self):
        status, body = raw_request(tampered(presigned_identity_url(self.srv)))
        self.assertEqual(status, 403, body)
        xmlns, code, message = error_of(body)
        self.assertEqual((xmlns, code), (STS_XMLNS, "SignatureDoesNotMatch"))
        self.assertTrue(message.startswith(SIGNATURE_MISMATCH + "\n\nThe Canonical String for this request"), message)


class ConfiguredAccountsTest(unittest.TestCase):
    def test_accounts_declared_in_the_config_file_have_their_own_roots(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"auth": "verify", "accounts": [
                {"id": "111111111111", "root_access_key": "AKIAOTHERROOT0000000", "root_secret_key": "other"}]}, f)
        srv = harness.Server(["--config", f.name]).start()
        try:
            me = client(srv, key="AKIAOTHERROOT0000000", secret="other").get_caller_identity()
            self.assertEqual(me["Arn"], "arn:aws:iam::111111111111:root")
            with self.assertRaises(ClientError) as cm:
                client(srv, key="AKIAOTHERROOT0000000", secret="test").get_caller_identity()
            self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        finally:
            code, out = srv.stop()
            os.unlink(f.name)
            check_clean_exit(code, out)

    def test_accounts_declared_by_flag_have_their_own_roots(self):
        srv = harness.Server(["--auth", "verify", "--account-root", "222222222222:AKIAFLAGROOT00000000:flag/secret",
                              "--account-root", "333333333333:AKIAFLAGROOT00000001:other"]).start()
        try:
            for key, secret, account in (("AKIAFLAGROOT00000000", "flag/secret", "222222222222"),
                                         ("AKIAFLAGROOT00000001", "other", "333333333333")):
                me = client(srv, key=key, secret=secret).get_caller_identity()
                self.assertEqual(me["Arn"], f"arn:aws:iam::{account}:root")
            self.assertClientError(client(srv, key="AKIAFLAGROOT00000000", secret="other").get_caller_identity,
                                   "SignatureDoesNotMatch", 403)
        finally:
            code, out = srv.stop()
            check_clean_exit(code, out)

    def assertClientError(self, call, code, status):
        with self.assertRaises(ClientError) as cm:
            call()
        self.assertEqual(cm.exception.response["Error"]["Code"], code)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)


class EnforceAndSoftAuthenticateLikeVerifyTest(unittest.TestCase):
    def test_each_refuses_bad_signatures_and_accepts_good_ones(self):
        for mode in ("enforce", "soft"):
            with self.subTest(mode=mode):
                srv = server(mode)
                self.assertEqual(client(srv).get_caller_identity()["Account"], "000000000000")
                with self.assertRaises(ClientError) as cm:
                    client(srv, secret="wrong").get_caller_identity()
                self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
                with self.assertRaises(ClientError) as cm:
                    client(srv, unsigned=True).get_caller_identity()
                self.assertEqual(cm.exception.response["Error"]["Code"], "MissingAuthenticationToken")
                status, body = raw_request(presigned_identity_url(srv))
                self.assertEqual(status, 200, body)
                self.assertIn("<Arn>arn:aws:iam::000000000000:root</Arn>", body)
                status, body = raw_request(tampered(presigned_identity_url(srv)))
                self.assertEqual(status, 403, body)
                self.assertEqual(error_of(body)[:2], (STS_XMLNS, "SignatureDoesNotMatch"))


class UnsignedFederationTest(unittest.TestCase):
    def test_unsigned_federation_is_let_through_to_invalid_action_in_every_mode(self):
        # AWS takes AssumeRoleWithWebIdentity and AssumeRoleWithSAML unsigned
        # (the token or assertion is the credential), so no mode asks for a
        # signature; iamlocal serves neither yet.
        calls = {
            "AssumeRoleWithWebIdentity": lambda sts: sts.assume_role_with_web_identity(
                RoleArn="arn:aws:iam::000000000000:role/web", RoleSessionName="web", WebIdentityToken="t" * 20),
            "AssumeRoleWithSAML": lambda sts: sts.assume_role_with_saml(
                RoleArn="arn:aws:iam::000000000000:role/saml",
                PrincipalArn="arn:aws:iam::000000000000:saml-provider/idp", SAMLAssertion="a" * 20),
        }
        for mode in ("accept", "verify", "enforce", "soft"):
            sts = client(server(mode), unsigned=True)
            for operation, call in calls.items():
                with self.subTest(mode=mode, operation=operation):
                    with self.assertRaises(ClientError) as cm:
                        call(sts)
                    response = cm.exception.response
                    self.assertEqual(response["Error"]["Code"], "InvalidAction", response)
                    self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 400, response)
                    self.assertEqual(response["Error"]["Message"],
                                     "The operation %s of sts is not supported by iamlocal yet" % operation)


class ClockControlTest(unittest.TestCase):
    def test_clock_control_is_not_found_unless_enabled(self):
        srv = harness.Server().start()
        try:
            req = urllib.request.Request(srv.url + "/_iamlocal/clock", data=b'{"offset_seconds": 5}', method="POST")
            with self.assertRaises(urllib.error.HTTPError) as cm:
                urllib.request.urlopen(req, timeout=10)
            self.assertEqual(cm.exception.code, 404)
        finally:
            code, out = srv.stop()
            check_clean_exit(code, out)


if __name__ == "__main__":
    unittest.main()
