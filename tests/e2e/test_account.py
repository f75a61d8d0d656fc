"""Account-level IAM with boto3: aliases, GetAccountSummary,
GetAccountAuthorizationDetails, service-linked roles, and the separation of
accounts chosen by access key."""

import time

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401


class AccountAliases(IamTestCase):
    def tearDown(self):
        for alias in self.iam.list_account_aliases()["AccountAliases"]:
            self.iam.delete_account_alias(AccountAlias=alias)

    def test_create_list_delete_alias(self):
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [])
        alias = "e2e-" + unique("alias").lower()
        self.iam.create_account_alias(AccountAlias=alias)
        listed = self.iam.list_account_aliases()
        self.assertEqual(listed["AccountAliases"], [alias])
        self.assertFalse(listed["IsTruncated"])
        self.iam.delete_account_alias(AccountAlias=alias)
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [])

    def test_new_alias_replaces_old_one(self):
        a, b = "first-" + unique("a").lower(), "second-" + unique("b").lower()
        self.iam.create_account_alias(AccountAlias=a)
        self.iam.create_account_alias(AccountAlias=b)
        self.assertEqual(self.iam.list_account_aliases()["AccountAliases"], [b])

    def test_alias_is_unique_across_accounts(self):
        alias = "taken-" + unique("t").lower()
        self.iam.create_account_alias(AccountAlias=alias)
        other = harness.account_client(harness.OTHER_ACCOUNT)
        self.assertClientError(lambda: other.create_account_alias(AccountAlias=alias), "EntityAlreadyExists", 409)
        self.assertEqual(other.list_account_aliases()["AccountAliases"], [])

    def test_bad_alias_is_validation_error(self):
        for bad in ("Upper-Case", "double--hyphen", "-leading", "under_score"):
            with self.subTest(alias=bad):
                self.assertClientError(lambda: self.iam.create_account_alias(AccountAlias=bad), "ValidationError", 400)

    def test_delete_missing_alias_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.delete_account_alias(AccountAlias="never-set-alias"), "NoSuchEntity", 404)


