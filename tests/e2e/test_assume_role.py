"""AssumeRole through boto3 and aws-cli against the real binary (default
`accept` mode, where the trust policy alone decides): conditions on the
request (ExternalId, RoleSessionName, principal tags), session tags and
TransitiveTagKeys through a role chain, SourceIdentity, session policies,
and every refusal with AWS's code, HTTP status and message."""

import json
import os
import subprocess
import tempfile
import unittest

from harness import (  # noqa: F401 (setUpModule/tearDownModule are used by unittest)
    DEFAULT_ACCOUNT,
    IamTestCase,
    client,
    doc,
    endpoint,
    setUpModule,
    tearDownModule,
    unique,
)

ROOT = {"AWS": "arn:aws:iam::%s:root" % DEFAULT_ACCOUNT}


def statement(principal, action="sts:AssumeRole", condition=None, effect="Allow"):
    s = {"Effect": effect, "Principal": principal, "Action": action}
    if condition:
        s["Condition"] = condition
    return s


def trust(*statements):
    return doc({"Version": "2012-10-17", "Statement": list(statements)})


def denied(caller_arn, role_arn, action="sts:AssumeRole"):
    return "User: %s is not authorized to perform: %s on resource: %s" % (caller_arn, action, role_arn)


def policy_of_size(size):
    """A session policy of exactly `size` characters, without insignificant whitespace."""
    head = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::'
    tail = '"}]}'
    return head + "b" * (size - len(head) - len(tail)) + tail


def too_large(percent):
    return "Packed policy consumes %d%% of allotted space, please use smaller policy for session." % percent


def sts(**kw):
    return client(service="sts", **kw)


def session_sts(creds):
    return client(
        access_key=creds["AccessKeyId"],
        secret_key=creds["SecretAccessKey"],
        session_token=creds["SessionToken"],
        service="sts",
    )


