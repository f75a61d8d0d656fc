"""The AWS SDK for JavaScript v3, unmodified, against the real binary in
`--auth verify` and `--auth enforce`: the node scripts in tests/e2e/js (ES
modules that print JSON) sign IAM, STS and EC2 requests with the SDK's own
SigV4 signer, read its parsed answers, and report errors as the SDK's typed
exceptions; this module starts the servers, prepares users and roles with
boto3 and asserts on what the scripts print. It also gets an instance's role
credentials through the SDK's instance-metadata provider and a task role's through
its container-credentials provider.

Needs node (18 or later) and the packages pinned in tests/e2e/js/package-lock.json
installed in tests/e2e/js/node_modules; scripts/test.sh installs both. Without
them this module fails (it does not skip), saying what to run."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import boto3
from botocore.config import Config

import harness
from harness import REGION, TRUST_EC2, check_clean_exit, doc, unique

ACCOUNT = harness.DEFAULT_ACCOUNT
JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")
SDK_PACKAGES = ("client-iam", "client-sts", "client-ec2", "credential-providers")
INSTALL_HINT = ("run scripts/test.sh, which installs them (or scripts/install-deps.sh, then "
                "`npm ci` in tests/e2e/js)")

# The instance the metadata service answers for at /latest/: declared in the
# config so it exists from start-up; its profile is created by the test. The
# JavaScript SDK keeps only the scheme, host and port of
# AWS_EC2_METADATA_SERVICE_ENDPOINT (it drops a path such as
# /_iamlocal/instances/<id>/), so it is reached as the server's default
# instance (--imds-instance) at the root.
INSTANCE = "i-0e2e0a5d0a5d0a5d0"
INSTANCE_PROFILE = "js-instance-profile"
INSTANCE_ROLE = "js-instance-role"
# The ECS task role served at /_iamlocal/container-credentials (made by the test).
CONTAINER_ROLE = "js-container-role"
CONTAINER_TOKEN = "js-container-token"

_tmp = tempfile.mkdtemp(prefix="iamlocal-js-")
CONFIG = os.path.join(_tmp, "config.json")
with open(CONFIG, "w") as f:
    json.dump({"instances": [{"id": INSTANCE, "instance_profile": INSTANCE_PROFILE}]}, f)
EMPTY = os.path.join(_tmp, "empty")
open(EMPTY, "w").close()

SIGNATURE_MISMATCH = ("The request signature we calculated does not match the signature you provided. "
                      "Check your AWS Secret Access Key and signing method. "
                      "Consult the service documentation for details.")
INVALID_TOKEN = "The security token included in the request is invalid."

_servers = {}


def server(mode):
    s = _servers.get(mode)
    if s is None:
        s = _servers[mode] = harness.Server(
            ["--auth", mode, "--log-level", "warn", "--config", CONFIG, "--imds-instance", INSTANCE,
             "--container-role", CONTAINER_ROLE, "--container-token", CONTAINER_TOKEN]
        ).start()
    return s


def check_node():
    """Raises with what to run when node or the SDK packages are missing."""
    node = shutil.which("node")
    if node is None:
        raise AssertionError("node is not installed, so the JavaScript SDK tests cannot run: " + INSTALL_HINT)
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < 18:
        raise AssertionError("node %s is too old for the AWS SDK for JavaScript v3 (18 or later): %s"
                             % (version, INSTALL_HINT))
    missing = [p for p in SDK_PACKAGES
               if not os.path.isfile(os.path.join(JS_DIR, "node_modules", "@aws-sdk", p, "package.json"))]
    if missing:
        raise AssertionError("tests/e2e/js/node_modules lacks @aws-sdk/%s: %s" % (", @aws-sdk/".join(missing),
                                                                                  INSTALL_HINT))


def setUpModule():  # noqa: N802
    check_node()


def tearDownModule():  # noqa: N802
    servers = list(_servers.values())
    _servers.clear()
    for s in servers:
        code, out = s.stop()
        check_clean_exit(code, out)


def boto(srv, service="iam"):
    return boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION).client(
        service, endpoint_url=srv.url,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30))


def node_env(srv, extra=None):
    """No AWS_* from the caller's shell and no config files: the scripts see
    only what a test gives them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"IAMLOCAL_ENDPOINT": srv.url, "AWS_CONFIG_FILE": EMPTY, "AWS_SHARED_CREDENTIALS_FILE": EMPTY,
                "AWS_REGION": REGION})
    env.update(extra or {})
    return env


