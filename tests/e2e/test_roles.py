"""IAM roles with boto3: trust documents, descriptions, MaxSessionDuration
bounds, paths, updates, DeleteConflict, ListRoles pagination, boundaries,
tags and isolation between accounts."""

import datetime
import urllib.parse
import xml.etree.ElementTree as ET

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401

NS = {"i": harness.IAM_XMLNS}


class CreateAndGetRole(IamTestCase):
    def test_create_role_returns_decoded_trust_policy_and_ids(self):
        name = unique("web")
        role = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))["Role"]
        self.assertEqual(role["RoleName"], name)
        self.assertEqual(role["Path"], "/")
        self.assertEqual(role["Arn"], "arn:aws:iam::000000000000:role/" + name)
        self.assertTrue(role["RoleId"].startswith("AROA"), role["RoleId"])
        self.assertEqual(len(role["RoleId"]), 21)
        self.assertIsInstance(role["CreateDate"], datetime.datetime)
        self.assertEqual(role["AssumeRolePolicyDocument"], harness.TRUST_EC2)

    def test_get_role_returns_trust_policy_defaults_and_last_used(self):
        name = unique("r")
        created = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_LAMBDA))["Role"]
        role = self.iam.get_role(RoleName=name)["Role"]
        self.assertEqual(role["AssumeRolePolicyDocument"], harness.TRUST_LAMBDA)
        self.assertEqual(role["RoleId"], created["RoleId"])
        self.assertEqual(role["MaxSessionDuration"], 3600)
        self.assertIn("RoleLastUsed", role)
        self.assertNotIn("PermissionsBoundary", role)

    def test_trust_policy_text_comes_back_exactly_as_written(self):
        name = unique("exact")
        text = '{\n  "Version": "2012-10-17",\n  "Statement": [ {"Effect":"Allow", "Principal": {"Service": "ec2.amazonaws.com"},\n "Action": "sts:AssumeRole", "Sid": "A1"} ]\n}\n'
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=text)
        r = harness.iam_call("GetRole", {"RoleName": name})
        self.assertEqual(r.status, 200, r)
        encoded = ET.fromstring(r.body).find(".//i:Role/i:AssumeRolePolicyDocument", NS).text
        self.assertEqual(urllib.parse.unquote(encoded), text)

    def test_description_path_and_max_session_duration(self):
        name = unique("full")
        role = self.iam.create_role(
            RoleName=name,
            Path="/service/app/",
            AssumeRolePolicyDocument=doc(harness.TRUST_EC2),
            Description="the web tier",
            MaxSessionDuration=43200,
        )["Role"]
        self.assertEqual(role["Arn"], "arn:aws:iam::000000000000:role/service/app/" + name)
        got = self.iam.get_role(RoleName=name)["Role"]
        self.assertEqual(got["Path"], "/service/app/")
        self.assertEqual(got["Description"], "the web tier")
        self.assertEqual(got["MaxSessionDuration"], 43200)

    def test_max_session_duration_lower_bound_accepted(self):
        name = unique("min")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), MaxSessionDuration=3600)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["MaxSessionDuration"], 3600)

    def test_max_session_duration_above_43200_is_validation_error(self):
        e = self.assertClientError(
            lambda: self.iam.create_role(
                RoleName=unique("big"), AssumeRolePolicyDocument=doc(harness.TRUST_EC2), MaxSessionDuration=43201
            ),
            "ValidationError",
            400,
        )
        self.assertIn("maxSessionDuration", e.response["Error"]["Message"])
        self.assertIn("less than or equal to 43200", e.response["Error"]["Message"])

    def test_max_session_duration_below_3600_is_validation_error(self):
        raw = harness.client(validate=False)
        e = self.assertClientError(
            lambda: raw.create_role(
                RoleName=unique("small"), AssumeRolePolicyDocument=doc(harness.TRUST_EC2), MaxSessionDuration=3599
            ),
            "ValidationError",
            400,
        )
        self.assertIn("maxSessionDuration", e.response["Error"]["Message"])
        self.assertIn("greater than or equal to 3600", e.response["Error"]["Message"])

    def test_duplicate_role_ignoring_case_is_entity_already_exists(self):
        name = unique("Twin")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        self.assertClientError(
            lambda: self.iam.create_role(RoleName=name.swapcase(), AssumeRolePolicyDocument=doc(harness.TRUST_EC2)),
            "EntityAlreadyExists",
            409,
            message="Role with name %s already exists." % name.swapcase(),
        )

    def test_get_missing_role_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.get_role(RoleName="missing-role"),
            "NoSuchEntity",
            404,
            message="The role with name missing-role cannot be found.",
        )

    def test_non_json_trust_policy_is_malformed_policy_document(self):
        self.assertClientError(
            lambda: self.iam.create_role(RoleName=unique("bad"), AssumeRolePolicyDocument=harness.NOT_JSON),
            "MalformedPolicyDocument",
            400,
            message="This policy contains invalid Json",
        )

    def test_role_name_with_space_is_validation_error(self):
        raw = harness.client(validate=False)
        e = self.assertClientError(
            lambda: raw.create_role(RoleName="bad name", AssumeRolePolicyDocument=doc(harness.TRUST_EC2)),
            "ValidationError",
            400,
        )
        self.assertIn("Value 'bad name' at 'roleName' failed to satisfy constraint", e.response["Error"]["Message"])

    def test_role_name_via_raw_signed_request_is_validation_error(self):
        r = harness.iam_call("CreateRole", {"RoleName": "bad name", "AssumeRolePolicyDocument": doc(harness.TRUST_EC2)})
        self.assertEqual(r.status, 400, r)
        root = ET.fromstring(r.body)
        self.assertEqual(root.find(".//{*}Error/{*}Code").text, "ValidationError")
        self.assertEqual(root.find(".//{*}Error/{*}Type").text, "Sender")

    def test_role_name_longer_than_64_is_validation_error(self):
        self.assertClientError(
            lambda: self.iam.create_role(RoleName="r" * 65, AssumeRolePolicyDocument=doc(harness.TRUST_EC2)),
            "ValidationError",
            400,
        )

    def test_description_longer_than_1000_is_validation_error(self):
        self.assertClientError(
            lambda: self.iam.create_role(
                RoleName=unique("d"), AssumeRolePolicyDocument=doc(harness.TRUST_EC2), Description="x" * 1001
            ),
            "ValidationError",
            400,
        )