class AssumeRoleTest(IamTestCase):
    def role(self, trust_doc, tags=None):
        kw = {"RoleName": unique("role"), "AssumeRolePolicyDocument": trust_doc}
        if tags:
            kw["Tags"] = tags
        return self.iam.create_role(**kw)["Role"]["Arn"]

    def user(self, tags=None):
        name = unique("user")
        kw = {"UserName": name}
        if tags:
            kw["Tags"] = tags
        arn = self.iam.create_user(**kw)["User"]["Arn"]
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        return arn, sts(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"]), key

    def test_conditions_on_external_id_session_name_and_principal_tags(self):
        user_arn, user_sts, _ = self.user(tags=[{"Key": "team", "Value": "blue"}])
        arn = self.role(trust(statement(ROOT, condition={
            "StringEquals": {"sts:ExternalId": "Ext-1", "aws:PrincipalTag/team": "blue"},
            "StringLike": {"sts:RoleSessionName": "ci-*"},
        })))
        for kw in ({"RoleSessionName": "ci-1"},
                   {"RoleSessionName": "ci-1", "ExternalId": "ext-1"},
                   {"RoleSessionName": "dev", "ExternalId": "Ext-1"}):
            self.assertClientError(lambda: user_sts.assume_role(RoleArn=arn, **kw), "AccessDenied", 403,
                                   message=denied(user_arn, arn))
        out = user_sts.assume_role(RoleArn=arn, RoleSessionName="ci-1", ExternalId="Ext-1")
        self.assertTrue(out["AssumedRoleUser"]["Arn"].endswith("/ci-1"))
        # The root of the account has no tags: refused by the same trust policy.
        self.assertClientError(lambda: sts().assume_role(RoleArn=arn, RoleSessionName="ci-1", ExternalId="Ext-1"),
                               "AccessDenied", 403)

    def test_session_tags_need_tag_session_and_answer_aws_errors(self):
        plain = self.role(trust(statement(ROOT)))
        tags = [{"Key": "Project", "Value": "Blue"}]
        self.assertClientError(lambda: sts().assume_role(RoleArn=plain, RoleSessionName="s1", Tags=tags),
                               "AccessDenied", 403,
                               message=denied("arn:aws:iam::%s:root" % DEFAULT_ACCOUNT, plain, "sts:TagSession"))
        arn = self.role(trust(statement(ROOT), statement(ROOT, "sts:TagSession",
                                                         {"StringEquals": {"aws:RequestTag/Project": "Blue"}})))
        out = sts().assume_role(RoleArn=arn, RoleSessionName="s1", Tags=tags)
        self.assertIn("PackedPolicySize", out)
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Tags=[{"Key": "Project", "Value": "Red"}]),
            "AccessDenied", 403)
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1",
                                      Tags=[{"Key": "Project", "Value": "Blue"}, {"Key": "project", "Value": "Blue"}]),
            "InvalidParameterValue", 400,
            message="Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Tags=tags, TransitiveTagKeys=["Cost"]),
            "InvalidParameterValue", 400,
            message="The specified transitive tag key must be included in the requested tags.")
        # The model's own limits: at most 50 tags.
        many = [{"Key": "k%d" % i, "Value": "v"} for i in range(51)]
        self.assertClientError(lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Tags=many),
                               "ValidationError", 400)

    def test_session_policy_and_tags_beyond_the_packed_limit_are_packed_policy_too_large(self):
        arn = self.role(trust(statement(ROOT, ["sts:AssumeRole", "sts:TagSession"])))
        tags = [{"Key": "tag-%02d" % i, "Value": "v" * 250} for i in range(9)]  # 256 bytes each
        # The limit is 2,048 bytes: reaching it is 100 %.
        self.assertEqual(sts().assume_role(RoleArn=arn, RoleSessionName="s1", Tags=tags[:8])["PackedPolicySize"], 100)
        self.assertEqual(
            sts().assume_role(RoleArn=arn, RoleSessionName="s1", Policy=policy_of_size(2048))["PackedPolicySize"], 100)
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Policy=policy_of_size(3072)),
            "PackedPolicyTooLarge", 400, message=too_large(150))
        self.assertClientError(lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Tags=tags),
                               "PackedPolicyTooLarge", 400, message=too_large(113))
        self.assertClientError(
            lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Policy=policy_of_size(1024), Tags=tags[:5]),
            "PackedPolicyTooLarge", 400, message=too_large(113))

    def test_transitive_tags_pass_through_a_chain_with_the_cli(self):
        first = self.role(trust(statement(ROOT), statement(ROOT, "sts:TagSession")))
        star = {"StringEquals": {"aws:PrincipalTag/Project": "Star"}}
        second = self.role(trust(statement({"AWS": first}, condition=star), statement({"AWS": first}, "sts:TagSession")))
        third = self.role(trust(statement({"AWS": second}, condition=star), statement({"AWS": second}, "sts:TagSession")))
        one = sts().assume_role(RoleArn=first, RoleSessionName="one",
                                Tags=[{"Key": "Project", "Value": "Star"}, {"Key": "Cost", "Value": "1"}],
                                TransitiveTagKeys=["Project"])["Credentials"]
        two = session_sts(one).assume_role(RoleArn=second, RoleSessionName="two")["Credentials"]
        # The second session passes Project on without being asked; overriding it is refused.
        self.assertClientError(
            lambda: session_sts(two).assume_role(RoleArn=third, RoleSessionName="three",
                                                 Tags=[{"Key": "project", "Value": "Moon"}]),
            "InvalidParameterValue", 400,
            message="One of the specified transitive tag keys can't be set because it conflicts with a transitive "
                    "tag key from the calling session.")
        with tempfile.TemporaryDirectory() as tmp:
            creds_file = os.path.join(tmp, "credentials")
            with open(creds_file, "w") as f:
                f.write("[chain]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n"
                        % (two["AccessKeyId"], two["SecretAccessKey"], two["SessionToken"]))
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({"AWS_SHARED_CREDENTIALS_FILE": creds_file, "AWS_CONFIG_FILE": os.path.join(tmp, "none"),
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": ""})
            p = subprocess.run(["aws", "sts", "assume-role", "--profile", "chain", "--role-arn", third,
                                "--role-session-name", "three", "--endpoint-url", endpoint(), "--output", "json"],
                               env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(json.loads(p.stdout)["AssumedRoleUser"]["Arn"].endswith("/three"))
        # A session without the transitive tag stops at the second role.
        bare = sts().assume_role(RoleArn=first, RoleSessionName="bare")["Credentials"]
        self.assertClientError(lambda: session_sts(bare).assume_role(RoleArn=second, RoleSessionName="two"),
                               "AccessDenied", 403)

    def test_source_identity_is_set_once_and_kept_along_the_chain(self):
        both = ["sts:AssumeRole", "sts:SetSourceIdentity"]
        first = self.role(trust(statement(ROOT, both)))
        second = self.role(trust(statement({"AWS": first}, both)))
        without = self.role(trust(statement({"AWS": first})))
        plain = self.role(trust(statement(ROOT)))
        self.assertClientError(lambda: sts().assume_role(RoleArn=plain, RoleSessionName="s1", SourceIdentity="alice"),
                               "AccessDenied", 403,
                               message=denied("arn:aws:iam::%s:root" % DEFAULT_ACCOUNT, plain, "sts:SetSourceIdentity"))
        out = sts().assume_role(RoleArn=first, RoleSessionName="s1", SourceIdentity="alice")
        self.assertEqual(out["SourceIdentity"], "alice")
        chained = session_sts(out["Credentials"])
        self.assertEqual(chained.assume_role(RoleArn=second, RoleSessionName="t1")["SourceIdentity"], "alice")
        session_arn = out["AssumedRoleUser"]["Arn"]
        self.assertClientError(lambda: chained.assume_role(RoleArn=without, RoleSessionName="t1"), "AccessDenied", 403,
                               message=denied(session_arn, without, "sts:SetSourceIdentity"))
        self.assertClientError(
            lambda: chained.assume_role(RoleArn=second, RoleSessionName="t1", SourceIdentity="mallory"),
            "AccessDenied", 403)
        self.assertClientError(
            lambda: client(service="sts", validate=False).assume_role(RoleArn=first, RoleSessionName="s1",
                                                                      SourceIdentity="a"),
            "ValidationError", 400,
            message="1 validation error detected: Value 'a' at 'sourceIdentity' failed to satisfy constraint: "
                    "Member must have length greater than or equal to 2")

    def test_session_policy_must_be_an_identity_policy(self):
        arn = self.role(trust(statement(ROOT)))
        ok = doc({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
        out = sts().assume_role(RoleArn=arn, RoleSessionName="s1", Policy=ok,
                                PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}])
        self.assertGreater(out["PackedPolicySize"], 0)
        self.assertClientError(lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Policy="{nope"),
                               "MalformedPolicyDocument", 400, message="Syntax errors in policy.")
        with_principal = doc({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]})
        self.assertClientError(lambda: sts().assume_role(RoleArn=arn, RoleSessionName="s1", Policy=with_principal),
                               "MalformedPolicyDocument", 400)

    def test_role_session_name_and_role_arn_are_validated_by_the_model(self):
        arn = self.role(trust(statement(ROOT)))
        self.assertClientError(
            lambda: client(service="sts", validate=False).assume_role(RoleArn=arn, RoleSessionName="bad name!"),
            "ValidationError", 400,
            message="1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to satisfy "
                    "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")
        self.assertClientError(
            lambda: client(service="sts", validate=False).assume_role(RoleArn=arn, RoleSessionName="x"),
            "ValidationError", 400,
            message="1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: "
                    "Member must have length greater than or equal to 2")


if __name__ == "__main__":
    unittest.main()
