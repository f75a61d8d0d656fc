"""The seed scenarios end to end, in `enforce` mode with two accounts (a dev
account, the default 000000000000 with root test/test, and a production or
partner account 111111111111 declared in the config file): a developer
assumes a role; cross-account access; role switching into production with an
aws-cli profile (role_arn, source_profile, role_session_name,
duration_seconds); ExternalId for a third party; an MFA-protected admin role;
session policies and session tags narrowing what the session may do."""

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

import harness
from harness import DEFAULT_ACCOUNT, IamTestCase, client, doc, unique

PROD = "111111111111"
PROD_KEY, PROD_SECRET = "AKIAPRODROOTEXAMPLE1", "prod-root-secret"
_config_dir = None


def setUpModule():  # noqa: N802
    global _config_dir
    _config_dir = tempfile.TemporaryDirectory()
    path = os.path.join(_config_dir.name, "iamlocal.json")
    with open(path, "w") as f:
        json.dump({"accounts": [{"id": PROD, "root_access_key": PROD_KEY, "root_secret_key": PROD_SECRET}]}, f)
    harness._server = harness.Server(["--auth", "enforce", "--config", path, "--log-level", "warn"]).start()


def tearDownModule():  # noqa: N802
    harness.tearDownModule()
    _config_dir.cleanup()


def totp(seed_base32, offset_steps=0):
    key = base64.b32decode(seed_base32)
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30) + offset_steps), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def trust(principal, condition=None):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return doc({"Version": "2012-10-17", "Statement": [statement]})