class AccountSummary(IamTestCase):
    def summary(self, c=None):
        return (c or self.iam).get_account_summary()["SummaryMap"]

    def test_summary_has_quotas(self):
        s = self.summary()
        self.assertEqual(s["AccessKeysPerUserQuota"], 2)
        self.assertEqual(s["VersionsPerPolicyQuota"], 5)
        for key in ("Users", "Groups", "Roles", "Policies", "InstanceProfiles", "UsersQuota", "RolesQuota", "GroupsQuota"):
            self.assertIn(key, s)

    def test_counts_move_with_creates_and_deletes(self):
        before = self.summary()
        user, group, role, profile = unique("u"), unique("g"), unique("r"), unique("ip")
        self.iam.create_user(UserName=user)
        self.iam.create_group(GroupName=group)
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        self.iam.create_instance_profile(InstanceProfileName=profile)
        arn = self.iam.create_policy(PolicyName=unique("p"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        after = self.summary()
        for key in ("Users", "Groups", "Roles", "InstanceProfiles", "Policies"):
            self.assertEqual(after[key], before[key] + 1, key)
        self.iam.delete_user(UserName=user)
        self.iam.delete_group(GroupName=group)
        self.iam.delete_role(RoleName=role)
        self.iam.delete_instance_profile(InstanceProfileName=profile)
        self.iam.delete_policy(PolicyArn=arn)
        final = self.summary()
        for key in ("Users", "Groups", "Roles", "InstanceProfiles", "Policies"):
            self.assertEqual(final[key], before[key], key)

    def test_summary_is_per_account(self):
        third = harness.account_client("333333333333")
        s = self.summary(third)
        self.assertEqual(s["Users"], 0)
        self.assertEqual(s["Roles"], 0)
        self.iam.create_user(UserName=unique("u"))
        self.assertEqual(self.summary(third)["Users"], 0)


class AuthorizationDetails(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.iam
        cls.user, cls.group, cls.role = unique("u"), unique("g"), unique("r")
        cls.profile = unique("ip")
        iam.create_user(UserName=cls.user)
        iam.create_group(GroupName=cls.group)
        iam.add_user_to_group(GroupName=cls.group, UserName=cls.user)
        iam.create_role(RoleName=cls.role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        iam.create_instance_profile(InstanceProfileName=cls.profile)
        iam.add_role_to_instance_profile(InstanceProfileName=cls.profile, RoleName=cls.role)
        cls.policy = iam.create_policy(PolicyName=unique("p"), PolicyDocument=doc(harness.ALLOW_S3_READ))["Policy"]
        iam.attach_user_policy(UserName=cls.user, PolicyArn=cls.policy["Arn"])
        iam.attach_role_policy(RoleName=cls.role, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        iam.put_user_policy(UserName=cls.user, PolicyName="u-inline", PolicyDocument=doc(harness.ALLOW_ALL))
        iam.put_group_policy(GroupName=cls.group, PolicyName="g-inline", PolicyDocument=doc(harness.ALLOW_ALL))
        iam.put_role_policy(RoleName=cls.role, PolicyName="r-inline", PolicyDocument=doc(harness.ALLOW_S3_READ))

    def full(self, **kw):
        pages = self.iam.get_paginator("get_account_authorization_details").paginate(**kw)
        return pages.build_full_result()

    def test_user_details(self):
        d = self.full(Filter=["User"])
        self.assertEqual(d.get("RoleDetailList", []), [])
        self.assertEqual(d.get("GroupDetailList", []), [])
        self.assertEqual(d.get("Policies", []), [])
        users = {u["UserName"]: u for u in d["UserDetailList"]}
        u = users[self.user]
        self.assertEqual(u["GroupList"], [self.group])
        self.assertEqual(u["AttachedManagedPolicies"], [{"PolicyName": self.policy["PolicyName"], "PolicyArn": self.policy["Arn"]}])
        self.assertEqual(u["UserPolicyList"], [{"PolicyName": "u-inline", "PolicyDocument": harness.ALLOW_ALL}])
        self.assertTrue(u["UserId"].startswith("AIDA"))

    def test_role_details(self):
        d = self.full(Filter=["Role"])
        self.assertEqual(d.get("UserDetailList", []), [])
        roles = {r["RoleName"]: r for r in d["RoleDetailList"]}
        r = roles[self.role]
        self.assertEqual(r["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        self.assertEqual(r["RolePolicyList"], [{"PolicyName": "r-inline", "PolicyDocument": harness.ALLOW_S3_READ}])
        self.assertEqual(
            r["AttachedManagedPolicies"], [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]
        )
        self.assertEqual([p["InstanceProfileName"] for p in r["InstanceProfileList"]], [self.profile])

    def test_group_details(self):
        d = self.full(Filter=["Group"])
        groups = {g["GroupName"]: g for g in d["GroupDetailList"]}
        self.assertEqual(groups[self.group]["GroupPolicyList"], [{"PolicyName": "g-inline", "PolicyDocument": harness.ALLOW_ALL}])
        self.assertEqual(d.get("UserDetailList", []), [])

    def test_local_managed_policy_details_with_versions(self):
        d = self.full(Filter=["LocalManagedPolicy"])
        pols = {p["Arn"]: p for p in d["Policies"]}
        self.assertEqual(set(pols), {self.policy["Arn"]})
        p = pols[self.policy["Arn"]]
        self.assertEqual(p["AttachmentCount"], 1)
        self.assertEqual(p["DefaultVersionId"], "v1")
        versions = p["PolicyVersionList"]
        self.assertEqual(len(versions), 1)
        self.assertEqual(versions[0]["Document"], harness.ALLOW_S3_READ)
        self.assertTrue(versions[0]["IsDefaultVersion"])

    def test_aws_managed_policy_filter_includes_attached_one(self):
        d = self.full(Filter=["AWSManagedPolicy"])
        arns = {p["Arn"] for p in d["Policies"]}
        self.assertIn("arn:aws:iam::aws:policy/ReadOnlyAccess", arns)
        self.assertNotIn(self.policy["Arn"], arns)
        self.assertTrue(all(a.startswith("arn:aws:iam::aws:policy/") for a in arns))

    def test_no_filter_returns_every_kind(self):
        d = self.full()
        self.assertIn(self.user, [u["UserName"] for u in d["UserDetailList"]])
        self.assertIn(self.group, [g["GroupName"] for g in d["GroupDetailList"]])
        self.assertIn(self.role, [r["RoleName"] for r in d["RoleDetailList"]])
        self.assertIn(self.policy["Arn"], [p["Arn"] for p in d["Policies"]])

    def test_pagination_with_max_items(self):
        page = self.iam.get_account_authorization_details(Filter=["User", "Group", "Role"], MaxItems=1)
        self.assertTrue(page["IsTruncated"])
        self.assertIn("Marker", page)
        total = sum(len(page.get(k, [])) for k in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"))
        self.assertEqual(total, 1)

    def test_invalid_filter_is_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(lambda: raw.get_account_authorization_details(Filter=["Bogus"]), "ValidationError", 400)


class ServiceLinkedRoles(IamTestCase):
    def test_create_service_linked_role(self):
        role = self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", Description="asg")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForAutoScaling")
        self.assertEqual(role["Path"], "/aws-service-role/autoscaling.amazonaws.com/")
        self.assertEqual(
            role["Arn"], "arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
        )
        statement = role["AssumeRolePolicyDocument"]["Statement"][0]
        service = statement["Principal"]["Service"]
        self.assertIn(service, ("autoscaling.amazonaws.com", ["autoscaling.amazonaws.com"]))
        self.assertEqual(statement["Effect"], "Allow")
        self.assertIn("sts:AssumeRole", statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]])
        got = self.iam.get_role(RoleName="AWSServiceRoleForAutoScaling")["Role"]
        self.assertEqual(got["Description"], "asg")

    def test_duplicate_service_linked_role_is_invalid_input(self):
        self.iam.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com")
        self.assertClientError(
            lambda: self.iam.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com"),
            "InvalidInput",
            400,
            message="Service role name AWSServiceRoleForElasticBeanstalk has been taken in this account, please try a different suffix.",
        )

    def test_custom_suffix(self):
        role = self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="fleet")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForAutoScaling_fleet")

    def test_delete_role_api_refuses_service_linked_role(self):
        name = self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="prot")["Role"]["RoleName"]
        self.assertClientError(lambda: self.iam.delete_role(RoleName=name), "UnmodifiableEntity", 400)
        self.iam.get_role(RoleName=name)

    def test_delete_service_linked_role_and_status(self):
        name = self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="gone")["Role"]["RoleName"]
        task = self.iam.delete_service_linked_role(RoleName=name)["DeletionTaskId"]
        self.assertTrue(
            task.startswith("task/aws-service-role/autoscaling.amazonaws.com/%s/" % name), task
        )
        status = None
        for _ in range(50):
            status = self.iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"]
            self.assertIn(status, ("SUCCEEDED", "IN_PROGRESS", "FAILED", "NOT_STARTED"))
            if status == "SUCCEEDED":
                break
            time.sleep(0.1)
        self.assertEqual(status, "SUCCEEDED")
        self.assertClientError(lambda: self.iam.get_role(RoleName=name), "NoSuchEntity", 404)

    def test_delete_service_linked_role_missing_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.delete_service_linked_role(RoleName="AWSServiceRoleForNothing"), "NoSuchEntity", 404)

    def test_service_linked_role_listed_with_path_prefix(self):
        self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="listed")
        roles = self.iam.list_roles(PathPrefix="/aws-service-role/")["Roles"]
        self.assertIn("AWSServiceRoleForAutoScaling_listed", [r["RoleName"] for r in roles])