def keys(access_key, secret):
    return {"accessKeyId": access_key, "secretAccessKey": secret}


ROOT = keys("test", "test")


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def denied(principal_arn, action, resource):
    """AWS's AccessDenied text when no identity-based policy allows the action."""
    return ("User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows "
            "the %s action" % (principal_arn, action, resource, action))


class JsSdkTests:
    """The same expectations in every auth mode; subclasses name the mode."""

    mode = None
    maxDiff = 6000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.srv = server(cls.mode)
        cls.iam = boto(cls.srv)
        # A user allowed IAM, EC2 and AssumeRole: in enforce mode its requests
        # pass authorization, so what is shown is the SDK's signing and parsing.
        cls.admin = unique("js-admin")
        cls.admin_arn = cls.iam.create_user(UserName=cls.admin)["User"]["Arn"]
        cls.iam.put_user_policy(UserName=cls.admin, PolicyName="admin",
                                PolicyDocument=policy(allow(["iam:*", "ec2:*", "sts:AssumeRole"])))
        k = cls.iam.create_access_key(UserName=cls.admin)["AccessKey"]
        cls.admin_keys = keys(k["AccessKeyId"], k["SecretAccessKey"])

    def js(self, script, payload, env=None):
        """Runs tests/e2e/js/<script> with `payload` as its JSON argument and
        returns what it printed, failing with its output if it broke."""
        p = subprocess.run(["node", script, json.dumps(payload)], cwd=JS_DIR, env=node_env(self.srv, env),
                           capture_output=True, text=True, timeout=120)
        lines = p.stdout.strip().splitlines()
        result = json.loads(lines[-1]) if lines else None
        if p.returncode != 0 or result is None or "fatal" in result:
            self.fail("node %s exited %d\nstdout: %s\nstderr: %s" % (script, p.returncode, p.stdout[-4000:],
                                                                   p.stderr[-4000:]))
        return result

    def call(self, service, command, credentials, input=None):
        return self.js("call.mjs", {"service": service, "command": command, "input": input or {},
                                    "credentials": credentials})

    def assertSdkError(self, result, name, status, message=None, modeled=None):
        """`result` is {"error": ...} as lib.mjs describes an SDK exception."""
        self.assertIn("error", result, result)
        err = result["error"]
        self.assertEqual((err["name"], err["status"], err["fault"]), (name, status, "client"), err)
        self.assertTrue(err["serviceException"], err)
        self.assertTrue(err["requestId"], err)
        if modeled is not None:
            self.assertEqual(err["modeled"], modeled, err)
        if message is not None:
            self.assertEqual(err["message"], message)
        return err

    # ------------------------------------------------------------------ IAM
    def test_iam_users_created_listed_in_pages_and_read_with_typed_errors(self):
        prefix = unique("jsu")
        role = unique("js-role")
        trust = policy({"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"})
        r = self.js("iam_users.mjs", {"credentials": self.admin_keys, "prefix": prefix, "count": 5, "pageSize": 2,
                                      "roleName": role, "trustPolicy": trust})
        names = ["%s-%d" % (prefix, i) for i in range(5)]
        for i, user in enumerate(r["created"]):
            self.assertEqual(user["UserName"], names[i])
            self.assertEqual(user["Arn"], "arn:aws:iam::%s:user/%s/%s" % (ACCOUNT, prefix, names[i]))
            self.assertRegex(user["UserId"], r"^AIDA[A-Z0-9]{17}$")
            self.assertEqual(user["Tags"], [{"Key": "n", "Value": str(i)}])
            self.assertTrue(user["createDateIsDate"], user)
        # The paginator follows Marker until IsTruncated is false.
        self.assertEqual([p["names"] for p in r["pages"]], [names[0:2], names[2:4], names[4:5]])
        self.assertEqual([(p["isTruncated"], p["hasMarker"]) for p in r["pages"]],
                         [(True, True), (True, True), (False, False)])
        self.assertEqual(r["got"]["UserId"], r["created"][0]["UserId"])
        self.assertEqual(r["got"]["CreateDate"], r["created"][0]["CreateDate"])

        self.assertSdkError(r["missingUser"], "NoSuchEntityException", 404,
                            "The user with name %s-missing cannot be found." % prefix, modeled=True)
        self.assertSdkError(r["duplicate"], "EntityAlreadyExistsException", 409,
                            "User with name %s already exists." % names[0], modeled=True)
        self.assertEqual(r["typedChecks"], {"noSuchEntity": True, "entityAlreadyExists": True})

        self.assertEqual(r["role"]["Arn"], "arn:aws:iam::%s:role/%s" % (ACCOUNT, role))
        self.assertRegex(r["role"]["RoleId"], r"^AROA[A-Z0-9]{17}$")
        self.assertEqual(r["gotRole"]["RoleId"], r["role"]["RoleId"])
        self.assertEqual(r["gotRole"]["MaxSessionDuration"], 3600)
        self.assertEqual(r["gotRole"]["trustPolicy"], json.loads(trust))
        self.assertSdkError(r["missingRole"], "NoSuchEntityException", 404,
                            "The role with name %s-missing cannot be found." % role, modeled=True)

    # ------------------------------------------------------------------ STS
    def test_root_caller_identity(self):
        r = self.call("sts", "GetCallerIdentity", ROOT)
        self.assertEqual(r["ok"]["status"], 200)
        self.assertEqual(r["ok"]["output"], {"UserId": ACCOUNT, "Account": ACCOUNT,
                                             "Arn": "arn:aws:iam::%s:root" % ACCOUNT})

    def test_assume_role_then_calls_with_temporary_credentials_and_session_token(self):
        role = unique("js-assumed")
        trust = policy({"Effect": "Allow", "Principal": {"AWS": self.admin_arn}, "Action": "sts:AssumeRole"})
        role_arn = self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        role_id = self.iam.get_role(RoleName=role)["Role"]["RoleId"]
        self.iam.put_role_policy(RoleName=role, PolicyName="read", PolicyDocument=policy(allow("iam:GetRole")))
        session_arn = "arn:aws:sts::%s:assumed-role/%s/js-session" % (ACCOUNT, role)

        r = self.js("sts_sessions.mjs", {"credentials": self.admin_keys, "roleArn": role_arn, "roleName": role,
                                         "sessionName": "js-session"})
        admin_id = self.iam.get_user(UserName=self.admin)["User"]["UserId"]
        self.assertEqual(r["caller"], {"Arn": self.admin_arn, "Account": ACCOUNT, "UserId": admin_id})

        self.assertEqual(r["assumeRole"]["AssumedRoleUser"],
                         {"Arn": session_arn, "AssumedRoleId": role_id + ":js-session"})
        creds = r["assumeRole"]["Credentials"]
        self.assertRegex(creds["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertTrue(creds["hasSecret"] and creds["hasSessionToken"] and creds["expirationIsDate"], creds)
        # Signed with the session's key and token: STS and IAM both accept it.
        self.assertEqual(r["asRole"], {"Arn": session_arn, "Account": ACCOUNT, "UserId": role_id + ":js-session"})
        self.assertEqual(r["iamAsRole"], {"ok": {"Arn": role_arn}})

        # fromTemporaryCredentials made its own AssumeRole call.
        self.assertRegex(r["provider"]["accessKeyId"], r"^ASIA")
        self.assertNotEqual(r["provider"]["accessKeyId"], creds["AccessKeyId"])
        self.assertTrue(r["provider"]["expirationIsDate"])
        self.assertEqual(r["provider"]["identity"]["Arn"],
                         "arn:aws:sts::%s:assumed-role/%s/js-session-provider" % (ACCOUNT, role))

        # GetSessionToken: temporary keys that still act as the user.
        token = r["sessionToken"]
        self.assertRegex(token["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertTrue(token["hasSecret"] and token["hasSessionToken"] and token["expirationIsDate"], token)
        self.assertEqual(r["asSession"]["Arn"], self.admin_arn)

    # ------------------------------------------------------------------ EC2
    def test_ec2_run_and_describe_instances_over_the_ec2_protocol(self):
        role = unique("js-ec2-role")
        profile = unique("js-ec2-profile")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_EC2))
        profile_arn = self.iam.create_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Arn"]
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
        tag = unique("js-app")

        r = self.js("ec2_instances.mjs", {"credentials": self.admin_keys, "profileName": profile, "count": 6,
                                          "tagValue": tag, "pageSize": 5})
        self.assertRegex(r["run"]["ReservationId"], r"^r-[0-9a-f]{17}$")
        self.assertEqual(r["run"]["OwnerId"], ACCOUNT)
        launched = r["run"]["Instances"]
        ids = [i["InstanceId"] for i in launched]
        self.assertEqual(len(set(ids)), 6)
        for inst in launched:
            self.assertRegex(inst["InstanceId"], r"^i-[0-9a-f]{17}$")
            self.assertEqual(inst["State"], {"Code": 0, "Name": "pending"})
            self.assertEqual((inst["InstanceType"], inst["ImageId"]), ("t3.micro", "ami-12345678"))
            self.assertEqual(inst["IamInstanceProfile"]["Arn"], profile_arn)
            self.assertEqual(inst["Tags"], [{"Key": "Name", "Value": tag}])
            self.assertEqual(inst["MetadataOptions"]["HttpTokens"], "required")
            self.assertTrue(inst["launchTimeIsDate"], inst)

        self.assertEqual(sorted(i["InstanceId"] for i in r["byId"]), sorted(ids))
        self.assertTrue(all(i["IamInstanceProfile"]["Arn"] == profile_arn for i in r["byId"]), r["byId"])
        self.assertEqual(sorted(r["byTag"]), sorted(ids))
        # MaxResults 5 and NextToken, followed by the SDK's paginator.
        self.assertEqual([len(p) for p in r["pages"]], [5, 1])
        self.assertEqual(sorted(sum(r["pages"], [])), sorted(ids))

        # EC2 has no modeled errors: the SDK's EC2ServiceException named by the code.
        self.assertSdkError(r["missing"], "InvalidInstanceID.NotFound", 400,
                            "The instance ID 'i-0123456789abcdef0' does not exist", modeled=False)

    # ------------------------------------------------------------ signatures
    def test_wrong_secret_is_signature_does_not_match(self):
        wrong = keys(self.admin_keys["accessKeyId"], "not-the-secret")
        for service, command in (("sts", "GetCallerIdentity"), ("iam", "ListUsers")):
            with self.subTest(service=service):
                err = self.assertSdkError(self.call(service, command, wrong), "SignatureDoesNotMatch", 403,
                                          modeled=False)
                self.assertTrue(err["message"].startswith(SIGNATURE_MISMATCH), err["message"])
                # AWS's text then shows the canonical request it computed:
                # the one the JavaScript SDK signed, with its own headers.
                self.assertIn("x-amz-user-agent:aws-sdk-js/", err["message"])
                self.assertIn("/us-east-1/%s/aws4_request" % service, err["message"])

    def test_unknown_access_key_is_invalid_client_token_id(self):
        unknown = keys("AKIAJSSDKUNKNOWNKEY0", "whatever")
        for service, command in (("sts", "GetCallerIdentity"), ("iam", "ListUsers")):
            with self.subTest(service=service):
                self.assertSdkError(self.call(service, command, unknown), "InvalidClientTokenId", 403,
                                    INVALID_TOKEN, modeled=False)

    # ------------------------------------------------------ instance metadata
    def test_instance_metadata_provider_yields_the_instance_roles_session(self):
        # One server per mode, so the declared instance's profile is made here once.
        self.iam.create_role(RoleName=INSTANCE_ROLE, AssumeRolePolicyDocument=doc(TRUST_EC2))
        self.iam.put_role_policy(RoleName=INSTANCE_ROLE, PolicyName="read", PolicyDocument=policy(allow("iam:GetRole")))
        self.iam.create_instance_profile(InstanceProfileName=INSTANCE_PROFILE)
        self.iam.add_role_to_instance_profile(InstanceProfileName=INSTANCE_PROFILE, RoleName=INSTANCE_ROLE)
        role_arn = "arn:aws:iam::%s:role/%s" % (ACCOUNT, INSTANCE_ROLE)
        role_id = self.iam.get_role(RoleName=INSTANCE_ROLE)["Role"]["RoleId"]
        session_arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, INSTANCE_ROLE, INSTANCE)

        r = self.js("imds_credentials.mjs", {"roleName": INSTANCE_ROLE},
                    env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": self.srv.url + "/"})
        creds = r["credentials"]
        self.assertRegex(creds["accessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertTrue(creds["hasSessionToken"] and creds["expirationIsDate"], creds)
        identity = {"Arn": session_arn, "Account": ACCOUNT, "UserId": role_id + ":" + INSTANCE}
        for how in ("explicit", "defaultChain"):
            with self.subTest(provider=how):
                self.assertEqual(r[how]["identity"], identity)
                self.assertEqual(r[how]["getRole"], {"ok": {"Arn": role_arn}})
                if self.mode == "verify":
                    # verify authenticates only: the role session may list users.
                    self.assertGreaterEqual(r[how]["listUsers"]["ok"]["count"], 1, r[how])
                else:
                    # enforce: the role's policy allows iam:GetRole and nothing else.
                    self.assertSdkError(r[how]["listUsers"], "AccessDenied", 403, denied(session_arn, "iam:ListUsers",
                                        "arn:aws:iam::%s:user/" % ACCOUNT), modeled=False)

    def test_container_metadata_provider_yields_the_task_roles_session(self):
        trust = policy({"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:AssumeRole"})
        self.iam.create_role(RoleName=CONTAINER_ROLE, AssumeRolePolicyDocument=trust)
        env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": self.srv.url + "/_iamlocal/container-credentials",
               "AWS_CONTAINER_AUTHORIZATION_TOKEN": CONTAINER_TOKEN}
        r = self.js("container_credentials.mjs", {}, env=env)
        self.assertRegex(r["credentials"]["accessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertTrue(r["credentials"]["hasSessionToken"] and r["credentials"]["expirationIsDate"], r)
        self.assertEqual(r["identity"]["Account"], ACCOUNT)
        self.assertRegex(r["identity"]["Arn"],
                         r"^arn:aws:sts::%s:assumed-role/%s/[\w+=,.@-]+$" % (ACCOUNT, CONTAINER_ROLE))
        # The endpoint answers 403 to another token, and the provider fails.
        wrong = self.js("container_credentials.mjs", {"wrongToken": True}, env=env)
        self.assertEqual(wrong["providerError"]["statusCode"], 403, wrong)


class VerifyModeTest(JsSdkTests, unittest.TestCase):
    mode = "verify"


class EnforceModeTest(JsSdkTests, unittest.TestCase):
    mode = "enforce"

    def new_user_without_policies(self):
        name = unique("js-nobody")
        arn = self.iam.create_user(UserName=name)["User"]["Arn"]
        k = self.iam.create_access_key(UserName=name)["AccessKey"]
        return arn, keys(k["AccessKeyId"], k["SecretAccessKey"])

    def test_denials_are_access_denied_403_with_awss_text(self):
        arn, creds = self.new_user_without_policies()
        self.assertSdkError(self.call("iam", "ListUsers", creds), "AccessDenied", 403,
                            denied(arn, "iam:ListUsers", "arn:aws:iam::%s:user/" % ACCOUNT), modeled=False)
        # Authorization comes before existence: AccessDenied, not NoSuchEntity.
        self.assertSdkError(self.call("iam", "GetRole", creds, {"RoleName": "no-such-role"}), "AccessDenied", 403,
                            denied(arn, "iam:GetRole", "arn:aws:iam::%s:role/no-such-role" % ACCOUNT), modeled=False)

        role = unique("js-trusting-account")
        role_arn = self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=policy(
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]
        # Trusting the account delegates to the caller's own policies, which allow nothing.
        self.assertSdkError(
            self.call("sts", "AssumeRole", creds, {"RoleArn": role_arn, "RoleSessionName": "js-denied"}),
            "AccessDenied", 403,
            "User: %s is not authorized to perform: sts:AssumeRole on resource: %s" % (arn, role_arn),
            modeled=False)

        err = self.assertSdkError(self.call("ec2", "DescribeInstances", creds), "UnauthorizedOperation", 403,
                                  modeled=False)
        self.assertTrue(err["message"].startswith("You are not authorized to perform this operation. User: %s "
                                                  "is not authorized to perform: ec2:DescribeInstances" % arn),
                        err["message"])

    def test_the_same_user_is_allowed_once_a_policy_grants_the_action(self):
        arn, creds = self.new_user_without_policies()
        name = arn.rsplit("/", 1)[1]
        self.assertEqual(self.call("iam", "GetUser", creds, {"UserName": name})["error"]["name"], "AccessDenied")
        self.iam.put_user_policy(UserName=name, PolicyName="self", PolicyDocument=policy(allow("iam:GetUser", arn)))
        r = self.call("iam", "GetUser", creds, {"UserName": name})
        self.assertEqual(r["ok"]["status"], 200)
        self.assertEqual(r["ok"]["output"]["User"]["Arn"], arn)
        # Only on itself.
        self.assertSdkError(self.call("iam", "GetUser", creds, {"UserName": self.admin}), "AccessDenied", 403,
                            modeled=False)


if __name__ == "__main__":
    unittest.main()
