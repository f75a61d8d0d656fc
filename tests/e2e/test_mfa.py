"""Virtual MFA devices and MFA in STS, through boto3 and aws-cli: the device
lifecycle (Base32 seed, QR code PNG, enabling with two consecutive TOTP
codes, listing, deactivation, deletion, tags), GetSessionToken with MFA, and
the seed scenario "MFA-protected admin role": a role whose trust policy
requires aws:MultiFactorAuthPresent, assumed with boto3's
SerialNumber/TokenCode and with an aws-cli profile carrying mfa_serial (the
code typed on stdin). TOTP codes are computed here from the Base32 seed, as
an authenticator app would; the server's clock is moved with clock control
to watch codes go stale."""

import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.request

import harness
from harness import DEFAULT_ACCOUNT, REGION, IamTestCase, client, cli, unique


def setUpModule():  # noqa: N802
    # The module's server, with clock control, in place of harness's default.
    harness._server = harness.Server(["--enable-clock-control", "--log-level", "warn"]).start()


tearDownModule = harness.tearDownModule

INVALID_CODE = "Authentication code for device is not valid."
MFA_INVALID_OTP = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
MFA_UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid "
    "and associated with this user."
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def totp(seed_base32, offset_steps=0, at=None):
    """RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), as an authenticator app computes it."""
    key = base64.b32decode(seed_base32)
    counter = int((time.time() if at is None else at) // 30) + offset_steps
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def set_clock(offset_seconds):
    req = urllib.request.Request(
        harness.endpoint() + "/_iamlocal/clock",
        data=json.dumps({"offset_seconds": offset_seconds}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def png_size(data):
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


class MfaTestCase(IamTestCase):
    def tearDown(self):
        set_clock(0)

    def new_user(self, name=None):
        name = name or unique("mfa-user")
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        return name, key

    def new_device(self, name=None, **kw):
        out = self.iam.create_virtual_mfa_device(VirtualMFADeviceName=name or unique("dev"), **kw)
        device = out["VirtualMFADevice"]
        return device["SerialNumber"], device["Base32StringSeed"].decode("ascii"), device

    def enable(self, user, serial, seed):
        self.iam.enable_mfa_device(
            UserName=user, SerialNumber=serial, AuthenticationCode1=totp(seed, -1), AuthenticationCode2=totp(seed)
        )


class DeviceLifecycleTest(MfaTestCase):
    def test_create_returns_serial_seed_and_qr_code_png(self):
        name = unique("phone")
        serial, seed, device = self.new_device(name, Path="/team/")
        self.assertEqual(serial, "arn:aws:iam::%s:mfa/team/%s" % (DEFAULT_ACCOUNT, name))
        self.assertEqual(len(seed), 64)
        self.assertEqual(len(base64.b32decode(seed)), 40)
        png = device["QRCodePNG"]
        self.assertEqual(png[:8], PNG_SIGNATURE)
        width, height = png_size(png)
        self.assertEqual(width, height)
        self.assertGreaterEqual(width, 100)

    def test_duplicate_name_is_entity_already_exists(self):
        name = unique("dup")
        self.new_device(name)
        self.assertClientError(
            lambda: self.iam.create_virtual_mfa_device(VirtualMFADeviceName=name),
            "EntityAlreadyExists",
            409,
            message="MFADevice entity at the same path and name already exists.",
        )

    def test_enable_list_get_deactivate_delete(self):
        user = unique("mfa-user")
        self.iam.create_user(UserName=user)  # no access keys: DeleteUser checks them before MFA devices
        serial, seed, _ = self.new_device()
        self.enable(user, serial, seed)

        devices = self.iam.list_mfa_devices(UserName=user)["MFADevices"]
        self.assertEqual([d["SerialNumber"] for d in devices], [serial])
        self.assertEqual(devices[0]["UserName"], user)
        self.assertIn("EnableDate", devices[0])
        self.assertEqual(self.iam.get_mfa_device(SerialNumber=serial)["UserName"], user)

        assigned = self.iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
        mine = [d for d in assigned if d["SerialNumber"] == serial]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["User"]["UserName"], user)
        unassigned = self.iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
        self.assertNotIn(serial, [d["SerialNumber"] for d in unassigned])

        summary = self.iam.get_account_summary()["SummaryMap"]
        self.assertGreaterEqual(summary["MFADevicesInUse"], 1)

        self.assertClientError(
            lambda: self.iam.delete_user(UserName=user),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must delete MFA device first.",
        )
        self.assertClientError(lambda: self.iam.delete_virtual_mfa_device(SerialNumber=serial), "DeleteConflict", 409)
        self.iam.deactivate_mfa_device(UserName=user, SerialNumber=serial)
        self.assertEqual(self.iam.list_mfa_devices(UserName=user)["MFADevices"], [])
        self.iam.delete_virtual_mfa_device(SerialNumber=serial)
        self.assertClientError(
            lambda: self.iam.delete_virtual_mfa_device(SerialNumber=serial),
            "NoSuchEntity",
            404,
            message="VirtualMFADevice with serial number %s doesn't exist." % serial,
        )

    def test_enable_refuses_wrong_codes_with_invalid_authentication_code(self):
        user, _ = self.new_user()
        serial, seed, _ = self.new_device()
        self.assertClientError(
            lambda: self.iam.enable_mfa_device(
                UserName=user, SerialNumber=serial, AuthenticationCode1="000000", AuthenticationCode2="111111"
            ),
            "InvalidAuthenticationCode",
            403,
            message=INVALID_CODE,
        )
        # The same code twice is not two consecutive codes.
        self.assertClientError(
            lambda: self.iam.enable_mfa_device(
                UserName=user, SerialNumber=serial, AuthenticationCode1=totp(seed), AuthenticationCode2=totp(seed)
            ),
            "InvalidAuthenticationCode",
            403,
        )

    def test_a_device_in_use_cannot_be_enabled_for_another_user(self):
        alice, _ = self.new_user()
        bob, _ = self.new_user()
        serial, seed, _ = self.new_device()
        self.enable(alice, serial, seed)
        self.assertClientError(lambda: self.enable(bob, serial, seed), "EntityAlreadyExists", 409)

    def test_resync_accepts_a_drifted_device(self):
        user, _ = self.new_user()
        serial, seed, _ = self.new_device()
        self.enable(user, serial, seed)
        self.iam.resync_mfa_device(
            UserName=user, SerialNumber=serial, AuthenticationCode1=totp(seed, -6), AuthenticationCode2=totp(seed, -5)
        )

    def test_tags(self):
        serial, _, _ = self.new_device(Tags=[{"Key": "owner", "Value": "ops"}])
        self.iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "env", "Value": "prod"}])
        tags = self.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]
        self.assertEqual(tags, [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": "ops"}])
        self.iam.untag_mfa_device(SerialNumber=serial, TagKeys=["owner"])
        self.assertEqual(self.iam.list_mfa_device_tags(SerialNumber=serial)["Tags"], [{"Key": "env", "Value": "prod"}])

    def test_pagination_of_virtual_devices(self):
        for _ in range(3):
            self.new_device()
        pages = list(self.iam.get_paginator("list_virtual_mfa_devices").paginate(PaginationConfig={"PageSize": 2}))
        self.assertGreaterEqual(len(pages), 2)
        serials = [d["SerialNumber"] for p in pages for d in p["VirtualMFADevices"]]
        self.assertEqual(len(serials), len(set(serials)))


class CliDeviceTest(MfaTestCase):
    def test_cli_writes_the_qr_code_and_seed_files_and_enables_the_device(self):
        user, _ = self.new_user()
        with tempfile.TemporaryDirectory() as tmp:
            png_path = os.path.join(tmp, "qr.png")
            r = cli(
                "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", unique("cli"),
                "--outfile", png_path, "--bootstrap-method", "QRCodePNG",
            )
            serial = self.assertCliOk(r)["VirtualMFADevice"]["SerialNumber"]
            with open(png_path, "rb") as f:
                self.assertEqual(f.read(8), PNG_SIGNATURE)

            seed_path = os.path.join(tmp, "seed.txt")
            r = cli(
                "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", unique("cli"),
                "--outfile", seed_path, "--bootstrap-method", "Base32StringSeed",
            )
            serial2 = self.assertCliOk(r)["VirtualMFADevice"]["SerialNumber"]
            with open(seed_path) as f:
                seed = f.read().strip()
        self.assertEqual(len(seed), 64)
        self.assertCliOk(
            cli(
                "iam", "enable-mfa-device", "--user-name", user, "--serial-number", serial2,
                "--authentication-code1", totp(seed, -1), "--authentication-code2", totp(seed),
            )
        )
        listed = self.assertCliOk(cli("iam", "list-mfa-devices", "--user-name", user))
        self.assertEqual([d["SerialNumber"] for d in listed["MFADevices"]], [serial2])
        r = cli(
            "iam", "enable-mfa-device", "--user-name", user, "--serial-number", serial,
            "--authentication-code1", "123456", "--authentication-code2", "654321",
        )
        self.assertCliError(r, "InvalidAuthenticationCode", INVALID_CODE)


class GetSessionTokenMfaTest(MfaTestCase):
    def test_right_code_issues_a_session_and_a_wrong_one_is_access_denied(self):
        user, key = self.new_user()
        serial, seed, _ = self.new_device()
        self.enable(user, serial, seed)
        sts = client(key["AccessKeyId"], key["SecretAccessKey"], service="sts")

        creds = sts.get_session_token(SerialNumber=serial, TokenCode=totp(seed))["Credentials"]
        as_session = client(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"], service="sts")
        self.assertEqual(
            as_session.get_caller_identity()["Arn"], "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, user)
        )

        self.assertClientError(
            lambda: sts.get_session_token(SerialNumber=serial, TokenCode="000000"),
            "AccessDenied",
            403,
            message=MFA_INVALID_OTP,
        )
        self.assertClientError(
            lambda: sts.get_session_token(
                SerialNumber="arn:aws:iam::%s:mfa/not-mine" % DEFAULT_ACCOUNT, TokenCode=totp(seed)
            ),
            "AccessDenied",
            403,
            message=MFA_UNKNOWN_DEVICE,
        )

    def test_another_users_device_is_refused(self):
        alice, _ = self.new_user()
        _, bob_key = self.new_user()
        serial, seed, _ = self.new_device()
        self.enable(alice, serial, seed)
        bob = client(bob_key["AccessKeyId"], bob_key["SecretAccessKey"], service="sts")
        self.assertClientError(
            lambda: bob.get_session_token(SerialNumber=serial, TokenCode=totp(seed)),
            "AccessDenied",
            403,
            message=MFA_UNKNOWN_DEVICE,
        )

    def test_codes_go_stale_as_the_server_clock_moves(self):
        user, key = self.new_user()
        serial, seed, _ = self.new_device()
        self.enable(user, serial, seed)
        sts = client(key["AccessKeyId"], key["SecretAccessKey"], service="sts")
        code_now = totp(seed)
        set_clock(300)  # five minutes on: today's code is ten steps old
        self.assertClientError(
            lambda: sts.get_session_token(SerialNumber=serial, TokenCode=code_now), "AccessDenied", 403,
            message=MFA_INVALID_OTP,
        )
        # The code the device shows at the server's time is accepted.
        sts.get_session_token(SerialNumber=serial, TokenCode=totp(seed, at=time.time() + 300))

    def test_cli_get_session_token_with_mfa(self):
        user, key = self.new_user()
        serial, seed, _ = self.new_device()
        self.enable(user, serial, seed)
        r = cli(
            "sts", "get-session-token", "--serial-number", serial, "--token-code", totp(seed),
            access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"],
        )
        self.assertTrue(self.assertCliOk(r)["Credentials"]["AccessKeyId"].startswith("ASIA"))
        r = cli(
            "sts", "get-session-token", "--serial-number", serial, "--token-code", "000000",
            access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"],
        )
        self.assertCliError(r, "AccessDenied")


class MfaProtectedAdminRoleTest(MfaTestCase):
    """Seed scenario: an Admin role that only a named user may assume, and only
    with MFA (Bool aws:MultiFactorAuthPresent = true in the trust policy)."""

    def setUp(self):
        self.user, self.key = self.new_user(unique("deepak.dev"))
        self.serial, self.seed, _ = self.new_device(self.user)
        self.enable(self.user, self.serial, self.seed)
        self.role = unique("Admin")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, self.user)},
                    "Action": "sts:AssumeRole",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            ],
        }
        self.role_arn = self.iam.create_role(RoleName=self.role, AssumeRolePolicyDocument=json.dumps(trust))["Role"][
            "Arn"
        ]
        self.iam.attach_role_policy(RoleName=self.role, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        self.sts = client(self.key["AccessKeyId"], self.key["SecretAccessKey"], service="sts")

    def test_boto3_without_mfa_is_refused(self):
        self.assertClientError(
            lambda: self.sts.assume_role(RoleArn=self.role_arn, RoleSessionName="no-mfa"), "AccessDenied", 403
        )

    def test_boto3_with_serial_number_and_token_code(self):
        out = self.sts.assume_role(
            RoleArn=self.role_arn, RoleSessionName="with-mfa", SerialNumber=self.serial, TokenCode=totp(self.seed)
        )
        self.assertEqual(
            out["AssumedRoleUser"]["Arn"],
            "arn:aws:sts::%s:assumed-role/%s/with-mfa" % (DEFAULT_ACCOUNT, self.role),
        )

    def test_boto3_with_a_wrong_code_is_refused(self):
        self.assertClientError(
            lambda: self.sts.assume_role(
                RoleArn=self.role_arn, RoleSessionName="bad", SerialNumber=self.serial, TokenCode="000000"
            ),
            "AccessDenied",
            403,
            message=MFA_INVALID_OTP,
        )

    def run_profile(self, profile, stdin_text):
        with tempfile.TemporaryDirectory() as tmp:
            config_path = os.path.join(tmp, "config")
            with open(config_path, "w") as f:
                f.write(
                    "[profile dev]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = %s\n\n"
                    "[profile admin]\nrole_arn = %s\nsource_profile = dev\nmfa_serial = %s\n"
                    "role_session_name = cli-mfa\nregion = %s\n\n"
                    "[profile admin-no-mfa]\nrole_arn = %s\nsource_profile = dev\nregion = %s\n"
                    % (self.key["AccessKeyId"], self.key["SecretAccessKey"], REGION, self.role_arn, self.serial,
                       REGION, self.role_arn, REGION)
                )
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update(
                {
                    "AWS_CONFIG_FILE": config_path,
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "credentials"),
                    # Used by the command and by the provider's own STS client.
                    "AWS_ENDPOINT_URL": harness.endpoint(),
                    "AWS_MAX_ATTEMPTS": "1",
                    "AWS_PAGER": "",
                    "HOME": tmp,  # no cached credentials from earlier runs
                }
            )
            # A new session has no controlling terminal, so the MFA prompt
            # (getpass) reads the code from stdin as it would from a pipe.
            return subprocess.run(
                ["aws", "sts", "get-caller-identity", "--profile", profile, "--output", "json"],
                env=env, input=stdin_text, capture_output=True, text=True, timeout=60, start_new_session=True,
            )

    def test_cli_profile_with_mfa_serial_reads_the_code_and_assumes_the_role(self):
        p = self.run_profile("admin", totp(self.seed) + "\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(
            json.loads(p.stdout)["Arn"], "arn:aws:sts::%s:assumed-role/%s/cli-mfa" % (DEFAULT_ACCOUNT, self.role)
        )

    def test_cli_profile_with_a_wrong_code_or_without_mfa_is_refused(self):
        p = self.run_profile("admin", "000000\n")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessDenied", p.stderr)
        p = self.run_profile("admin-no-mfa", "")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessDenied", p.stderr)


