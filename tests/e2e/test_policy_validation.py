"""Every IAM write that takes a policy document rejects bad ones as AWS does,
through boto3 and aws-cli: MalformedPolicyDocument (400) with AWS's message
for the first problem, LimitExceeded (409) past the size quotas.
Paths: CreatePolicy, CreatePolicyVersion, PutUserPolicy, PutGroupPolicy,
PutRolePolicy, CreateRole and UpdateAssumeRolePolicy."""

import json

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401


def policy(*statements, version="2012-10-17"):
    return doc({"Version": version, "Statement": list(statements)})


# Permissions policies (managed and inline): document -> AWS's message.
PERMISSION_CASES = [
    ("not JSON", harness.NOT_JSON, "Syntax errors in policy."),
    ("JSON that is not an object", "[1, 2]", "Syntax errors in policy."),
    ("no Statement", doc({"Version": "2012-10-17"}), "Syntax errors in policy."),
    ("unknown element", doc({"Version": "2012-10-17", "Statment": []}), "Syntax errors in policy."),
    ("unknown version", policy({"Effect": "Allow", "Action": "*", "Resource": "*"}, version="2012-10-18"),
     "Syntax errors in policy."),
    ("bad Effect", policy({"Effect": "Permit", "Action": "*", "Resource": "*"}), "Syntax errors in policy."),
    ("unknown condition operator",
     policy({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEqualz": {"aws:username": "a"}}}),
     "Syntax errors in policy."),
    ("Effect in the wrong case", policy({"Effect": "allow", "Action": "*", "Resource": "*"}),
     "The policy failed legacy parsing"),
    ("a Principal", policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}),
     "Policy document should not specify a principal."),
    ("duplicate Sid", policy({"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"},
                             {"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*"}),
     "Statement IDs (SID) in a single policy must be unique."),
    ("no Action", policy({"Effect": "Allow", "Resource": "*"}), "Policy statement must contain actions."),
    ("no Resource", policy({"Effect": "Allow", "Action": "s3:*"}), "Policy statement must contain resources."),
    ("action without a vendor", policy({"Effect": "Allow", "Action": "GetObject", "Resource": "*"}),
     "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    ("action with two colons", policy({"Effect": "Allow", "Action": "s3:Get:Object", "Resource": "*"}),
     "Actions/Condition can contain only one colon."),
    ("resource that is not an ARN", policy({"Effect": "Allow", "Action": "s3:*", "Resource": "my-bucket/*"}),
     'Resource my-bucket/* must be in ARN format or "*".'),
]

TRUST_OK = doc(harness.TRUST_EC2)
TRUST_CASES = [
    ("not JSON", "{{", "This policy contains invalid Json"),
    ("no principal", policy({"Effect": "Allow", "Action": "sts:AssumeRole"}),
     "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a "
     "statement with no principals!"),
    ("another action", policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                               "Action": ["sts:AssumeRole", "s3:GetObject"]}),
     "AssumeRole policy may only specify STS AssumeRole actions."),
    ("a Resource", policy({"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole",
                           "Resource": "*"}), "Has prohibited field Resource."),
    ("an invalid AWS principal", policy({"Effect": "Allow", "Principal": {"AWS": "alice"}, "Action": "sts:AssumeRole"}),
     'Invalid principal in policy: "AWS":"alice"'),
]


def sized(chars):
    """A valid permissions policy of exactly `chars` characters, whitespace
    not counted (as IAM counts them)."""
    base = policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::"})
    pad = chars - len(base.replace(" ", ""))
    assert pad > 0
    return policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * pad})


def sized_trust(chars):
    base = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/"},
                   "Action": "sts:AssumeRole"})
    pad = chars - len(base.replace(" ", ""))
    return policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/" + "r" * pad},
                   "Action": "sts:AssumeRole"})


class Writers:
    """Each write path as a boto3 call and as aws-cli arguments."""

    def __init__(self, iam):
        self.iam = iam
        self.user, self.group, self.role = unique("v-user"), unique("v-group"), unique("v-role")
        iam.create_user(UserName=self.user)
        iam.create_group(GroupName=self.group)
        iam.create_role(RoleName=self.role, AssumeRolePolicyDocument=TRUST_OK)
        self.policy_arn = iam.create_policy(PolicyName=unique("v-policy"), PolicyDocument=doc(harness.ALLOW_ALL))[
            "Policy"]["Arn"]

    def permission_paths(self):
        iam = self.iam
        return {
            "CreatePolicy": (lambda d: iam.create_policy(PolicyName=unique("p"), PolicyDocument=d),
                             lambda d: ["create-policy", "--policy-name", unique("p"), "--policy-document", d]),
            "CreatePolicyVersion": (lambda d: iam.create_policy_version(PolicyArn=self.policy_arn, PolicyDocument=d),
                                    lambda d: ["create-policy-version", "--policy-arn", self.policy_arn,
                                               "--policy-document", d]),
            "PutUserPolicy": (lambda d: iam.put_user_policy(UserName=self.user, PolicyName="x", PolicyDocument=d),
                              lambda d: ["put-user-policy", "--user-name", self.user, "--policy-name", "x",
                                         "--policy-document", d]),
            "PutGroupPolicy": (lambda d: iam.put_group_policy(GroupName=self.group, PolicyName="x", PolicyDocument=d),
                               lambda d: ["put-group-policy", "--group-name", self.group, "--policy-name", "x",
                                          "--policy-document", d]),
            "PutRolePolicy": (lambda d: iam.put_role_policy(RoleName=self.role, PolicyName="x", PolicyDocument=d),
                              lambda d: ["put-role-policy", "--role-name", self.role, "--policy-name", "x",
                                         "--policy-document", d]),
        }

    def trust_paths(self):
        iam = self.iam
        return {
            "CreateRole": (lambda d: iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=d),
                           lambda d: ["create-role", "--role-name", unique("r"), "--assume-role-policy-document", d]),
            "UpdateAssumeRolePolicy": (lambda d: iam.update_assume_role_policy(RoleName=self.role, PolicyDocument=d),
                                       lambda d: ["update-assume-role-policy", "--role-name", self.role,
                                                  "--policy-document", d]),
        }