class UpdateRole(IamTestCase):
    def setUp(self):
        self.name = unique("upd")
        self.iam.create_role(RoleName=self.name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), Description="v1")

    def test_update_role_changes_description_and_duration(self):
        self.iam.update_role(RoleName=self.name, Description="v2", MaxSessionDuration=7200)
        role = self.iam.get_role(RoleName=self.name)["Role"]
        self.assertEqual(role["Description"], "v2")
        self.assertEqual(role["MaxSessionDuration"], 7200)

    def test_update_role_rejects_duration_out_of_range(self):
        self.assertClientError(
            lambda: self.iam.update_role(RoleName=self.name, MaxSessionDuration=50000), "ValidationError", 400
        )
        self.assertEqual(self.iam.get_role(RoleName=self.name)["Role"]["MaxSessionDuration"], 3600)

    def test_update_role_description_returns_role(self):
        role = self.iam.update_role_description(RoleName=self.name, Description="described")["Role"]
        self.assertEqual(role["RoleName"], self.name)
        self.assertEqual(role["Description"], "described")
        self.assertEqual(role["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        self.assertEqual(self.iam.get_role(RoleName=self.name)["Role"]["Description"], "described")

    def test_update_assume_role_policy_replaces_trust(self):
        self.iam.update_assume_role_policy(RoleName=self.name, PolicyDocument=doc(harness.TRUST_LAMBDA))
        self.assertEqual(self.iam.get_role(RoleName=self.name)["Role"]["AssumeRolePolicyDocument"], harness.TRUST_LAMBDA)

    def test_update_assume_role_policy_non_json_is_malformed(self):
        self.assertClientError(
            lambda: self.iam.update_assume_role_policy(RoleName=self.name, PolicyDocument=harness.NOT_JSON),
            "MalformedPolicyDocument",
            400,
        )
        self.assertEqual(self.iam.get_role(RoleName=self.name)["Role"]["AssumeRolePolicyDocument"], harness.TRUST_EC2)

    def test_updates_on_missing_role_are_no_such_entity(self):
        self.assertClientError(lambda: self.iam.update_role(RoleName="gone-r", Description="x"), "NoSuchEntity", 404)
        self.assertClientError(
            lambda: self.iam.update_role_description(RoleName="gone-r", Description="x"), "NoSuchEntity", 404
        )
        self.assertClientError(
            lambda: self.iam.update_assume_role_policy(RoleName="gone-r", PolicyDocument=doc(harness.TRUST_EC2)),
            "NoSuchEntity",
            404,
        )


class DeleteRole(IamTestCase):
    def _role(self):
        name = unique("del")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        return name

    def test_delete_role(self):
        name = self._role()
        self.iam.delete_role(RoleName=name)
        self.assertClientError(lambda: self.iam.get_role(RoleName=name), "NoSuchEntity", 404)

    def test_delete_missing_role_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.delete_role(RoleName="none-r"),
            "NoSuchEntity",
            404,
            message="The role with name none-r cannot be found.",
        )

    def test_delete_role_with_attached_policy_is_delete_conflict(self):
        name = self._role()
        arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        self.iam.attach_role_policy(RoleName=name, PolicyArn=arn)
        self.assertClientError(
            lambda: self.iam.delete_role(RoleName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must detach all policies first.",
        )
        self.iam.detach_role_policy(RoleName=name, PolicyArn=arn)
        self.iam.delete_role(RoleName=name)

    def test_delete_role_with_inline_policy_is_delete_conflict(self):
        name = self._role()
        self.iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=doc(harness.ALLOW_ALL))
        self.assertClientError(
            lambda: self.iam.delete_role(RoleName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must delete policies first.",
        )
        self.iam.delete_role_policy(RoleName=name, PolicyName="inline")
        self.iam.delete_role(RoleName=name)

    def test_delete_role_in_instance_profile_is_delete_conflict(self):
        name, profile = self._role(), unique("ip")
        self.iam.create_instance_profile(InstanceProfileName=profile)
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=name)
        self.assertClientError(
            lambda: self.iam.delete_role(RoleName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must remove roles from instance profile first.",
        )
        self.iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=name)
        self.iam.delete_role(RoleName=name)


class ListRoles(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app = [unique("app") for _ in range(6)]
        cls.svc = [unique("svc") for _ in range(4)]
        for n in cls.app:
            cls.iam.create_role(RoleName=n, Path="/app/", AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        for n in cls.svc:
            cls.iam.create_role(RoleName=n, Path="/svc/x/", AssumeRolePolicyDocument=doc(harness.TRUST_LAMBDA))

    def test_list_roles_returns_all_with_trust_documents(self):
        roles = self.iam.list_roles()["Roles"]
        self.assertEqual({r["RoleName"] for r in roles}, set(self.app + self.svc))
        for r in roles:
            self.assertIsInstance(r["AssumeRolePolicyDocument"], dict)
            self.assertTrue(r["RoleId"].startswith("AROA"))

    def test_list_roles_omits_tags_boundary_and_last_used(self):
        # AWS documents that ListRoles does not return these; GetRole does.
        name = unique("omit")
        self.iam.create_role(
            RoleName=name, Path="/omit/", AssumeRolePolicyDocument=doc(harness.TRUST_EC2),
            Tags=[{"Key": "a", "Value": "b"}], PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess",
        )
        try:
            listed = self.iam.list_roles(PathPrefix="/omit/")["Roles"]
            self.assertEqual(len(listed), 1)
            for key in ("Tags", "PermissionsBoundary", "RoleLastUsed"):
                self.assertNotIn(key, listed[0])
            got = self.iam.get_role(RoleName=name)["Role"]
            self.assertIn("Tags", got)
            self.assertIn("PermissionsBoundary", got)
        finally:
            self.iam.delete_role_permissions_boundary(RoleName=name)
            self.iam.delete_role(RoleName=name)

    def test_path_prefix(self):
        self.assertEqual({r["RoleName"] for r in self.iam.list_roles(PathPrefix="/svc/")["Roles"]}, set(self.svc))
        self.assertEqual({r["RoleName"] for r in self.iam.list_roles(PathPrefix="/app/")["Roles"]}, set(self.app))

    def test_max_items_marker_is_truncated(self):
        first = self.iam.list_roles(MaxItems=4)
        self.assertEqual(len(first["Roles"]), 4)
        self.assertTrue(first["IsTruncated"])
        second = self.iam.list_roles(MaxItems=4, Marker=first["Marker"])
        self.assertEqual(len(second["Roles"]), 4)
        self.assertTrue(second["IsTruncated"])
        third = self.iam.list_roles(MaxItems=4, Marker=second["Marker"])
        self.assertEqual(len(third["Roles"]), 2)
        self.assertFalse(third["IsTruncated"])
        names = [r["RoleName"] for p in (first, second, third) for r in p["Roles"]]
        self.assertEqual(sorted(names), sorted(self.app + self.svc))

    def test_path_prefix_with_pagination(self):
        first = self.iam.list_roles(PathPrefix="/app/", MaxItems=5)
        self.assertEqual(len(first["Roles"]), 5)
        self.assertTrue(first["IsTruncated"])
        second = self.iam.list_roles(PathPrefix="/app/", MaxItems=5, Marker=first["Marker"])
        self.assertEqual(len(second["Roles"]), 1)
        self.assertFalse(second["IsTruncated"])


class ManyRolesPagination(IamTestCase):
    COUNT = 250

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.names = ["bulk-%03d-%s" % (i, unique("r")) for i in range(cls.COUNT)]
        for n in cls.names:
            cls.iam.create_role(RoleName=n, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))

    def test_default_page_is_100_and_truncated(self):
        page = self.iam.list_roles()
        self.assertEqual(len(page["Roles"]), 100)
        self.assertTrue(page["IsTruncated"])

    def test_paginator_visits_every_role_once(self):
        pages = list(self.iam.get_paginator("list_roles").paginate())
        names = [r["RoleName"] for p in pages for r in p["Roles"]]
        self.assertEqual(len(names), self.COUNT)
        self.assertEqual(set(names), set(self.names))
        self.assertEqual(len(pages), 3)

    def test_paginator_with_page_size_and_max_items(self):
        it = self.iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 60, "MaxItems": 130})
        result = it.build_full_result()
        self.assertEqual(len(result["Roles"]), 130)
        self.assertIn("NextToken", result)
        rest = self.iam.get_paginator("list_roles").paginate(
            PaginationConfig={"PageSize": 60, "StartingToken": result["NextToken"]}
        ).build_full_result()
        names = [r["RoleName"] for r in result["Roles"] + rest["Roles"]]
        self.assertEqual(sorted(names), sorted(self.names))

    def test_max_items_1000_returns_all(self):
        page = self.iam.list_roles(MaxItems=1000)
        self.assertEqual(len(page["Roles"]), self.COUNT)
        self.assertFalse(page["IsTruncated"])

    def test_max_items_above_1000_is_validation_error(self):
        self.assertClientError(lambda: self.iam.list_roles(MaxItems=1001), "ValidationError", 400)


