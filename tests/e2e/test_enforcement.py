"""`--auth enforce`: every IAM and STS request is authorized by the policy
engine before its handler runs, with AWS's AccessDenied texts; `--auth soft`
decides the same but only logs what it would deny. The root creates users
with keys and gives them policies; the users' calls are then allowed or
denied as AWS would: identity policies, explicit denies, permissions
boundaries, tag conditions, AWS managed policies, and role sessions with their
session policies."""

import json
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

import harness
from harness import REGION, check_clean_exit, unique

ACCOUNT = harness.DEFAULT_ACCOUNT
_servers = {}


def server(mode):
    s = _servers.get(mode)
    if s is None:
        s = _servers[mode] = harness.Server(["--auth", mode, "--log-level", "warn"]).start()
    return s


def setUpModule():  # noqa: N802
    pass


def tearDownModule():  # noqa: N802
    servers = list(_servers.values())
    _servers.clear()
    for s in servers:
        code, out = s.stop()
        check_clean_exit(code, out)


def client(srv, service="iam", key="test", secret="test", token=None):
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
    ).client(
        service,
        endpoint_url=srv.url,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30),
    )


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", condition=None):
    st = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        st["Condition"] = condition
    return st


def deny(action, resource="*"):
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def denied(user_arn, action, resource, why=None):
    if why is None:
        why = "because no identity-based policy allows the %s action" % action
    return "User: %s is not authorized to perform: %s on resource: %s %s" % (user_arn, action, resource, why)


class EnforceTestCase(unittest.TestCase):
    mode = "enforce"
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.srv = server(cls.mode)
        cls.srv.reset()
        cls.root = client(cls.srv)

    def new_user(self, path="/", tags=None, **policies):
        """A user with an access key; returns (name, arn, iam client)."""
        name = unique("u")
        kw = {"UserName": name, "Path": path}
        if tags:
            kw["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        arn = self.root.create_user(**kw)["User"]["Arn"]
        for pname, doc in policies.items():
            self.root.put_user_policy(UserName=name, PolicyName=pname, PolicyDocument=doc)
        key = self.root.create_access_key(UserName=name)["AccessKey"]
        self.keys = getattr(self, "keys", {})
        self.keys[name] = key
        return name, arn, client(self.srv, key=key["AccessKeyId"], secret=key["SecretAccessKey"])

    def user_client(self, name, service):
        key = self.keys[name]
        return client(self.srv, service, key=key["AccessKeyId"], secret=key["SecretAccessKey"])

    def assertDenied(self, fn, message, code="AccessDenied"):
        with self.assertRaises(ClientError) as cm:
            fn()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code, cm.exception.response)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403, cm.exception.response)
        self.assertEqual(err["Message"], message)


