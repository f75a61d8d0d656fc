"""The remaining STS operations through boto3 and aws-cli: GetFederationToken
(the federated user, its durations, session policies, refusal of session
credentials; what its credentials may call: no IAM in the modes that check
credentials, no STS but GetCallerIdentity; in enforce mode permissions that
are the user's, or a root-made federated user's the root's, intersected with
the passed policies), AssumeRoot (a short session as a member
account's root, scoped by a root task policy) and DecodeAuthorizationMessage
(refusing messages iamlocal did not issue)."""

import datetime
import json
import unittest

import harness
from harness import DEFAULT_ACCOUNT, OTHER_ACCOUNT, IamTestCase, check_clean_exit, cli, client, setUpModule, tearDownModule, unique  # noqa: F401

ALLOW_LIST_USERS = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}
)
ALLOW_DESCRIBE_INSTANCES = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]}
)
INVALID_TOKEN = "The security token included in the request is invalid."
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
AUDIT_TASK = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"


def lifetime(creds):
    return (creds["Expiration"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()


def session_client(creds, service="sts", srv=None):
    if srv is None:
        return client(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"], service=service)
    import boto3
    from botocore.config import Config

    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=harness.REGION,
    ).client(service, endpoint_url=srv.url, config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


class GetFederationTokenTest(IamTestCase):
    def user_sts(self):
        name = unique("broker")
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        return name, client(key["AccessKeyId"], key["SecretAccessKey"], service="sts")

    def test_federated_user_and_caller_identity(self):
        _, sts = self.user_sts()
        out = sts.get_federation_token(Name="carol", Policy=ALLOW_LIST_USERS)
        self.assertEqual(out["FederatedUser"]["FederatedUserId"], "%s:carol" % DEFAULT_ACCOUNT)
        self.assertEqual(out["FederatedUser"]["Arn"], "arn:aws:sts::%s:federated-user/carol" % DEFAULT_ACCOUNT)
        self.assertIn("PackedPolicySize", out)
        creds = out["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertTrue(43000 <= lifetime(creds) <= 43210, lifetime(creds))  # 12 hours by default
        me = session_client(creds).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:sts::%s:federated-user/carol" % DEFAULT_ACCOUNT)
        self.assertEqual(me["UserId"], "%s:carol" % DEFAULT_ACCOUNT)
        self.assertEqual(me["Account"], DEFAULT_ACCOUNT)

    def test_root_sessions_last_at_most_an_hour(self):
        creds = client(service="sts").get_federation_token(Name="rooted", DurationSeconds=7200)["Credentials"]
        self.assertTrue(3500 <= lifetime(creds) <= 3610, lifetime(creds))

    def test_session_credentials_are_refused(self):
        _, sts = self.user_sts()
        creds = sts.get_session_token()["Credentials"]
        self.assertClientError(
            lambda: session_client(creds).get_federation_token(Name="carol"),
            "AccessDenied",
            403,
            message="Cannot call GetFederationToken with session credentials",
        )

    def test_its_credentials_may_call_no_sts_operation_but_get_caller_identity(self):
        _, sts = self.user_sts()
        creds = sts.get_federation_token(Name="limited", Policy=ALLOW_LIST_USERS)["Credentials"]
        role_arn = self.iam.create_role(
            RoleName=unique("fed-target"),
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )["Role"]["Arn"]
        fed = session_client(creds)
        self.assertEqual(fed.get_caller_identity()["Arn"], "arn:aws:sts::%s:federated-user/limited" % DEFAULT_ACCOUNT)
        for op, call in [
            ("AssumeRole", lambda: fed.assume_role(RoleArn=role_arn, RoleSessionName="sess")),
            ("GetSessionToken", lambda: fed.get_session_token()),
            ("GetFederationToken", lambda: fed.get_federation_token(Name="again")),
            ("DecodeAuthorizationMessage", lambda: fed.decode_authorization_message(EncodedMessage="x")),
        ]:
            with self.subTest(op):
                self.assertClientError(call, "AccessDenied", 403, message="Cannot call %s with session credentials" % op)

    def test_bad_input_is_refused_with_aws_errors(self):
        _, sts = self.user_sts()
        self.assertClientError(
            lambda: sts.get_federation_token(Name="carol", Policy="{not json"), "MalformedPolicyDocument", 400
        )
        unvalidated = client(service="sts", validate=False)
        self.assertClientError(lambda: unvalidated.get_federation_token(Name="c"), "ValidationError", 400)
        self.assertClientError(
            lambda: unvalidated.get_federation_token(Name="carol", DurationSeconds=600), "ValidationError", 400
        )

    def test_cli_get_federation_token(self):
        r = cli("sts", "get-federation-token", "--name", "cli-fed", "--policy-arns", "arn=" + ADMIN)
        out = self.assertCliOk(r)
        self.assertEqual(out["FederatedUser"]["Arn"], "arn:aws:sts::%s:federated-user/cli-fed" % DEFAULT_ACCOUNT)


class EnforceModeTest(unittest.TestCase):
    """In enforce mode a federated user may do what both its user's policies
    and the session policies allow, and nothing without a session policy; an
    EC2 refusal's encoded message decodes with DecodeAuthorizationMessage."""

    @classmethod
    def setUpClass(cls):
        cls.srv = harness.Server(["--auth", "enforce", "--log-level", "warn"]).start()
        import boto3
        from botocore.config import Config

        cls.root_iam = boto3.session.Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name=harness.REGION
        ).client("iam", endpoint_url=cls.srv.url, config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    @classmethod
    def tearDownClass(cls):
        code, out = cls.srv.stop()
        check_clean_exit(code, out)

    def federation(self, **kw):
        import boto3

        name = unique("broker")
        self.root_iam.create_user(UserName=name)
        self.root_iam.attach_user_policy(UserName=name, PolicyArn=ADMIN)
        key = self.root_iam.create_access_key(UserName=name)["AccessKey"]
        sts = boto3.session.Session(
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
            region_name=harness.REGION,
        ).client("sts", endpoint_url=self.srv.url)
        return sts.get_federation_token(Name="fed", **kw)["Credentials"]

    def assertDenied(self, fn):
        from botocore.exceptions import ClientError

        with self.assertRaises(ClientError) as cm:
            fn()
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def assertUnauthorized(self, fn):
        from botocore.exceptions import ClientError

        with self.assertRaises(ClientError) as cm:
            fn()
        self.assertEqual(cm.exception.response["Error"]["Code"], "UnauthorizedOperation")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def root_federation(self, **kw):
        import boto3

        sts = boto3.session.Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name=harness.REGION
        ).client("sts", endpoint_url=self.srv.url)
        return sts.get_federation_token(Name="rooted", **kw)["Credentials"]

    def test_the_session_policy_narrows_the_users_permissions(self):
        ec2 = session_client(self.federation(Policy=ALLOW_DESCRIBE_INSTANCES), "ec2", self.srv)
        ec2.describe_instances()
        self.assertUnauthorized(lambda: ec2.describe_iam_instance_profile_associations())

    def test_without_session_policies_nothing_is_allowed(self):
        ec2 = session_client(self.federation(), "ec2", self.srv)
        self.assertUnauthorized(lambda: ec2.describe_instances())

    def test_a_federated_user_of_the_root_has_the_roots_permissions_within_the_session_policies(self):
        # "Permissions for GetFederationToken": AWS recommends against it,
        # but the root's federated user has the root's permissions,
        # intersected with the passed policies.
        ec2 = session_client(self.root_federation(Policy=ALLOW_DESCRIBE_INSTANCES), "ec2", self.srv)
        ec2.describe_instances()
        self.assertUnauthorized(lambda: ec2.describe_iam_instance_profile_associations())
        admin = session_client(self.root_federation(PolicyArns=[{"arn": ADMIN}]), "ec2", self.srv)
        admin.describe_instances()
        admin.describe_iam_instance_profile_associations()
        bare = session_client(self.root_federation(), "ec2", self.srv)
        self.assertUnauthorized(lambda: bare.describe_instances())

    def test_iam_answers_its_credentials_as_an_invalid_token_whatever_they_allow(self):
        from botocore.exceptions import ClientError

        for creds in (self.federation(PolicyArns=[{"arn": ADMIN}]), self.root_federation(PolicyArns=[{"arn": ADMIN}])):
            iam = session_client(creds, "iam", self.srv)
            with self.assertRaises(ClientError) as cm:
                iam.list_users()
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidClientTokenId")
            self.assertEqual(cm.exception.response["Error"]["Message"], INVALID_TOKEN)
            self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
            sts = session_client(creds, "sts", self.srv)
            self.assertEqual(sts.get_caller_identity()["Account"], DEFAULT_ACCOUNT)
            with self.assertRaises(ClientError) as cm:
                sts.get_access_key_info(AccessKeyId=creds["AccessKeyId"])
            self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
            self.assertEqual(
                cm.exception.response["Error"]["Message"], "Cannot call GetAccessKeyInfo with session credentials"
            )


    def test_an_ec2_refusal_decodes_into_its_authorization_context(self):
        import re

        import boto3
        from botocore.exceptions import ClientError

        name = unique("no-ec2")
        self.root_iam.create_user(UserName=name)
        key = self.root_iam.create_access_key(UserName=name)["AccessKey"]
        ec2 = boto3.session.Session(
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
            region_name=harness.REGION,
        ).client("ec2", endpoint_url=self.srv.url)
        with self.assertRaises(ClientError) as cm:
            ec2.describe_instances()
        self.assertEqual(cm.exception.response["Error"]["Code"], "UnauthorizedOperation")
        m = re.search(r"Encoded authorization failure message: (\S+)", cm.exception.response["Error"]["Message"])
        self.assertIsNotNone(m, cm.exception.response)
        root_sts = boto3.session.Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name=harness.REGION
        ).client("sts", endpoint_url=self.srv.url)
        decoded = json.loads(root_sts.decode_authorization_message(EncodedMessage=m.group(1))["DecodedMessage"])
        self.assertFalse(decoded["allowed"])
        self.assertFalse(decoded["explicitDeny"])
        self.assertEqual(decoded["context"]["action"], "ec2:DescribeInstances")
        self.assertEqual(decoded["context"]["principal"]["arn"], "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, name))
        self.assertEqual(decoded["context"]["principal"]["name"], name)
        keys = [c["key"] for c in decoded["context"]["conditions"]["items"]]
        self.assertTrue(any(k.lower() == "aws:username" for k in keys), keys)


class AssumeRootTest(IamTestCase):
    def admin_sts(self):
        name = unique("admin")
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        return name, client(key["AccessKeyId"], key["SecretAccessKey"], service="sts")

    def test_issues_a_short_session_as_the_member_accounts_root(self):
        name, sts = self.admin_sts()
        out = sts.assume_root(TargetPrincipal=OTHER_ACCOUNT, TaskPolicyArn={"arn": AUDIT_TASK})
        self.assertTrue(0 < lifetime(out["Credentials"]) <= 905, lifetime(out["Credentials"]))
        self.assertEqual(out["SourceIdentity"], "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, name))
        me = session_client(out["Credentials"]).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:iam::%s:root" % OTHER_ACCOUNT)
        self.assertEqual(me["Account"], OTHER_ACCOUNT)

    def test_refuses_other_policies_long_durations_and_root_callers(self):
        _, sts = self.admin_sts()
        self.assertClientError(
            lambda: sts.assume_root(TargetPrincipal=OTHER_ACCOUNT, TaskPolicyArn={"arn": ADMIN}), "ValidationError", 400
        )
        self.assertClientError(
            lambda: client(service="sts", validate=False).assume_root(
                TargetPrincipal=OTHER_ACCOUNT, TaskPolicyArn={"arn": AUDIT_TASK}, DurationSeconds=3600
            ),
            "ValidationError",
            400,
        )
        self.assertClientError(
            lambda: client(service="sts").assume_root(TargetPrincipal=OTHER_ACCOUNT, TaskPolicyArn={"arn": AUDIT_TASK}),
            "AccessDenied",
            403,
        )

    def test_cli_assume_root(self):
        name = unique("admin")
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        r = cli(
            "sts", "assume-root", "--target-principal", OTHER_ACCOUNT, "--task-policy-arn", "arn=" + AUDIT_TASK,
            access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"],
        )
        self.assertTrue(self.assertCliOk(r)["Credentials"]["AccessKeyId"].startswith("ASIA"))


class DecodeAuthorizationMessageTest(IamTestCase):
    def test_messages_iamlocal_did_not_issue_are_invalid(self):
        self.assertClientError(
            lambda: client(service="sts").decode_authorization_message(EncodedMessage="not-a-message"),
            "InvalidAuthorizationMessageException",
            400,
            message="Message is not valid",
        )
        r = cli("sts", "decode-authorization-message", "--encoded-message", "abc")
        self.assertCliError(r, "InvalidAuthorizationMessageException", "Message is not valid")


if __name__ == "__main__":
    unittest.main()
