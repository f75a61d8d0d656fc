"""Instance profiles with boto3: create/get/delete/list, one role each,
ListInstanceProfilesForRole, tags, and their errors."""

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401


class InstanceProfiles(IamTestCase):
    def _role(self):
        name = unique("r")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        return name

    def test_create_instance_profile_fields(self):
        name = unique("ip")
        p = self.iam.create_instance_profile(InstanceProfileName=name, Path="/web/")["InstanceProfile"]
        self.assertEqual(p["InstanceProfileName"], name)
        self.assertEqual(p["Path"], "/web/")
        self.assertEqual(p["Arn"], "arn:aws:iam::000000000000:instance-profile/web/" + name)
        self.assertTrue(p["InstanceProfileId"].startswith("AIPA"), p["InstanceProfileId"])
        self.assertEqual(len(p["InstanceProfileId"]), 21)
        self.assertEqual(p["Roles"], [])
        self.assertIn("CreateDate", p)

    def test_add_role_shows_in_get_with_trust_document(self):
        name, role = unique("ip"), self._role()
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
        p = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
        self.assertEqual([r["RoleName"] for r in p["Roles"]], [role])
        self.assertEqual(p["Roles"][0]["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        self.assertTrue(p["Roles"][0]["RoleId"].startswith("AROA"))

    def test_second_role_is_limit_exceeded(self):
        name, r1, r2 = unique("ip"), self._role(), self._role()
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=r1)
        self.assertClientError(
            lambda: self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=r2),
            "LimitExceeded",
            409,
            message="Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
        )
        p = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
        self.assertEqual([r["RoleName"] for r in p["Roles"]], [r1])

    def test_role_can_be_in_several_profiles_and_list_for_role(self):
        role, a, b = self._role(), unique("ipa"), unique("ipb")
        for p in (a, b):
            self.iam.create_instance_profile(InstanceProfileName=p)
            self.iam.add_role_to_instance_profile(InstanceProfileName=p, RoleName=role)
        listed = self.iam.list_instance_profiles_for_role(RoleName=role)
        self.assertEqual({p["InstanceProfileName"] for p in listed["InstanceProfiles"]}, {a, b})
        self.assertFalse(listed["IsTruncated"])

    def test_remove_role(self):
        name, role = unique("ip"), self._role()
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
        self.iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=role)
        self.assertEqual(self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"], [])
        self.assertEqual(self.iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"], [])

    def test_remove_role_not_in_profile_is_no_such_entity(self):
        name, role = unique("ip"), self._role()
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.assertClientError(
            lambda: self.iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=role), "NoSuchEntity", 404
        )

    def test_duplicate_is_entity_already_exists(self):
        name = unique("Ip")
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.assertClientError(
            lambda: self.iam.create_instance_profile(InstanceProfileName=name.upper()),
            "EntityAlreadyExists",
            409,
            message="Instance Profile %s already exists." % name.upper(),
        )

    def test_get_missing_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.get_instance_profile(InstanceProfileName="none-ip"),
            "NoSuchEntity",
            404,
            message="Instance Profile none-ip cannot be found.",
        )

    def test_add_missing_role_or_to_missing_profile_is_no_such_entity(self):
        name, role = unique("ip"), self._role()
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.assertClientError(
            lambda: self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName="none-role"),
            "NoSuchEntity",
            404,
            message="The role with name none-role cannot be found.",
        )
        self.assertClientError(
            lambda: self.iam.add_role_to_instance_profile(InstanceProfileName="none-ip", RoleName=role),
            "NoSuchEntity",
            404,
        )

    def test_delete_profile(self):
        name = unique("ip")
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.iam.delete_instance_profile(InstanceProfileName=name)
        self.assertClientError(lambda: self.iam.get_instance_profile(InstanceProfileName=name), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.delete_instance_profile(InstanceProfileName=name), "NoSuchEntity", 404)

    def test_delete_profile_with_role_is_delete_conflict(self):
        name, role = unique("ip"), self._role()
        self.iam.create_instance_profile(InstanceProfileName=name)
        self.iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
        self.assertClientError(
            lambda: self.iam.delete_instance_profile(InstanceProfileName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must remove roles from instance profile first.",
        )

    def test_bad_name_is_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(lambda: raw.create_instance_profile(InstanceProfileName="a b"), "ValidationError", 400)

    def test_list_for_missing_role_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.list_instance_profiles_for_role(RoleName="none-r"), "NoSuchEntity", 404)

    def test_tags(self):
        name = unique("ip")
        self.iam.create_instance_profile(InstanceProfileName=name, Tags=[{"Key": "a", "Value": "1"}])
        self.assertEqual(
            self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Tags"], [{"Key": "a", "Value": "1"}]
        )
        self.iam.tag_instance_profile(InstanceProfileName=name, Tags=[{"Key": "b", "Value": "2"}])
        tags = {t["Key"]: t["Value"] for t in self.iam.list_instance_profile_tags(InstanceProfileName=name)["Tags"]}
        self.assertEqual(tags, {"a": "1", "b": "2"})
        self.iam.untag_instance_profile(InstanceProfileName=name, TagKeys=["a"])
        self.assertEqual(
            self.iam.list_instance_profile_tags(InstanceProfileName=name)["Tags"], [{"Key": "b", "Value": "2"}]
        )
        self.assertClientError(
            lambda: self.iam.tag_instance_profile(InstanceProfileName="none-ip", Tags=[{"Key": "a", "Value": "1"}]),
            "NoSuchEntity",
            404,
        )


class ListInstanceProfiles(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web = [unique("web") for _ in range(4)]
        cls.db = [unique("db") for _ in range(2)]
        for n in cls.web:
            cls.iam.create_instance_profile(InstanceProfileName=n, Path="/web/")
        for n in cls.db:
            cls.iam.create_instance_profile(InstanceProfileName=n, Path="/db/")

    def test_list_all(self):
        got = {p["InstanceProfileName"] for p in self.iam.list_instance_profiles()["InstanceProfiles"]}
        self.assertEqual(got, set(self.web + self.db))

    def test_path_prefix(self):
        got = {p["InstanceProfileName"] for p in self.iam.list_instance_profiles(PathPrefix="/db/")["InstanceProfiles"]}
        self.assertEqual(got, set(self.db))

    def test_pagination(self):
        page = self.iam.list_instance_profiles(MaxItems=5)
        self.assertEqual(len(page["InstanceProfiles"]), 5)
        self.assertTrue(page["IsTruncated"])
        rest = self.iam.list_instance_profiles(MaxItems=5, Marker=page["Marker"])
        self.assertEqual(len(rest["InstanceProfiles"]), 1)
        self.assertFalse(rest["IsTruncated"])