class IdentityPoliciesTest(EnforceTestCase):
    def test_user_without_policies_is_denied_with_awss_text(self):
        name, arn, iam = self.new_user(path="/team/")
        self.assertEqual(arn, "arn:aws:iam::%s:user/team/%s" % (ACCOUNT, name))
        self.assertDenied(
            iam.list_users, denied(arn, "iam:ListUsers", "arn:aws:iam::%s:user/" % ACCOUNT)
        )
        # The user itself, named with its path.
        self.assertDenied(
            lambda: iam.get_user(UserName=name), denied(arn, "iam:GetUser", arn)
        )
        # Unknown entities are authorized first: AccessDenied, not NoSuchEntity.
        self.assertDenied(
            lambda: iam.get_role(RoleName="nope"),
            denied(arn, "iam:GetRole", "arn:aws:iam::%s:role/nope" % ACCOUNT),
        )

    def test_inline_allow_lets_exactly_its_actions_through(self):
        name, arn, iam = self.new_user(read=policy(allow("iam:ListUsers")))
        users = [u["UserName"] for u in iam.list_users()["Users"]]
        self.assertIn(name, users)
        self.assertDenied(iam.list_roles, denied(arn, "iam:ListRoles", "arn:aws:iam::%s:role/" % ACCOUNT))

    def test_explicit_deny_wins_over_allow(self):
        name, arn, iam = self.new_user(all=policy(allow("iam:*")), no=policy(deny("iam:DeleteUser")))
        victim = unique("victim")
        self.root.create_user(UserName=victim)
        self.assertDenied(
            lambda: iam.delete_user(UserName=victim),
            denied(arn, "iam:DeleteUser", "arn:aws:iam::%s:user/%s" % (ACCOUNT, victim),
                   "with an explicit deny in an identity-based policy"),
        )
        iam.get_user(UserName=victim)

    def test_aws_managed_policies_attach_and_work(self):
        name, arn, iam = self.new_user()
        self.root.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        iam.list_users()
        iam.list_roles()
        iam.get_account_summary()
        self.assertDenied(
            lambda: iam.create_user(UserName="created-by-reader"),
            denied(arn, "iam:CreateUser", "arn:aws:iam::%s:user/created-by-reader" % ACCOUNT),
        )

        admin_name, _, admin = self.new_user()
        self.root.attach_user_policy(UserName=admin_name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        made = unique("made")
        admin.create_user(UserName=made)
        admin.delete_user(UserName=made)

    def test_group_policies_apply_to_members(self):
        name, arn, iam = self.new_user()
        group = unique("g")
        self.root.create_group(GroupName=group)
        self.root.put_group_policy(GroupName=group, PolicyName="roles", PolicyDocument=policy(allow("iam:ListRoles")))
        self.assertDenied(iam.list_roles, denied(arn, "iam:ListRoles", "arn:aws:iam::%s:role/" % ACCOUNT))
        self.root.add_user_to_group(GroupName=group, UserName=name)
        iam.list_roles()

    def test_resource_arns_with_paths_can_be_scoped(self):
        name, arn, iam = self.new_user(
            scoped=policy(allow("iam:GetRole", "arn:aws:iam::%s:role/app/*" % ACCOUNT))
        )
        inside, outside = unique("in"), unique("out")
        trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
        self.root.create_role(RoleName=inside, Path="/app/", AssumeRolePolicyDocument=trust)
        self.root.create_role(RoleName=outside, AssumeRolePolicyDocument=trust)
        self.assertEqual(iam.get_role(RoleName=inside)["Role"]["RoleName"], inside)
        self.assertDenied(
            lambda: iam.get_role(RoleName=outside),
            denied(arn, "iam:GetRole", "arn:aws:iam::%s:role/%s" % (ACCOUNT, outside)),
        )

    def test_root_is_allowed_everything_in_its_account(self):
        self.root.list_users()
        self.root.get_account_summary()

    def test_get_caller_identity_needs_no_permission_even_under_explicit_deny(self):
        name, arn, _ = self.new_user(no=policy(deny("*")))
        sts = self.user_client(name, "sts")
        self.assertEqual(sts.get_caller_identity()["Arn"], arn)

    def test_sts_get_access_key_info_needs_its_permission(self):
        name, arn, _ = self.new_user()
        sts = self.user_client(name, "sts")
        self.assertDenied(
            lambda: sts.get_access_key_info(AccessKeyId="AKIAIOSFODNN7EXAMPLE"),
            denied(arn, "sts:GetAccessKeyInfo", "*"),
        )
        self.root.put_user_policy(UserName=name, PolicyName="info",
                                  PolicyDocument=policy(allow("sts:GetAccessKeyInfo")))
        sts.get_access_key_info(AccessKeyId="AKIAIOSFODNN7EXAMPLE")

    def test_aws_cli_sees_the_same_denial(self):
        name, arn, _ = self.new_user()
        key = self.keys[name]
        old = harness._server
        harness._server = self.srv
        try:
            r = harness.cli("iam", "list-roles", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        finally:
            harness._server = old
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(r.error_code(), "AccessDenied", r)
        self.assertEqual(r.error_message(), denied(arn, "iam:ListRoles", "arn:aws:iam::%s:role/" % ACCOUNT), r)


class BoundaryTest(EnforceTestCase):
    def test_boundary_caps_an_administrator(self):
        name, arn, iam = self.new_user()
        self.root.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        self.root.put_user_permissions_boundary(
            UserName=name, PermissionsBoundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        )
        iam.list_roles()
        self.assertDenied(
            lambda: iam.create_user(UserName="capped"),
            denied(arn, "iam:CreateUser", "arn:aws:iam::%s:user/capped" % ACCOUNT,
                   "because no permissions boundary allows the iam:CreateUser action"),
        )

    def test_explicit_deny_in_a_boundary_is_named(self):
        name, arn, iam = self.new_user(all=policy(allow("iam:*")))
        boundary = self.root.create_policy(
            PolicyName=unique("b"), PolicyDocument=policy(allow("iam:*"), deny("iam:ListUsers"))
        )["Policy"]["Arn"]
        self.root.put_user_permissions_boundary(UserName=name, PermissionsBoundary=boundary)
        self.assertDenied(
            iam.list_users,
            denied(arn, "iam:ListUsers", "arn:aws:iam::%s:user/" % ACCOUNT,
                   "with an explicit deny in a permissions boundary"),
        )

    def test_create_role_can_require_a_boundary(self):
        boundary = self.root.create_policy(PolicyName=unique("rb"), PolicyDocument=policy(allow("s3:*")))["Policy"]["Arn"]
        name, arn, iam = self.new_user(
            create=policy(allow("iam:CreateRole", "*", {"StringEquals": {"iam:PermissionsBoundary": boundary}}))
        )
        trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
        role = unique("r")
        with self.assertRaises(ClientError) as cm:
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust, PermissionsBoundary=boundary)


    def test_delegated_admin_may_change_only_roles_with_the_boundary(self):
        # AWS's delegation pattern: policy changes on a role are allowed only
        # while the role has the boundary (iam:PermissionsBoundary is the
        # role's present boundary for these actions).
        boundary = self.root.create_policy(PolicyName=unique("db"), PolicyDocument=policy(allow("s3:*")))["Policy"]["Arn"]
        name, arn, iam = self.new_user(delegate=policy(allow(
            ["iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRole"], "*",
            {"StringEquals": {"iam:PermissionsBoundary": boundary}})))
        trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
        bounded, free = unique("bounded"), unique("free")
        self.root.create_role(RoleName=bounded, AssumeRolePolicyDocument=trust, PermissionsBoundary=boundary)
        self.root.create_role(RoleName=free, AssumeRolePolicyDocument=trust)
        read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        iam.attach_role_policy(RoleName=bounded, PolicyArn=read_only)
        iam.put_role_policy(RoleName=bounded, PolicyName="p", PolicyDocument=policy(allow("s3:GetObject")))
        self.assertDenied(lambda: iam.attach_role_policy(RoleName=free, PolicyArn=read_only),
                          denied(arn, "iam:AttachRolePolicy", "arn:aws:iam::%s:role/%s" % (ACCOUNT, free)))
        self.assertDenied(lambda: iam.delete_role(RoleName=free),
                          denied(arn, "iam:DeleteRole", "arn:aws:iam::%s:role/%s" % (ACCOUNT, free)))


class TagConditionsTest(EnforceTestCase):
    TRUST = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})

    def test_resource_tag_condition(self):
        # A role's tags are aws:ResourceTag and, for users and roles, IAM's
        # own iam:ResourceTag too.
        for key in ("aws:ResourceTag/team", "iam:ResourceTag/team"):
            with self.subTest(key=key):
                name, arn, iam = self.new_user(tagged=policy(allow("iam:GetRole", "*", {"StringEquals": {key: "blue"}})))
                blue, red = unique("blue"), unique("red")
                self.root.create_role(RoleName=blue, AssumeRolePolicyDocument=self.TRUST,
                                      Tags=[{"Key": "team", "Value": "blue"}])
                self.root.create_role(RoleName=red, AssumeRolePolicyDocument=self.TRUST,
                                      Tags=[{"Key": "team", "Value": "red"}])
                iam.get_role(RoleName=blue)
                self.assertDenied(lambda: iam.get_role(RoleName=red),
                                  denied(arn, "iam:GetRole", "arn:aws:iam::%s:role/%s" % (ACCOUNT, red)))
                # Retagging the resource changes the decision at once.
                self.root.tag_role(RoleName=red, Tags=[{"Key": "team", "Value": "blue"}])
                iam.get_role(RoleName=red)

    def test_request_tag_and_tag_keys_conditions(self):
        name, arn, iam = self.new_user(
            create=policy(
                allow(["iam:CreateRole", "iam:TagRole"], "*", {
                    "StringEquals": {"aws:RequestTag/team": "blue"},
                    "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
                })
            )
        )
        iam.create_role(RoleName=unique("ok"), AssumeRolePolicyDocument=self.TRUST,
                        Tags=[{"Key": "team", "Value": "blue"}])
        for tags in ([{"Key": "team", "Value": "red"}], [], [{"Key": "team", "Value": "blue"}, {"Key": "x", "Value": "y"}]):
            with self.subTest(tags=tags):
                role = unique("no")
                kw = {"Tags": tags} if tags else {}
                self.assertDenied(
                    lambda: iam.create_role(RoleName=role, AssumeRolePolicyDocument=self.TRUST, **kw),
                    denied(arn, "iam:CreateRole", "arn:aws:iam::%s:role/%s" % (ACCOUNT, role)),
                )

    def test_creating_with_tags_also_needs_the_tag_action(self):
        name, arn, iam = self.new_user(create=policy(allow("iam:CreateRole")))
        iam.create_role(RoleName=unique("plain"), AssumeRolePolicyDocument=self.TRUST)
        role = unique("tagged")
        self.assertDenied(
            lambda: iam.create_role(RoleName=role, AssumeRolePolicyDocument=self.TRUST,
                                    Tags=[{"Key": "team", "Value": "blue"}]),
            denied(arn, "iam:TagRole", "arn:aws:iam::%s:role/%s" % (ACCOUNT, role)),
        )
        self.root.put_user_policy(UserName=name, PolicyName="tag", PolicyDocument=policy(allow("iam:TagRole")))
        made = iam.create_role(RoleName=role, AssumeRolePolicyDocument=self.TRUST,
                               Tags=[{"Key": "team", "Value": "blue"}])["Role"]
        self.assertEqual(made["Tags"], [{"Key": "team", "Value": "blue"}])

    def test_principal_tag_condition(self):
        doc = policy(allow("iam:ListRoles", "*", {"StringEquals": {"aws:PrincipalTag/dept": "ops"}}))
        _, _, ops = self.new_user(tags={"dept": "ops"}, p=doc)
        _, dev_arn, dev = self.new_user(tags={"dept": "dev"}, p=doc)
        ops.list_roles()
        self.assertDenied(dev.list_roles, denied(dev_arn, "iam:ListRoles", "arn:aws:iam::%s:role/" % ACCOUNT))

    def test_policy_variables_resolve_from_the_caller(self):
        name, arn, iam = self.new_user(
            self_only=policy(allow("iam:*AccessKey*", "arn:aws:iam::%s:user/${aws:username}" % ACCOUNT))
        )
        iam.list_access_keys()  # no UserName: the caller
        other = unique("other")
        self.root.create_user(UserName=other)
        self.assertDenied(
            lambda: iam.list_access_keys(UserName=other),
            denied(arn, "iam:ListAccessKeys", "arn:aws:iam::%s:user/%s" % (ACCOUNT, other)),
        )