class EnforcedMfaTest(unittest.TestCase):
    """In enforce mode MFA shows in the request context: a policy that allows
    only with aws:MultiFactorAuthPresent lets an MFA session through and
    refuses the long-term key; the MFA-protected role works the same."""

    @classmethod
    def setUpClass(cls):
        cls.srv = harness.Server(["--auth", "enforce", "--log-level", "warn"]).start()

    @classmethod
    def tearDownClass(cls):
        code, out = cls.srv.stop()
        harness.check_clean_exit(code, out)

    def client(self, service, key="test", secret="test", token=None):
        import boto3
        from botocore.config import Config

        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
        ).client(service, endpoint_url=self.srv.url, config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    def user_with_device(self, policy=None):
        iam = self.client("iam")
        name = unique("enf-user")
        iam.create_user(UserName=name)
        if policy:
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
        seed = device["Base32StringSeed"].decode("ascii")
        iam.enable_mfa_device(
            UserName=name, SerialNumber=device["SerialNumber"], AuthenticationCode1=totp(seed, -1),
            AuthenticationCode2=totp(seed),
        )
        return name, key, device["SerialNumber"], seed

    def assertDenied(self, fn):
        from botocore.exceptions import ClientError

        with self.assertRaises(ClientError) as cm:
            fn()
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_a_policy_requiring_mfa_allows_only_the_mfa_session(self):
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "iam:ListUsers",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            ],
        }
        _, key, serial, seed = self.user_with_device(policy)
        long_term = self.client("iam", key["AccessKeyId"], key["SecretAccessKey"])
        self.assertDenied(lambda: long_term.list_users())
        sts = self.client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        plain = sts.get_session_token()["Credentials"]
        # Without MFA a session token may not call IAM at all: AWS answers as
        # for an invalid token, before any policy is read.
        from botocore.exceptions import ClientError

        with self.assertRaises(ClientError) as cm:
            self.client("iam", plain["AccessKeyId"], plain["SecretAccessKey"], plain["SessionToken"]).list_users()
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidClientTokenId")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        mfa = sts.get_session_token(SerialNumber=serial, TokenCode=totp(seed))["Credentials"]
        self.client("iam", mfa["AccessKeyId"], mfa["SecretAccessKey"], mfa["SessionToken"]).list_users()

    def test_mfa_protected_role_needs_the_code(self):
        name, key, serial, seed = self.user_with_device()
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, name)},
                    "Action": "sts:AssumeRole",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            ],
        }
        role_arn = self.client("iam").create_role(RoleName=unique("Admin"), AssumeRolePolicyDocument=json.dumps(trust))[
            "Role"
        ]["Arn"]
        sts = self.client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        self.assertDenied(lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName="no"))
        sts.assume_role(RoleArn=role_arn, RoleSessionName="yes", SerialNumber=serial, TokenCode=totp(seed))


if __name__ == "__main__":
    unittest.main()
