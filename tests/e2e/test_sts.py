"""STS through boto3 and aws-cli against the real binary (default `accept`
auth mode): GetCallerIdentity for the root, an IAM user and an assumed role;
AssumeRole with its duration rules, missing roles, ExternalId, and aws-cli's
own role_arn/source_profile credential provider; GetSessionToken;
GetAccessKeyInfo; the federation operations' well-formed errors."""

import datetime
import json
import os
import subprocess
import tempfile
import unittest

from botocore.exceptions import ClientError

from harness import (  # noqa: F401 (setUpModule/tearDownModule are used by unittest)
    DEFAULT_ACCOUNT,
    OTHER_ACCOUNT,
    REGION,
    IamTestCase,
    account_client,
    cli,
    client,
    doc,
    endpoint,
    http,
    setUpModule,
    tearDownModule,
    unique,
)


def trust(principal, condition=None):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return doc({"Version": "2012-10-17", "Statement": [statement]})


TRUST_DEFAULT_ACCOUNT = trust({"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT})


def sts(**kw):
    return client(service="sts", **kw)


def session_client(creds, service="sts"):
    return client(
        access_key=creds["AccessKeyId"],
        secret_key=creds["SecretAccessKey"],
        session_token=creds["SessionToken"],
        service=service,
    )


class GetCallerIdentityTest(IamTestCase):
    def test_root_is_the_account_root_with_boto3_and_cli(self):
        me = sts().get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT)
        self.assertEqual(me["UserId"], DEFAULT_ACCOUNT)
        self.assertEqual(me["Account"], DEFAULT_ACCOUNT)
        out = self.assertCliOk(cli("sts", "get-caller-identity"))
        self.assertEqual(out["Arn"], "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT)

    def test_twelve_digit_key_is_that_accounts_root(self):
        me = account_client(OTHER_ACCOUNT, service="sts").get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:iam::%s:root" % OTHER_ACCOUNT)

    def test_iam_user_is_the_user_with_its_unique_id(self):
        name = unique("caller")
        user = self.iam.create_user(UserName=name)["User"]
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        me = sts(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"]).get_caller_identity()
        self.assertEqual(me["Arn"], user["Arn"])
        self.assertEqual(me["UserId"], user["UserId"])
        self.assertTrue(me["UserId"].startswith("AIDA"))
        out = self.assertCliOk(
            cli("sts", "get-caller-identity", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        )
        self.assertEqual(out["Arn"], user["Arn"])

    def test_health_shows_sts_available(self):
        r = http("GET", "/_iamlocal/health")
        self.assertEqual(r.status, 200)
        self.assertIn('"sts":"available"', r.text)


class AssumeRoleTest(IamTestCase):
    def make_role(self, trust_doc=TRUST_DEFAULT_ACCOUNT, max_session=None, path="/"):
        name = unique("role")
        kw = {"RoleName": name, "AssumeRolePolicyDocument": trust_doc, "Path": path}
        if max_session:
            kw["MaxSessionDuration"] = max_session
        return self.iam.create_role(**kw)["Role"]

    def test_assumed_role_credentials_identify_as_the_assumed_role(self):
        role = self.make_role(path="/ci/")
        before = datetime.datetime.now(datetime.timezone.utc)
        out = sts().assume_role(RoleArn=role["Arn"], RoleSessionName="build-7")
        creds = out["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertEqual(len(creds["SecretAccessKey"]), 40)
        self.assertTrue(creds["SessionToken"])
        lifetime = (creds["Expiration"] - before).total_seconds()
        self.assertTrue(3590 <= lifetime <= 3610, lifetime)
        expected_arn = "arn:aws:sts::%s:assumed-role/%s/build-7" % (DEFAULT_ACCOUNT, role["RoleName"])
        self.assertEqual(out["AssumedRoleUser"]["Arn"], expected_arn)
        self.assertEqual(out["AssumedRoleUser"]["AssumedRoleId"], role["RoleId"] + ":build-7")
        self.assertNotIn("PackedPolicySize", out)

        me = session_client(creds).get_caller_identity()
        self.assertEqual(me["Arn"], expected_arn)
        self.assertEqual(me["UserId"], role["RoleId"] + ":build-7")
        self.assertEqual(me["Account"], DEFAULT_ACCOUNT)

        # aws-cli with the same credentials (AWS_SESSION_TOKEN).
        got = self.assertCliOk(
            cli(
                "sts",
                "get-caller-identity",
                access_key=creds["AccessKeyId"],
                secret_key=creds["SecretAccessKey"],
                session_token=creds["SessionToken"],
            )
        )
        self.assertEqual(got["Arn"], expected_arn)

        # The role remembers its last use.
        last = self.iam.get_role(RoleName=role["RoleName"])["Role"]["RoleLastUsed"]
        self.assertIn("LastUsedDate", last)
        self.assertEqual(last["Region"], REGION)

    def test_assume_role_with_the_cli(self):
        role = self.make_role()
        out = self.assertCliOk(
            cli("sts", "assume-role", "--role-arn", role["Arn"], "--role-session-name", "cli-session")
        )
        self.assertEqual(
            out["AssumedRoleUser"]["Arn"],
            "arn:aws:sts::%s:assumed-role/%s/cli-session" % (DEFAULT_ACCOUNT, role["RoleName"]),
        )

    def test_duration_is_bounded_by_the_roles_max_session_duration(self):
        role = self.make_role(max_session=7200)
        out = sts().assume_role(RoleArn=role["Arn"], RoleSessionName="long", DurationSeconds=7200)
        lifetime = (out["Credentials"]["Expiration"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(7180 <= lifetime <= 7210, lifetime)
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=role["Arn"], RoleSessionName="long", DurationSeconds=7201),
            "ValidationError",
            400,
            message="The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        )
        # Below the model's minimum: the server's own validation (client-side off).
        self.assertClientError(
            lambda: sts(validate=False).assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=899),
            "ValidationError",
            400,
            message_contains="failed to satisfy constraint: Member must have value greater than or equal to 900",
        )
        r = cli(
            "sts", "assume-role", "--role-arn", role["Arn"], "--role-session-name", "s1", "--duration-seconds", "7201"
        )
        self.assertCliError(
            r, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )

    def test_role_chaining_is_limited_to_one_hour(self):
        first = self.make_role(max_session=43200)
        second = self.make_role(trust({"AWS": first["Arn"]}), max_session=43200)
        creds = sts().assume_role(RoleArn=first["Arn"], RoleSessionName="hop1")["Credentials"]
        chained = session_client(creds)
        self.assertClientError(
            lambda: chained.assume_role(RoleArn=second["Arn"], RoleSessionName="hop2", DurationSeconds=3601),
            "ValidationError",
            400,
            message="The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        )
        out = chained.assume_role(RoleArn=second["Arn"], RoleSessionName="hop2")
        self.assertEqual(session_client(out["Credentials"]).get_caller_identity()["Arn"], out["AssumedRoleUser"]["Arn"])

    def test_missing_role_is_access_denied(self):
        arn = "arn:aws:iam::%s:role/%s" % (DEFAULT_ACCOUNT, unique("ghost"))
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1"),
            "AccessDenied",
            403,
            message="User: arn:aws:iam::%s:root is not authorized to perform: sts:AssumeRole on resource: %s"
            % (DEFAULT_ACCOUNT, arn),
        )
        self.assertCliError(cli("sts", "assume-role", "--role-arn", arn, "--role-session-name", "s1"), "AccessDenied")

    def test_trust_policy_must_name_the_caller(self):
        role = self.make_role(trust({"Service": "ec2.amazonaws.com"}))
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=role["Arn"], RoleSessionName="s1"), "AccessDenied", 403
        )
        # A user named by the trust policy may; another user may not.
        alice, bob = unique("alice"), unique("bob")
        alice_arn = self.iam.create_user(UserName=alice)["User"]["Arn"]
        self.iam.create_user(UserName=bob)
        role = self.make_role(trust({"AWS": alice_arn}))
        alice_key = self.iam.create_access_key(UserName=alice)["AccessKey"]
        bob_key = self.iam.create_access_key(UserName=bob)["AccessKey"]
        out = sts(access_key=alice_key["AccessKeyId"], secret_key=alice_key["SecretAccessKey"]).assume_role(
            RoleArn=role["Arn"], RoleSessionName="alice"
        )
        self.assertIn("/alice", out["AssumedRoleUser"]["Arn"])
        self.assertClientError(
            lambda: sts(access_key=bob_key["AccessKeyId"], secret_key=bob_key["SecretAccessKey"]).assume_role(
                RoleArn=role["Arn"], RoleSessionName="bob"
            ),
            "AccessDenied",
            403,
            message_contains="User: arn:aws:iam::%s:user/%s is not authorized" % (DEFAULT_ACCOUNT, bob),
        )

    def test_external_id_is_required_and_must_match(self):
        role = self.make_role(
            trust({"AWS": DEFAULT_ACCOUNT}, {"StringEquals": {"sts:ExternalId": "vendor-42"}})
        )
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=role["Arn"], RoleSessionName="s1"), "AccessDenied", 403
        )
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=role["Arn"], RoleSessionName="s1", ExternalId="vendor-43"),
            "AccessDenied",
            403,
        )
        out = sts().assume_role(RoleArn=role["Arn"], RoleSessionName="s1", ExternalId="vendor-42")
        self.assertTrue(out["Credentials"]["AccessKeyId"].startswith("ASIA"))

    def test_session_policy_reports_packed_size(self):
        role = self.make_role()
        out = sts().assume_role(
            RoleArn=role["Arn"],
            RoleSessionName="scoped",
            Policy=doc({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
        )
        self.assertTrue(0 < out["PackedPolicySize"] <= 100, out)

    def test_cross_account_role(self):
        other_iam = account_client(OTHER_ACCOUNT)
        name = unique("shared")
        other_iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust({"AWS": DEFAULT_ACCOUNT}))
        arn = "arn:aws:iam::%s:role/%s" % (OTHER_ACCOUNT, name)
        out = sts().assume_role(RoleArn=arn, RoleSessionName="x-acct")
        me = session_client(out["Credentials"]).get_caller_identity()
        self.assertEqual(me["Account"], OTHER_ACCOUNT)
        self.assertEqual(me["Arn"], "arn:aws:sts::%s:assumed-role/%s/x-acct" % (OTHER_ACCOUNT, name))
        # The session acts in the role's account: IAM calls see that account.
        names = [r["RoleName"] for r in session_client(out["Credentials"], service="iam").list_roles()["Roles"]]
        self.assertIn(name, names)


class CliProfileTest(IamTestCase):
    """aws-cli's own assume-role credential provider: a profile with role_arn,
    source_profile and external_id in a temporary AWS_CONFIG_FILE."""

    def run_aws(self, config_text, credentials_text, *args):
        with tempfile.TemporaryDirectory() as tmp:
            config_path = os.path.join(tmp, "config")
            creds_path = os.path.join(tmp, "credentials")
            with open(config_path, "w") as f:
                f.write(config_text)
            with open(creds_path, "w") as f:
                f.write(credentials_text)
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith("AWS_") and k not in ("AWS_PROFILE",)
            }
            env.update(
                {
                    "AWS_CONFIG_FILE": config_path,
                    "AWS_SHARED_CREDENTIALS_FILE": creds_path,
                    # Used by the command and by the provider's own STS client.
                    "AWS_ENDPOINT_URL": endpoint(),
                    "AWS_MAX_ATTEMPTS": "1",
                    "AWS_PAGER": "",
                    "HOME": tmp,  # no cached credentials from earlier runs
                }
            )
            p = subprocess.run(
                ["aws"] + list(args) + ["--output", "json"], env=env, capture_output=True, text=True, timeout=60
            )
            return p

    def test_role_arn_and_source_profile_with_external_id(self):
        name = unique("cli-profile")
        self.iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=trust({"AWS": DEFAULT_ACCOUNT}, {"StringEquals": {"sts:ExternalId": "ext-9"}}),
        )
        arn = "arn:aws:iam::%s:role/%s" % (DEFAULT_ACCOUNT, name)
        credentials = "[base]\naws_access_key_id = test\naws_secret_access_key = test\n"
        config = (
            "[profile base]\nregion = %s\n\n"
            "[profile deploy]\nrole_arn = %s\nsource_profile = base\nexternal_id = ext-9\n"
            "role_session_name = from-profile\nregion = %s\n\n"
            "[profile wrong]\nrole_arn = %s\nsource_profile = base\nexternal_id = nope-0\nregion = %s\n"
        ) % (REGION, arn, REGION, arn, REGION)
        p = self.run_aws(config, credentials, "sts", "get-caller-identity", "--profile", "deploy")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(
            json.loads(p.stdout)["Arn"], "arn:aws:sts::%s:assumed-role/%s/from-profile" % (DEFAULT_ACCOUNT, name)
        )
        p = self.run_aws(config, credentials, "sts", "get-caller-identity", "--profile", "wrong")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessDenied", p.stderr)