class RoleSessionTest(EnforceTestCase):
    def test_assumed_role_session_has_the_roles_permissions(self):
        name, arn, _ = self.new_user(assume=policy(allow("sts:AssumeRole")))
        role = unique("reader")
        trust = policy({"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"})
        role_arn = self.root.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        self.root.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        creds = self.user_client(name, "sts").assume_role(RoleArn=role_arn, RoleSessionName="s1")["Credentials"]
        iam = client(self.srv, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
        iam.list_roles()
        session_arn = "arn:aws:sts::%s:assumed-role/%s/s1" % (ACCOUNT, role)
        self.assertDenied(
            lambda: iam.create_user(UserName="from-session"),
            denied(session_arn, "iam:CreateUser", "arn:aws:iam::%s:user/from-session" % ACCOUNT),
        )


    def session_of_role(self, role_policy, session_policy):
        """Assumes a new role whose identity policy is `role_policy`, passing
        `session_policy`; returns (session ARN, iam client of the session)."""
        name, arn, _ = self.new_user(assume=policy(allow("sts:AssumeRole")))
        role = unique("scoped")
        trust = policy({"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"})
        role_arn = self.root.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        self.root.put_role_policy(RoleName=role, PolicyName="role", PolicyDocument=role_policy)
        creds = self.user_client(name, "sts").assume_role(
            RoleArn=role_arn, RoleSessionName="s1", Policy=session_policy)["Credentials"]
        iam = client(self.srv, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
        return "arn:aws:sts::%s:assumed-role/%s/s1" % (ACCOUNT, role), iam

    def test_an_action_the_role_allows_but_no_session_policy_allows_is_denied_naming_the_session_policy(self):
        session_arn, iam = self.session_of_role(
            role_policy=policy(allow(["iam:ListRoles", "iam:ListUsers"])), session_policy=policy(allow("iam:ListRoles")))
        iam.list_roles()
        self.assertDenied(
            iam.list_users,
            denied(session_arn, "iam:ListUsers", "arn:aws:iam::%s:user/" % ACCOUNT,
                   "because no session policy allows the iam:ListUsers action"),
        )

    def test_an_action_the_role_allows_but_a_session_policy_denies_is_an_explicit_deny_in_a_session_policy(self):
        session_arn, iam = self.session_of_role(
            role_policy=policy(allow(["iam:ListRoles", "iam:ListUsers"])),
            session_policy=policy(allow("iam:*"), deny("iam:ListUsers")))
        iam.list_roles()
        self.assertDenied(
            iam.list_users,
            denied(session_arn, "iam:ListUsers", "arn:aws:iam::%s:user/" % ACCOUNT,
                   "with an explicit deny in a session policy"),
        )


class Ec2Test(EnforceTestCase):
    def test_ec2_denial_is_unauthorized_operation_with_a_message_sts_decodes(self):
        name, arn, _ = self.new_user()
        ec2 = self.user_client(name, "ec2")
        with self.assertRaises(ClientError) as cm:
            ec2.describe_instances()
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "UnauthorizedOperation")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        prefix = "You are not authorized to perform this operation. " + denied(
            arn, "ec2:DescribeInstances", "*") + ". Encoded authorization failure message: "
        self.assertTrue(err["Message"].startswith(prefix), err["Message"])
        self.root.put_user_policy(UserName=name, PolicyName="d", PolicyDocument=policy(
            allow(["ec2:Describe*", "sts:DecodeAuthorizationMessage"])))
        decoded = json.loads(self.user_client(name, "sts").decode_authorization_message(
            EncodedMessage=err["Message"][len(prefix):])["DecodedMessage"])
        self.assertFalse(decoded["allowed"])
        self.assertEqual(decoded["context"]["action"], "ec2:DescribeInstances")
        ec2.describe_instances()

    def test_run_instances_needs_every_resource_it_uses_and_create_tags_for_tags_at_launch(self):
        # The EC2 user guide's least-privilege launch policy: the instance and
        # image alone are not enough; the subnet, security group, network
        # interface and volume are authorized too, and tags at launch need
        # ec2:CreateTags with ec2:CreateAction.
        name, arn, _ = self.new_user()
        ec2 = self.user_client(name, "ec2")
        arn_of = lambda kind: "arn:aws:ec2:%s:%s:%s/*" % (REGION, ACCOUNT, kind)  # noqa: E731
        image = "arn:aws:ec2:%s::image/ami-*" % REGION
        launch = dict(ImageId="ami-1", MinCount=1, MaxCount=1)

        def refused_on(resource, action="ec2:RunInstances", why=None, **extra):
            with self.assertRaises(ClientError) as cm:
                ec2.run_instances(**launch, **extra)
            err = cm.exception.response["Error"]
            self.assertEqual((err["Code"], cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]),
                             ("UnauthorizedOperation", 403))
            self.assertIn(denied(arn, action, resource, why), err["Message"])

        # The default subnet, as an instance launched by the root shows it.
        subnet = client(self.srv, "ec2").run_instances(**launch)["Instances"][0]["SubnetId"]
        self.root.put_user_policy(UserName=name, PolicyName="run", PolicyDocument=policy(
            allow("ec2:RunInstances", [arn_of("instance"), image])))
        refused_on(arn_of("subnet").replace("*", subnet))
        self.root.put_user_policy(UserName=name, PolicyName="run", PolicyDocument=policy(
            allow("ec2:RunInstances", [arn_of(kind) for kind in
                                       ("instance", "subnet", "security-group", "network-interface", "volume")]
                  + [image])))
        ec2.run_instances(**launch)
        refused_on(arn_of("key-pair").replace("*", "deploy"), KeyName="deploy")

        tags = [{"ResourceType": "instance", "Tags": [{"Key": "Team", "Value": "web"}]}]
        refused_on(arn_of("instance"), action="ec2:CreateTags", TagSpecifications=tags)
        self.root.put_user_policy(UserName=name, PolicyName="tag", PolicyDocument=policy(
            allow("ec2:CreateTags", arn_of("instance"), {"StringEquals": {"ec2:CreateAction": "RunInstances"}})))
        tagged = ec2.run_instances(**launch, TagSpecifications=tags)["Instances"][0]
        self.assertEqual(tagged["Tags"], [{"Key": "Team", "Value": "web"}])
        # Request tags condition the launch itself too.
        self.root.put_user_policy(UserName=name, PolicyName="deny-untagged", PolicyDocument=policy(
            {"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": arn_of("instance"),
             "Condition": {"Null": {"aws:RequestTag/Team": "true"}}}))
        refused_on(arn_of("instance"), why="with an explicit deny in an identity-based policy")
        ec2.run_instances(**launch, TagSpecifications=tags)


class SoftModeTest(EnforceTestCase):
    mode = "soft"

    def test_soft_mode_lets_denied_requests_through_and_logs_them(self):
        name, arn, iam = self.new_user()
        iam.list_users()  # would be denied in enforce
        made = unique("soft")
        iam.create_user(UserName=made)
        self.root.get_user(UserName=made)
        expected = denied(arn, "iam:CreateUser", "arn:aws:iam::%s:user/%s" % (ACCOUNT, made))
        deadline = time.time() + 5
        while time.time() < deadline and expected not in self.srv.output():
            time.sleep(0.1)
        out = self.srv.output()
        self.assertIn(expected, out)
        line = next(l for l in out.splitlines() if expected in l)
        self.assertIn("warn", line)
        self.assertIn(arn, line)


if __name__ == "__main__":
    unittest.main()