class RoleTagsAndBoundary(IamTestCase):
    def test_tags_on_create_tag_untag_list(self):
        name = unique("tg")
        self.iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), Tags=[{"Key": "env", "Value": "prod"}]
        )
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["Tags"], [{"Key": "env", "Value": "prod"}])
        self.iam.tag_role(RoleName=name, Tags=[{"Key": "owner", "Value": "me"}, {"Key": "env", "Value": "dev"}])
        tags = {t["Key"]: t["Value"] for t in self.iam.list_role_tags(RoleName=name)["Tags"]}
        self.assertEqual(tags, {"env": "dev", "owner": "me"})
        self.iam.untag_role(RoleName=name, TagKeys=["env"])
        self.assertEqual(self.iam.list_role_tags(RoleName=name)["Tags"], [{"Key": "owner", "Value": "me"}])

    def test_tag_missing_role_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.tag_role(RoleName="nope-tr", Tags=[{"Key": "a", "Value": "b"}]), "NoSuchEntity", 404
        )

    def test_permissions_boundary_on_role(self):
        name = unique("pb")
        arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        role = self.iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), PermissionsBoundary=arn
        )["Role"]
        expected = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
        self.assertEqual(role["PermissionsBoundary"], expected)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["PermissionsBoundary"], expected)
        other = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        self.iam.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=other)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"], other)
        self.iam.delete_role_permissions_boundary(RoleName=name)
        self.assertNotIn("PermissionsBoundary", self.iam.get_role(RoleName=name)["Role"])

    def test_boundary_counts_on_customer_policy(self):
        pol = self.iam.create_policy(PolicyName=unique("b"), PolicyDocument=doc(harness.ALLOW_S3_READ))["Policy"]
        name = unique("pb")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        self.iam.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=pol["Arn"])
        got = self.iam.get_policy(PolicyArn=pol["Arn"])["Policy"]
        self.assertEqual(got["PermissionsBoundaryUsageCount"], 1)
        self.assertEqual(got["AttachmentCount"], 0)
        self.iam.delete_role_permissions_boundary(RoleName=name)
        self.assertEqual(self.iam.get_policy(PolicyArn=pol["Arn"])["Policy"]["PermissionsBoundaryUsageCount"], 0)

    def test_boundary_on_missing_role_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.put_role_permissions_boundary(
                RoleName="nope-pb", PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess"
            ),
            "NoSuchEntity",
            404,
        )


class RolesAcrossAccounts(IamTestCase):
    def test_account_111111111111_does_not_see_default_accounts_roles(self):
        name = unique("private")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        other = harness.account_client(harness.OTHER_ACCOUNT)
        self.assertNotIn(name, [r["RoleName"] for r in other.list_roles()["Roles"]])
        self.assertClientError(lambda: other.get_role(RoleName=name), "NoSuchEntity", 404)

    def test_same_role_name_in_two_accounts(self):
        name = unique("both")
        other = harness.account_client(harness.OTHER_ACCOUNT)
        a = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))["Role"]
        b = other.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_LAMBDA))["Role"]
        self.assertEqual(a["Arn"], "arn:aws:iam::000000000000:role/" + name)
        self.assertEqual(b["Arn"], "arn:aws:iam::111111111111:role/" + name)
        self.assertNotEqual(a["RoleId"], b["RoleId"])
        self.assertEqual(other.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"], harness.TRUST_LAMBDA)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        other.delete_role(RoleName=name)
        self.iam.get_role(RoleName=name)

    def test_third_account_is_empty(self):
        third = harness.account_client("222222222222")
        self.assertEqual(third.list_roles()["Roles"], [])