def allow(action, resource="*"):
    return doc({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


def denied(caller, role_arn):
    return "User: %s is not authorized to perform: sts:AssumeRole on resource: %s" % (caller, role_arn)


def creds_client(creds, service="iam"):
    return client(access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                  session_token=creds["SessionToken"], service=service)


class SeedScenarioTest(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prod = client(access_key=PROD_KEY, secret_key=PROD_SECRET)

    def user(self, name=None, iam=None):
        iam = iam or self.iam
        name = name or unique("dev")
        arn = iam.create_user(UserName=name)["User"]["Arn"]
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return name, arn, key

    def assumer_sts(self):
        """STS for a user whose own policy allows assuming roles: AWS (and
        enforce mode) refuse the account root."""
        name, _, key = self.user()
        self.iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=allow(
            ["sts:AssumeRole", "sts:TagSession"]))
        return self.sts_for(key)

    def sts_for(self, key):
        return client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"], service="sts")

    def cli_with_profiles(self, profiles, key, *args, stdin=None):
        """The real `aws` command with a config file of role profiles over a
        `dev` profile holding the user's long-term key."""
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(tmp, "config")
            with open(config, "w") as f:
                f.write("[profile dev]\nregion = us-east-1\n")
                for name, settings in profiles.items():
                    f.write("[profile %s]\nsource_profile = dev\nregion = us-east-1\n" % name)
                    f.write("".join("%s = %s\n" % kv for kv in settings.items()))
            credentials = os.path.join(tmp, "credentials")
            with open(credentials, "w") as f:
                f.write("[dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                        % (key["AccessKeyId"], key["SecretAccessKey"]))
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            # AWS_ENDPOINT_URL reaches the profile's own STS client too; HOME
            # keeps aws-cli's credential cache out of other runs.
            env.update({"AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_PAGER": "",
                        "AWS_MAX_ATTEMPTS": "1", "AWS_ENDPOINT_URL": harness.endpoint(), "HOME": tmp})
            p = subprocess.run(["aws"] + list(args) + ["--output", "json"],
                               env=env, input=stdin, capture_output=True, text=True, timeout=60,
                               start_new_session=stdin is not None)
            return harness.CliResult(p.returncode, p.stdout, p.stderr)

    # ------------------------------------------------------------ seed 000
    def test_developer_assumes_a_role_named_in_its_trust_policy(self):
        name, dev_arn, key = self.user("DevA-" + unique("x"))
        role = self.iam.create_role(RoleName=unique("DevAccessRole"), AssumeRolePolicyDocument=trust({"AWS": dev_arn}))
        role_arn = role["Role"]["Arn"]
        self.iam.attach_role_policy(RoleName=role["Role"]["RoleName"],
                                    PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        dev_iam = client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        # DevA has no permissions of its own...
        self.assertClientError(dev_iam.list_roles, "AccessDenied", 403)
        # ...but the trust policy names it: no identity policy needed in its own account.
        creds = self.sts_for(key).assume_role(RoleArn=role_arn, RoleSessionName="deva")["Credentials"]
        session = creds_client(creds)
        self.assertIn(role_arn, [r["Arn"] for r in session.list_roles()["Roles"]])
        me = creds_client(creds, "sts").get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:sts::%s:assumed-role/%s/deva" % (DEFAULT_ACCOUNT, role["Role"]["RoleName"]))
        # The role is read-only.
        self.assertClientError(lambda: session.create_user(UserName=unique("nope")), "AccessDenied", 403)

    def test_trust_in_the_account_also_needs_the_users_assume_role_permission(self):
        name, dev_arn, key = self.user()
        role_arn = self.iam.create_role(RoleName=unique("AdminAccessRole"),
                                        AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT})
                                        )["Role"]["Arn"]
        self.assertClientError(lambda: self.sts_for(key).assume_role(RoleArn=role_arn, RoleSessionName="elevated"),
                               "AccessDenied", 403, message=denied(dev_arn, role_arn))
        self.iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=allow("sts:AssumeRole", role_arn))
        r = self.cli_with_profiles({"admin": {"role_arn": role_arn, "role_session_name": "elevated-access"}}, key,
                                   "sts", "get-caller-identity", "--profile", "admin")
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.json["Arn"].endswith(":assumed-role/%s/elevated-access" % role_arn.split("/")[-1]), r)

    # ------------------------------------------------------------ seed 002
    def test_cross_account_role_needs_trust_and_the_users_permission(self):
        role_name = unique("CrossAccountS3ReadOnly")
        role_arn = self.prod.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust(
            {"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT}))["Role"]["Arn"]
        self.prod.put_role_policy(RoleName=role_name, PolicyName="read-roles",
                                  PolicyDocument=allow(["iam:GetRole", "iam:ListRoles"]))
        name, dev_arn, key = self.user()
        dev_sts = self.sts_for(key)
        # Trusted by the other account, but nothing in its own account lets it ask.
        self.assertClientError(lambda: dev_sts.assume_role(RoleArn=role_arn, RoleSessionName="deepakSession"),
                               "AccessDenied", 403, message=denied(dev_arn, role_arn))
        self.iam.put_user_policy(UserName=name, PolicyName="cross", PolicyDocument=allow("sts:AssumeRole", role_arn))
        out = dev_sts.assume_role(RoleArn=role_arn, RoleSessionName="deepakSession")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::%s:assumed-role/%s/deepakSession" % (PROD, role_name))
        session = creds_client(out["Credentials"])
        self.assertEqual(session.get_role(RoleName=role_name)["Role"]["Arn"], role_arn)
        self.assertEqual(creds_client(out["Credentials"], "sts").get_caller_identity()["Account"], PROD)
        # A role that trusts only another account is closed to this one.
        other = self.prod.create_role(RoleName=unique("closed"), AssumeRolePolicyDocument=trust(
            {"AWS": "arn:aws:iam::222222222222:root"}))["Role"]["Arn"]
        self.iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=allow("sts:AssumeRole"))
        self.assertClientError(lambda: dev_sts.assume_role(RoleArn=other, RoleSessionName="x1"), "AccessDenied", 403,
                               message=denied(dev_arn, other))

    # ------------------------------------------------------------ seed 000: switching into production
    def test_role_switching_into_production_with_a_cli_profile(self):
        role_name = unique("ProdAdminRole")
        name, dev_arn, key = self.user("DevA-" + unique("p"))
        role_arn = self.prod.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust({"AWS": dev_arn}),
                                         MaxSessionDuration=7200)["Role"]["Arn"]
        self.iam.put_user_policy(UserName=name, PolicyName="prod", PolicyDocument=allow("sts:AssumeRole", role_arn))
        profiles = {
            "prod": {"role_arn": role_arn, "role_session_name": "deva-prod", "duration_seconds": "7200"},
            "too-long": {"role_arn": role_arn, "duration_seconds": "7201"},
        }
        r = self.cli_with_profiles(profiles, key, "sts", "get-caller-identity", "--profile", "prod")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.json["Arn"], "arn:aws:sts::%s:assumed-role/%s/deva-prod" % (PROD, role_name))
        self.assertEqual(r.json["Account"], PROD)
        r = self.cli_with_profiles(profiles, key, "sts", "get-caller-identity", "--profile", "too-long")
        self.assertNotEqual(r.rc, 0, r)
        self.assertIn("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", r.stderr)

    # ------------------------------------------------------------ seed 001/002: ExternalId
    def test_third_party_needs_the_exact_external_id(self):
        vendor_name, vendor_arn, vendor_key = self.user(iam=self.prod)
        self.prod.put_user_policy(UserName=vendor_name, PolicyName="assume",
                                  PolicyDocument=allow("sts:AssumeRole"))
        role_name = unique("VendorAuditRole")
        role_arn = self.iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust(
            {"AWS": "arn:aws:iam::%s:root" % PROD},
            {"StringEquals": {"sts:ExternalId": "my-secret-external-id-1234"}}))["Role"]["Arn"]
        vendor = self.sts_for(vendor_key)
        for kw in ({}, {"ExternalId": "wrong-id-0000"}, {"ExternalId": "MY-SECRET-EXTERNAL-ID-1234"}):
            self.assertClientError(lambda: vendor.assume_role(RoleArn=role_arn, RoleSessionName="audit", **kw),
                                   "AccessDenied", 403, message=denied(vendor_arn, role_arn))
        out = vendor.assume_role(RoleArn=role_arn, RoleSessionName="audit", ExternalId="my-secret-external-id-1234")
        self.assertEqual(out["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::%s:assumed-role/%s/audit" % (DEFAULT_ACCOUNT, role_name))
        # The same through an aws-cli profile with external_id.
        profiles = {"vendor": {"role_arn": role_arn, "external_id": "my-secret-external-id-1234"},
                    "vendor-wrong": {"role_arn": role_arn, "external_id": "guess-guess"}}
        r = self.cli_with_profiles(profiles, vendor_key, "sts", "get-caller-identity", "--profile", "vendor")
        self.assertEqual(r.rc, 0, r)
        self.assertIn(":assumed-role/%s/" % role_name, r.json["Arn"])
        r = self.cli_with_profiles(profiles, vendor_key, "sts", "get-caller-identity", "--profile", "vendor-wrong")
        self.assertNotEqual(r.rc, 0, r)
        self.assertIn("AccessDenied", r.stderr)

    # ------------------------------------------------------------ seed 001/003: MFA
    def test_mfa_protected_admin_role(self):
        name, dev_arn, key = self.user()
        self.iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=allow("sts:AssumeRole"))
        role_arn = self.iam.create_role(RoleName=unique("Admin"), AssumeRolePolicyDocument=trust(
            {"AWS": dev_arn}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}))["Role"]["Arn"]
        device = self.iam.create_virtual_mfa_device(VirtualMFADeviceName=unique("phone"))["VirtualMFADevice"]
        serial, seed = device["SerialNumber"], device["Base32StringSeed"].decode("ascii")
        self.iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1=totp(seed, -1),
                                   AuthenticationCode2=totp(seed))
        dev_sts = self.sts_for(key)
        self.assertClientError(lambda: dev_sts.assume_role(RoleArn=role_arn, RoleSessionName="admin"),
                               "AccessDenied", 403, message=denied(dev_arn, role_arn))
        wrong = "%06d" % ((int(totp(seed, 1)) + 1) % 1000000)
        self.assertClientError(lambda: dev_sts.assume_role(RoleArn=role_arn, RoleSessionName="admin",
                                                           SerialNumber=serial, TokenCode=wrong), "AccessDenied", 403)
        out = dev_sts.assume_role(RoleArn=role_arn, RoleSessionName="admin", SerialNumber=serial,
                                  TokenCode=totp(seed, 1))
        self.assertTrue(out["AssumedRoleUser"]["Arn"].endswith("/admin"))

    # ------------------------------------------------------------ session policies and tags
    def test_session_policy_narrows_the_roles_permissions(self):
        role_name = unique("ReadOnly")
        role_arn = self.iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust(
            {"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT}))["Role"]["Arn"]
        self.iam.attach_role_policy(RoleName=role_name, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        sts = self.assumer_sts()
        narrowed = creds_client(sts.assume_role(RoleArn=role_arn, RoleSessionName="narrow",
                                                Policy=allow("iam:ListUsers"))["Credentials"])
        narrowed.list_users()
        err = self.assertClientError(narrowed.list_roles, "AccessDenied", 403)
        self.assertIn("is not authorized to perform: iam:ListRoles", err.response["Error"]["Message"])
        # A session policy cannot grant what the role lacks.
        wide = creds_client(sts.assume_role(RoleArn=role_arn, RoleSessionName="wide",
                                            Policy=allow("iam:*"))["Credentials"])
        self.assertClientError(lambda: wide.create_user(UserName=unique("nope")), "AccessDenied", 403)
        # Without a session policy the role's own permissions apply.
        whole = creds_client(sts.assume_role(RoleArn=role_arn, RoleSessionName="whole")["Credentials"])
        whole.list_roles()

    def test_the_account_root_cannot_assume_a_role(self):
        role_arn = self.iam.create_role(RoleName=unique("Any"), AssumeRolePolicyDocument=trust(
            {"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT}))["Role"]["Arn"]
        err = self.assertClientError(
            lambda: client(service="sts").assume_role(RoleArn=role_arn, RoleSessionName="root"), "AccessDenied", 403)
        self.assertEqual(err.response["Error"]["Message"], "Roles may not be assumed by root accounts.")

    def test_session_tags_are_principal_tags_of_the_session(self):
        role_name = unique("Tagged")
        role_arn = self.iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=doc({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT},
                "Action": ["sts:AssumeRole", "sts:TagSession"]}]}),
            Tags=[{"Key": "team", "Value": "red"}])["Role"]["Arn"]
        self.iam.put_role_policy(RoleName=role_name, PolicyName="blue-only", PolicyDocument=doc({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}]}))
        sts = self.assumer_sts()
        # The role's own tag says red; the session tag overrides it.
        red = creds_client(sts.assume_role(RoleArn=role_arn, RoleSessionName="red")["Credentials"])
        self.assertClientError(red.list_users, "AccessDenied", 403)
        blue = creds_client(sts.assume_role(RoleArn=role_arn, RoleSessionName="blue",
                                            Tags=[{"Key": "team", "Value": "blue"}])["Credentials"])
        blue.list_users()


if __name__ == "__main__":
    unittest.main()