class MalformedDocuments(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writers = Writers(cls.iam)

    def test_permission_policies_with_boto3(self):
        for path, (write, _) in self.writers.permission_paths().items():
            for name, document, message in PERMISSION_CASES:
                with self.subTest(path=path, case=name):
                    self.assertClientError(lambda: write(document), "MalformedPolicyDocument", 400, message=message)

    def test_permission_policies_with_cli(self):
        for path, (_, args) in self.writers.permission_paths().items():
            for name, document, message in PERMISSION_CASES:
                with self.subTest(path=path, case=name):
                    self.assertCliError(harness.cli("iam", *args(document)), "MalformedPolicyDocument", message)

    def test_trust_policies_with_boto3_and_cli(self):
        for path, (write, args) in self.writers.trust_paths().items():
            for name, document, message in TRUST_CASES:
                with self.subTest(path=path, case=name, client="boto3"):
                    self.assertClientError(lambda: write(document), "MalformedPolicyDocument", 400, message=message)
                with self.subTest(path=path, case=name, client="cli"):
                    self.assertCliError(harness.cli("iam", *args(document)), "MalformedPolicyDocument", message)

    def test_nothing_was_written(self):
        self.assertEqual(len(self.iam.list_policy_versions(PolicyArn=self.writers.policy_arn)["Versions"]), 1)
        for kind, fn, key in (("user", self.iam.list_user_policies, "UserName"),
                              ("group", self.iam.list_group_policies, "GroupName"),
                              ("role", self.iam.list_role_policies, "RoleName")):
            with self.subTest(kind=kind):
                self.assertEqual(fn(**{key: getattr(self.writers, kind)})["PolicyNames"], [])
        trust = self.iam.get_role(RoleName=self.writers.role)["Role"]["AssumeRolePolicyDocument"]
        self.assertEqual(trust, harness.TRUST_EC2)

    def test_real_aws_command_reports_the_message(self):
        r = harness.cli_subprocess("iam", "create-policy", "--policy-name", unique("p"), "--policy-document",
                                   PERMISSION_CASES[8][1])
        self.assertCliError(r, "MalformedPolicyDocument", "Policy document should not specify a principal.")


class SizeQuotas(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writers = Writers(cls.iam)

    def test_managed_policy_quota_is_6144_characters_without_whitespace(self):
        for path in ("CreatePolicy", "CreatePolicyVersion"):
            write, args = self.writers.permission_paths()[path]
            with self.subTest(path=path, client="boto3"):
                self.assertClientError(lambda: write(sized(6145)), "LimitExceeded", 409,
                                       message="Cannot exceed quota for PolicySize: 6144")
            with self.subTest(path=path, client="cli"):
                self.assertCliError(harness.cli("iam", *args(sized(6145))), "LimitExceeded",
                                    "Cannot exceed quota for PolicySize: 6144")
        # Whitespace does not count: 6,144 characters pass however indented.
        text = json.dumps(json.loads(sized(6144)), indent=8)
        self.iam.create_policy(PolicyName=unique("big"), PolicyDocument=text)

    def test_inline_quota_is_per_entity_and_counts_its_other_policies(self):
        for kind, limit in (("User", 2048), ("Group", 5120), ("Role", 10240)):
            write, args = self.writers.permission_paths()["Put%sPolicy" % kind]
            entity = getattr(self.writers, kind.lower())
            message = "Maximum policy size of %d bytes exceeded for %s %s" % (limit, kind.lower(), entity)
            with self.subTest(kind=kind, client="boto3"):
                self.assertClientError(lambda: write(sized(limit + 1)), "LimitExceeded", 409, message=message)
            with self.subTest(kind=kind, client="cli"):
                self.assertCliError(harness.cli("iam", *args(sized(limit + 1))), "LimitExceeded", message)
            with self.subTest(kind=kind, case="aggregate"):
                put = getattr(self.iam, "put_%s_policy" % kind.lower())
                put(**{kind + "Name": entity}, PolicyName="half", PolicyDocument=sized(limit // 2 + 10))
                self.assertClientError(
                    lambda: put(**{kind + "Name": entity}, PolicyName="other", PolicyDocument=sized(limit // 2)),
                    "LimitExceeded", 409, message=message)
                # Replacing a policy does not count its old text.
                put(**{kind + "Name": entity}, PolicyName="half", PolicyDocument=sized(limit // 2 + 20))

    def test_trust_policy_quota_is_2048_characters(self):
        for path, (write, args) in self.writers.trust_paths().items():
            with self.subTest(path=path, client="boto3"):
                self.assertClientError(lambda: write(sized_trust(2049)), "LimitExceeded", 409,
                                       message="Cannot exceed quota for ACLSizePerRole: 2048")
            with self.subTest(path=path, client="cli"):
                self.assertCliError(harness.cli("iam", *args(sized_trust(2049))), "LimitExceeded",
                                    "Cannot exceed quota for ACLSizePerRole: 2048")
        self.iam.update_assume_role_policy(RoleName=self.writers.role, PolicyDocument=sized_trust(2048))
