"""IAM users with boto3: create/get/update/delete/list, paths, tags, names,
permissions boundaries, and the conflicts DeleteUser reports."""

import datetime

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique  # noqa: F401


class CreateAndGetUser(IamTestCase):
    def test_create_user_returns_arn_id_path_and_date(self):
        name = unique("alice")
        user = self.iam.create_user(UserName=name)["User"]
        self.assertEqual(user["UserName"], name)
        self.assertEqual(user["Path"], "/")
        self.assertEqual(user["Arn"], "arn:aws:iam::000000000000:user/" + name)
        self.assertTrue(user["UserId"].startswith("AIDA"), user["UserId"])
        self.assertEqual(len(user["UserId"]), 21)
        self.assertTrue(user["UserId"][4:].isalnum() and user["UserId"].isupper())
        self.assertIsInstance(user["CreateDate"], datetime.datetime)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - user["CreateDate"]).total_seconds()), 300)

    def test_create_user_with_path_puts_path_in_arn(self):
        name = unique("pathy")
        user = self.iam.create_user(UserName=name, Path="/division/team/")["User"]
        self.assertEqual(user["Path"], "/division/team/")
        self.assertEqual(user["Arn"], "arn:aws:iam::000000000000:user/division/team/" + name)

    def test_get_user_returns_what_create_returned(self):
        name = unique("bob")
        created = self.iam.create_user(UserName=name, Path="/x/")["User"]
        got = self.iam.get_user(UserName=name)["User"]
        for key in ("UserName", "UserId", "Arn", "Path", "CreateDate"):
            self.assertEqual(got[key], created[key], key)

    def test_get_user_lookup_ignores_case_and_returns_stored_spelling(self):
        name = unique("MixedCase")
        self.iam.create_user(UserName=name)
        got = self.iam.get_user(UserName=name.lower())["User"]
        self.assertEqual(got["UserName"], name)

    def test_user_ids_are_unique(self):
        ids = {self.iam.create_user(UserName=unique("u"))["User"]["UserId"] for _ in range(5)}
        self.assertEqual(len(ids), 5)

    def test_get_missing_user_is_no_such_entity_404(self):
        self.assertClientError(
            lambda: self.iam.get_user(UserName="nobody-here"),
            "NoSuchEntity",
            404,
            message="The user with name nobody-here cannot be found.",
        )

    def test_duplicate_name_ignoring_case_is_entity_already_exists_409(self):
        name = unique("dup")
        self.iam.create_user(UserName=name)
        self.assertClientError(
            lambda: self.iam.create_user(UserName=name.upper()),
            "EntityAlreadyExists",
            409,
            message="User with name %s already exists." % name.upper(),
        )

    def test_get_user_without_name_as_root_returns_root_arn(self):
        user = self.iam.get_user()["User"]
        self.assertEqual(user["Arn"], "arn:aws:iam::000000000000:root")

    def test_name_with_space_is_validation_error(self):
        raw = harness.client(validate=False)
        e = self.assertClientError(lambda: raw.create_user(UserName="bad name"), "ValidationError", 400)
        self.assertIn("at 'userName' failed to satisfy constraint", e.response["Error"]["Message"])

    def test_name_longer_than_64_is_validation_error(self):
        e = self.assertClientError(lambda: self.iam.create_user(UserName="u" * 65), "ValidationError", 400)
        self.assertIn("userName", e.response["Error"]["Message"])
        self.assertIn("Member must have length less than or equal to 64", e.response["Error"]["Message"])

    def test_name_of_exactly_64_is_accepted(self):
        name = ("n%s" % unique("")).ljust(64, "x")[:64]
        self.assertEqual(self.iam.create_user(UserName=name)["User"]["UserName"], name)

    def test_bad_path_is_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(lambda: raw.create_user(UserName=unique("p"), Path="no-slashes"), "ValidationError", 400)

    def test_missing_user_name_is_validation_error(self):
        raw = harness.client(validate=False)
        e = self.assertClientError(lambda: raw.create_user(), "ValidationError", 400)
        self.assertIn("userName", e.response["Error"]["Message"])