class GetSessionTokenTest(IamTestCase):
    def test_user_session_acts_as_the_user(self):
        name = unique("st")
        user = self.iam.create_user(UserName=name)["User"]
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        as_user = sts(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        creds = as_user.get_session_token(DurationSeconds=900)["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        lifetime = (creds["Expiration"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(880 <= lifetime <= 910, lifetime)
        self.assertEqual(session_client(creds).get_caller_identity()["Arn"], user["Arn"])
        self.assertClientError(
            lambda: session_client(creds).get_session_token(),
            "AccessDenied",
            403,
            message="Cannot call GetSessionToken with session credentials",
        )

    def test_root_session_is_capped_at_one_hour(self):
        creds = sts().get_session_token(DurationSeconds=7200)["Credentials"]
        lifetime = (creds["Expiration"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertTrue(3580 <= lifetime <= 3610, lifetime)
        out = self.assertCliOk(cli("sts", "get-session-token", "--duration-seconds", "900"))
        self.assertTrue(out["Credentials"]["AccessKeyId"].startswith("ASIA"))

    def test_duration_outside_the_model_range_is_a_validation_error(self):
        self.assertClientError(
            lambda: sts(validate=False).get_session_token(DurationSeconds=129601),
            "ValidationError",
            400,
            message_contains="Member must have value less than or equal to 129600",
        )


class SessionTokenLimitsTest(unittest.TestCase):
    """What GetSessionToken's credentials may call, as AWS documents ("Compare
    AWS STS credentials"), in verify mode: IAM only when the GetSessionToken
    request carried MFA (otherwise IAM answers InvalidClientTokenId, 403), and
    of STS only AssumeRole and GetCallerIdentity (AccessDenied, 403)."""

    INVALID = "The security token included in the request is invalid."

    @classmethod
    def setUpClass(cls):
        import harness

        cls.srv = harness.Server(["--auth", "verify", "--log-level", "warn"]).start()

    @classmethod
    def tearDownClass(cls):
        import harness

        code, out = cls.srv.stop()
        harness.check_clean_exit(code, out)

    def client(self, service, key="test", secret="test", token=None):
        import boto3
        from botocore.config import Config

        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
        ).client(service, endpoint_url=self.srv.url, config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    def session(self, creds, service):
        return self.client(service, creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])

    def assertError(self, fn, code, status, message):
        with self.assertRaises(ClientError) as cm:
            fn()
        self.assertEqual(cm.exception.response["Error"]["Code"], code, cm.exception.response)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertEqual(cm.exception.response["Error"]["Message"], message)

    def user(self, with_device=False):
        iam = self.client("iam")
        name = unique("limits")
        iam.create_user(UserName=name)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        serial = seed = None
        if with_device:
            from test_mfa import totp

            device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
            serial, seed = device["SerialNumber"], device["Base32StringSeed"].decode("ascii")
            iam.enable_mfa_device(
                UserName=name, SerialNumber=serial, AuthenticationCode1=totp(seed, -1), AuthenticationCode2=totp(seed)
            )
        return name, self.client("sts", key["AccessKeyId"], key["SecretAccessKey"]), serial, seed

    def test_without_mfa_iam_is_an_invalid_token_and_sts_is_limited(self):
        name, sts_client, _, _ = self.user()
        creds = sts_client.get_session_token()["Credentials"]
        iam = self.session(creds, "iam")
        self.assertError(lambda: iam.list_users(), "InvalidClientTokenId", 403, self.INVALID)
        self.assertError(lambda: iam.get_user(UserName=name), "InvalidClientTokenId", 403, self.INVALID)
        as_session = self.session(creds, "sts")
        self.assertEqual(
            as_session.get_caller_identity()["Arn"], "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, name)
        )
        role_arn = self.client("iam").create_role(
            RoleName=unique("limits-role"), AssumeRolePolicyDocument=TRUST_DEFAULT_ACCOUNT
        )["Role"]["Arn"]
        assumed = as_session.assume_role(RoleArn=role_arn, RoleSessionName="from-session-token")
        self.assertIn("/from-session-token", assumed["AssumedRoleUser"]["Arn"])
        for op, call in [
            ("GetSessionToken", lambda: as_session.get_session_token()),
            ("GetFederationToken", lambda: as_session.get_federation_token(Name="fed")),
            ("DecodeAuthorizationMessage", lambda: as_session.decode_authorization_message(EncodedMessage="x")),
            ("GetAccessKeyInfo", lambda: as_session.get_access_key_info(AccessKeyId=creds["AccessKeyId"])),
        ]:
            with self.subTest(op):
                self.assertError(call, "AccessDenied", 403, "Cannot call %s with session credentials" % op)

    def test_with_mfa_iam_may_be_called(self):
        from test_mfa import totp

        name, sts_client, serial, seed = self.user(with_device=True)
        creds = sts_client.get_session_token(SerialNumber=serial, TokenCode=totp(seed))["Credentials"]
        users = [u["UserName"] for u in self.session(creds, "iam").list_users()["Users"]]
        self.assertIn(name, users)
        self.assertError(
            lambda: self.session(creds, "sts").get_federation_token(Name="fed"),
            "AccessDenied",
            403,
            "Cannot call GetFederationToken with session credentials",
        )

    def test_the_root_session_token_cannot_call_iam_either(self):
        creds = self.client("sts").get_session_token()["Credentials"]
        self.assertError(lambda: self.session(creds, "iam").list_roles(), "InvalidClientTokenId", 403, self.INVALID)

    def test_aws_cli_gets_invalid_client_token_id(self):
        from unittest import mock

        import harness

        _, sts_client, _, _ = self.user()
        creds = sts_client.get_session_token()["Credentials"]
        with mock.patch.object(harness, "endpoint", return_value=self.srv.url):
            r = cli(
                "iam", "list-users", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                session_token=creds["SessionToken"],
            )
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(r.error_code(), "InvalidClientTokenId", r)
        self.assertEqual(r.error_message(), self.INVALID, r)


class AcceptModeSessionTokenTest(IamTestCase):
    def test_accept_mode_judges_no_token_so_iam_answers_session_credentials(self):
        # accept mode checks no signature and no token, so it does not refuse
        # a token as invalid for IAM either; STS's own refusals still apply.
        name = unique("accept-st")
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        creds = sts(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"]).get_session_token()[
            "Credentials"
        ]
        session_client(creds, "iam").get_user(UserName=name)
        self.assertClientError(
            lambda: session_client(creds).decode_authorization_message(EncodedMessage="x"),
            "AccessDenied",
            403,
            message="Cannot call DecodeAuthorizationMessage with session credentials",
        )


class OtherOperationsTest(IamTestCase):
    def test_get_access_key_info_names_the_keys_account(self):
        other_iam = account_client(OTHER_ACCOUNT)
        name = unique("info")
        other_iam.create_user(UserName=name)
        key = other_iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
        self.assertEqual(sts().get_access_key_info(AccessKeyId=key)["Account"], OTHER_ACCOUNT)
        self.assertEqual(sts().get_access_key_info(AccessKeyId="AKIAIOSFODNN7EXAMPLE")["Account"], DEFAULT_ACCOUNT)
        out = self.assertCliOk(cli("sts", "get-access-key-info", "--access-key-id", key))
        self.assertEqual(out["Account"], OTHER_ACCOUNT)

    def test_decode_authorization_message_refuses_foreign_messages(self):
        self.assertClientError(
            lambda: sts().decode_authorization_message(EncodedMessage="not-ours"),
            "InvalidAuthorizationMessageException",
            400,
        )

    def test_federation_operations_answer_a_well_formed_error(self):
        # GetFederationToken is implemented (test_federation_token.py).
        calls = {
            "AssumeRoleWithWebIdentity": lambda: sts().assume_role_with_web_identity(
                RoleArn="arn:aws:iam::%s:role/web" % DEFAULT_ACCOUNT,
                RoleSessionName="web",
                WebIdentityToken="x" * 20,
            ),
            "AssumeRoleWithSAML": lambda: sts().assume_role_with_saml(
                RoleArn="arn:aws:iam::%s:role/saml" % DEFAULT_ACCOUNT,
                PrincipalArn="arn:aws:iam::%s:saml-provider/idp" % DEFAULT_ACCOUNT,
                SAMLAssertion="x" * 20,
            ),
            "GetWebIdentityToken": lambda: sts().get_web_identity_token(
                Audience=["https://api.example.com"], SigningAlgorithm="RS256"
            ),
            "GetDelegatedAccessToken": lambda: sts().get_delegated_access_token(TradeInToken="x" * 20),
        }
        for operation, call in calls.items():
            with self.subTest(operation=operation):
                self.assertClientError(
                    call, "InvalidAction", 400,
                    message="The operation %s of sts is not supported by iamlocal yet" % operation,
                )


if __name__ == "__main__":
    unittest.main()