class UpdateAndDeleteUser(IamTestCase):
    def test_update_user_renames_and_moves(self):
        old, new = unique("old"), unique("new")
        created = self.iam.create_user(UserName=old)["User"]
        self.iam.update_user(UserName=old, NewUserName=new, NewPath="/moved/")
        got = self.iam.get_user(UserName=new)["User"]
        self.assertEqual(got["UserName"], new)
        self.assertEqual(got["Path"], "/moved/")
        self.assertEqual(got["UserId"], created["UserId"])
        self.assertEqual(got["Arn"], "arn:aws:iam::000000000000:user/moved/" + new)
        self.assertClientError(lambda: self.iam.get_user(UserName=old), "NoSuchEntity", 404)

    def test_rename_keeps_group_membership_and_policies(self):
        old, new, group = unique("old"), unique("new"), unique("g")
        self.iam.create_user(UserName=old)
        self.iam.create_group(GroupName=group)
        self.iam.add_user_to_group(GroupName=group, UserName=old)
        self.iam.put_user_policy(UserName=old, PolicyName="p", PolicyDocument=harness.doc(harness.ALLOW_ALL))
        arn = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        self.iam.attach_user_policy(UserName=old, PolicyArn=arn)
        self.iam.update_user(UserName=old, NewUserName=new)
        members = [u["UserName"] for u in self.iam.get_group(GroupName=group)["Users"]]
        self.assertEqual(members, [new])
        self.assertEqual(self.iam.list_user_policies(UserName=new)["PolicyNames"], ["p"])
        self.assertEqual([p["PolicyArn"] for p in self.iam.list_attached_user_policies(UserName=new)["AttachedPolicies"]], [arn])
        users = [u["UserName"] for u in self.iam.list_entities_for_policy(PolicyArn=arn)["PolicyUsers"]]
        self.assertEqual(users, [new])

    def test_update_missing_user_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.update_user(UserName="ghost-user", NewPath="/a/"),
            "NoSuchEntity",
            404,
            message="The user with name ghost-user cannot be found.",
        )

    def test_rename_onto_existing_name_is_entity_already_exists(self):
        a, b = unique("a"), unique("b")
        self.iam.create_user(UserName=a)
        self.iam.create_user(UserName=b)
        self.assertClientError(lambda: self.iam.update_user(UserName=a, NewUserName=b), "EntityAlreadyExists", 409)

    def test_delete_user_removes_it(self):
        name = unique("gone")
        self.iam.create_user(UserName=name)
        self.iam.delete_user(UserName=name)
        self.assertClientError(lambda: self.iam.get_user(UserName=name), "NoSuchEntity", 404)
        names = [u["UserName"] for u in self.iam.list_users()["Users"]]
        self.assertNotIn(name, names)

    def test_delete_missing_user_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.delete_user(UserName="never-was"),
            "NoSuchEntity",
            404,
            message="The user with name never-was cannot be found.",
        )

    def test_delete_user_with_access_key_is_delete_conflict(self):
        name = unique("keyed")
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
        self.assertClientError(
            lambda: self.iam.delete_user(UserName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must delete access keys first.",
        )
        self.iam.delete_access_key(UserName=name, AccessKeyId=key)
        self.iam.delete_user(UserName=name)

    def test_delete_user_with_inline_policy_is_delete_conflict(self):
        name = unique("inl")
        self.iam.create_user(UserName=name)
        self.iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=harness.doc(harness.ALLOW_ALL))
        self.assertClientError(
            lambda: self.iam.delete_user(UserName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must delete policies first.",
        )
        self.iam.delete_user_policy(UserName=name, PolicyName="p")
        self.iam.delete_user(UserName=name)

    def test_delete_user_with_attached_policy_is_delete_conflict(self):
        name = unique("att")
        arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        self.iam.create_user(UserName=name)
        self.iam.attach_user_policy(UserName=name, PolicyArn=arn)
        self.assertClientError(
            lambda: self.iam.delete_user(UserName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must detach all policies first.",
        )
        self.iam.detach_user_policy(UserName=name, PolicyArn=arn)
        self.iam.delete_user(UserName=name)

    def test_delete_user_in_group_is_delete_conflict(self):
        name, group = unique("mem"), unique("grp")
        self.iam.create_user(UserName=name)
        self.iam.create_group(GroupName=group)
        self.iam.add_user_to_group(GroupName=group, UserName=name)
        self.assertClientError(
            lambda: self.iam.delete_user(UserName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must remove users from group first.",
        )
        self.iam.remove_user_from_group(GroupName=group, UserName=name)
        self.iam.delete_user(UserName=name)

    def test_name_can_be_reused_after_delete(self):
        name = unique("again")
        first = self.iam.create_user(UserName=name)["User"]["UserId"]
        self.iam.delete_user(UserName=name)
        second = self.iam.create_user(UserName=name)["User"]["UserId"]
        self.assertNotEqual(first, second)


class ListUsers(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eng = [unique("eng") for _ in range(7)]
        cls.ops = [unique("ops") for _ in range(3)]
        for n in cls.eng:
            cls.iam.create_user(UserName=n, Path="/engineering/")
        for n in cls.ops:
            cls.iam.create_user(UserName=n, Path="/ops/")

    def test_list_users_returns_all(self):
        got = {u["UserName"] for u in self.iam.list_users()["Users"]}
        self.assertEqual(got, set(self.eng + self.ops))

    def test_list_users_entries_carry_arn_id_path_date(self):
        for u in self.iam.list_users()["Users"]:
            self.assertTrue(u["UserId"].startswith("AIDA"))
            self.assertEqual(u["Arn"], "arn:aws:iam::000000000000:user%s%s" % (u["Path"], u["UserName"]))
            self.assertIn("CreateDate", u)

    def test_list_users_omits_tags_and_boundary(self):
        # AWS documents that ListUsers does not return these; GetUser does.
        name = unique("omit")
        self.iam.create_user(
            UserName=name, Path="/omit/", Tags=[{"Key": "a", "Value": "b"}],
            PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess",
        )
        try:
            listed = self.iam.list_users(PathPrefix="/omit/")["Users"]
            self.assertEqual([u["UserName"] for u in listed], [name])
            self.assertNotIn("Tags", listed[0])
            self.assertNotIn("PermissionsBoundary", listed[0])
        finally:
            self.iam.delete_user_permissions_boundary(UserName=name)
            self.iam.delete_user(UserName=name)

    def test_path_prefix_filters(self):
        got = {u["UserName"] for u in self.iam.list_users(PathPrefix="/ops/")["Users"]}
        self.assertEqual(got, set(self.ops))
        got = {u["UserName"] for u in self.iam.list_users(PathPrefix="/eng")["Users"]}
        self.assertEqual(got, set(self.eng))
        self.assertEqual(self.iam.list_users(PathPrefix="/nothing/")["Users"], [])

    def test_max_items_and_marker_page_through_everything_once(self):
        seen = []
        page = self.iam.list_users(MaxItems=3)
        self.assertEqual(len(page["Users"]), 3)
        self.assertTrue(page["IsTruncated"])
        self.assertIn("Marker", page)
        seen += [u["UserName"] for u in page["Users"]]
        while page["IsTruncated"]:
            page = self.iam.list_users(MaxItems=3, Marker=page["Marker"])
            self.assertLessEqual(len(page["Users"]), 3)
            seen += [u["UserName"] for u in page["Users"]]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen), set(self.eng + self.ops))
        self.assertNotIn("Marker", page)

    def test_paginator_with_path_prefix(self):
        pages = self.iam.get_paginator("list_users").paginate(PathPrefix="/engineering/", PaginationConfig={"PageSize": 2})
        names = [u["UserName"] for p in pages for u in p["Users"]]
        self.assertEqual(sorted(names), sorted(self.eng))

    def test_max_items_zero_is_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(lambda: raw.list_users(MaxItems=0), "ValidationError", 400)


class UserTags(IamTestCase):
    def test_create_with_tags_then_list_and_get(self):
        name = unique("tagged")
        tags = [{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "dev"}]
        self.iam.create_user(UserName=name, Tags=tags)
        listed = self.iam.list_user_tags(UserName=name)
        self.assertEqual(sorted(listed["Tags"], key=lambda t: t["Key"]), sorted(tags, key=lambda t: t["Key"]))
        self.assertFalse(listed["IsTruncated"])
        got = self.iam.get_user(UserName=name)["User"]
        self.assertEqual(sorted(got["Tags"], key=lambda t: t["Key"]), sorted(tags, key=lambda t: t["Key"]))

    def test_tag_user_adds_and_overwrites(self):
        name = unique("t")
        self.iam.create_user(UserName=name, Tags=[{"Key": "a", "Value": "1"}])
        self.iam.tag_user(UserName=name, Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": ""}])
        tags = {t["Key"]: t["Value"] for t in self.iam.list_user_tags(UserName=name)["Tags"]}
        self.assertEqual(tags, {"a": "2", "b": ""})

    def test_untag_user_removes_keys_and_ignores_unknown(self):
        name = unique("t")
        self.iam.create_user(UserName=name, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        self.iam.untag_user(UserName=name, TagKeys=["a", "not-there"])
        self.assertEqual(self.iam.list_user_tags(UserName=name)["Tags"], [{"Key": "b", "Value": "2"}])

    def test_tagging_missing_user_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.tag_user(UserName="no-user-x", Tags=[{"Key": "a", "Value": "b"}]), "NoSuchEntity", 404
        )
        self.assertClientError(lambda: self.iam.list_user_tags(UserName="no-user-x"), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.untag_user(UserName="no-user-x", TagKeys=["a"]), "NoSuchEntity", 404)


class UserPermissionsBoundary(IamTestCase):
    def test_put_boundary_shows_in_get_user_and_delete_removes_it(self):
        name = unique("bounded")
        arn = "arn:aws:iam::aws:policy/PowerUserAccess"
        self.iam.create_user(UserName=name)
        self.assertNotIn("PermissionsBoundary", self.iam.get_user(UserName=name)["User"])
        self.iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=arn)
        pb = self.iam.get_user(UserName=name)["User"]["PermissionsBoundary"]
        self.assertEqual(pb, {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn})
        self.iam.delete_user_permissions_boundary(UserName=name)
        self.assertNotIn("PermissionsBoundary", self.iam.get_user(UserName=name)["User"])

    def test_create_user_with_customer_boundary(self):
        policy = self.iam.create_policy(PolicyName=unique("pb"), PolicyDocument=harness.doc(harness.ALLOW_S3_READ))["Policy"]
        name = unique("bounded")
        user = self.iam.create_user(UserName=name, PermissionsBoundary=policy["Arn"])["User"]
        self.assertEqual(user["PermissionsBoundary"]["PermissionsBoundaryArn"], policy["Arn"])
        got = self.iam.get_user(UserName=name)["User"]
        self.assertEqual(got["PermissionsBoundary"]["PermissionsBoundaryArn"], policy["Arn"])
        self.assertEqual(self.iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["PermissionsBoundaryUsageCount"], 1)

    def test_boundary_on_missing_user_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.put_user_permissions_boundary(
                UserName="nobody-b", PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess"
            ),
            "NoSuchEntity",
            404,
        )

    def test_missing_boundary_policy_is_no_such_entity(self):
        name = unique("u")
        self.iam.create_user(UserName=name)
        missing = "arn:aws:iam::000000000000:policy/does-not-exist"
        self.assertClientError(
            lambda: self.iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=missing),
            "NoSuchEntity",
            404,
        )


class UsersAcrossAccounts(IamTestCase):
    def test_other_account_does_not_see_users_and_can_reuse_name(self):
        name = unique("shared")
        self.iam.create_user(UserName=name)
        other = harness.account_client(harness.OTHER_ACCOUNT)
        self.assertNotIn(name, [u["UserName"] for u in other.list_users()["Users"]])
        self.assertClientError(lambda: other.get_user(UserName=name), "NoSuchEntity", 404)
        user = other.create_user(UserName=name)["User"]
        self.assertEqual(user["Arn"], "arn:aws:iam::111111111111:user/" + name)
        other.delete_user(UserName=name)
        self.assertEqual(self.iam.get_user(UserName=name)["User"]["Arn"], "arn:aws:iam::000000000000:user/" + name)


if __name__ == "__main__":
    import unittest

    unittest.main()

