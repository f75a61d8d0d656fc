"""IAM groups and membership with boto3: create/get/update/delete/list,
AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser and their errors."""

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique  # noqa: F401


class GroupLifecycle(IamTestCase):
    def test_create_group_returns_arn_id_path(self):
        name = unique("devs")
        g = self.iam.create_group(GroupName=name, Path="/teams/")["Group"]
        self.assertEqual(g["GroupName"], name)
        self.assertEqual(g["Path"], "/teams/")
        self.assertEqual(g["Arn"], "arn:aws:iam::000000000000:group/teams/" + name)
        self.assertTrue(g["GroupId"].startswith("AGPA"), g["GroupId"])
        self.assertEqual(len(g["GroupId"]), 21)
        self.assertIn("CreateDate", g)

    def test_get_group_returns_group_and_empty_members(self):
        name = unique("empty")
        created = self.iam.create_group(GroupName=name)["Group"]
        got = self.iam.get_group(GroupName=name)
        self.assertEqual(got["Group"]["GroupId"], created["GroupId"])
        self.assertEqual(got["Group"]["Arn"], created["Arn"])
        self.assertEqual(got["Users"], [])
        self.assertFalse(got["IsTruncated"])

    def test_duplicate_group_name_ignoring_case_is_entity_already_exists(self):
        name = unique("Dup")
        self.iam.create_group(GroupName=name)
        self.assertClientError(
            lambda: self.iam.create_group(GroupName=name.lower()),
            "EntityAlreadyExists",
            409,
            message="Group with name %s already exists." % name.lower(),
        )

    def test_get_missing_group_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.get_group(GroupName="no-such-group"),
            "NoSuchEntity",
            404,
            message="The group with name no-such-group cannot be found.",
        )

    def test_update_group_renames_and_moves_keeping_members(self):
        old, new, user = unique("old"), unique("new"), unique("member")
        gid = self.iam.create_group(GroupName=old)["Group"]["GroupId"]
        self.iam.create_user(UserName=user)
        self.iam.add_user_to_group(GroupName=old, UserName=user)
        arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
        self.iam.attach_group_policy(GroupName=old, PolicyArn=arn)
        self.iam.update_group(GroupName=old, NewGroupName=new, NewPath="/renamed/")
        groups = [g["GroupName"] for g in self.iam.list_entities_for_policy(PolicyArn=arn)["PolicyGroups"]]
        self.assertEqual(groups, [new])
        self.assertEqual([p["PolicyArn"] for p in self.iam.list_attached_group_policies(GroupName=new)["AttachedPolicies"]], [arn])
        got = self.iam.get_group(GroupName=new)
        self.assertEqual(got["Group"]["GroupId"], gid)
        self.assertEqual(got["Group"]["Path"], "/renamed/")
        self.assertEqual(got["Group"]["Arn"], "arn:aws:iam::000000000000:group/renamed/" + new)
        self.assertEqual([u["UserName"] for u in got["Users"]], [user])
        self.assertClientError(lambda: self.iam.get_group(GroupName=old), "NoSuchEntity", 404)
        groups = [g["GroupName"] for g in self.iam.list_groups_for_user(UserName=user)["Groups"]]
        self.assertEqual(groups, [new])

    def test_update_missing_group_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.update_group(GroupName="nope-g", NewPath="/x/"), "NoSuchEntity", 404)

    def test_rename_onto_existing_group_is_entity_already_exists(self):
        a, b = unique("a"), unique("b")
        self.iam.create_group(GroupName=a)
        self.iam.create_group(GroupName=b)
        self.assertClientError(lambda: self.iam.update_group(GroupName=a, NewGroupName=b), "EntityAlreadyExists", 409)

    def test_delete_group(self):
        name = unique("del")
        self.iam.create_group(GroupName=name)
        self.iam.delete_group(GroupName=name)
        self.assertClientError(lambda: self.iam.get_group(GroupName=name), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.delete_group(GroupName=name), "NoSuchEntity", 404)

    def test_delete_group_with_members_is_delete_conflict(self):
        name, user = unique("full"), unique("u")
        self.iam.create_group(GroupName=name)
        self.iam.create_user(UserName=user)
        self.iam.add_user_to_group(GroupName=name, UserName=user)
        self.assertClientError(
            lambda: self.iam.delete_group(GroupName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must remove users from group first.",
        )

    def test_delete_group_with_attached_policy_is_delete_conflict(self):
        name = unique("pol")
        self.iam.create_group(GroupName=name)
        self.iam.attach_group_policy(GroupName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.assertClientError(
            lambda: self.iam.delete_group(GroupName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must detach all policies first.",
        )

    def test_delete_group_with_inline_policy_is_delete_conflict(self):
        name = unique("inl")
        self.iam.create_group(GroupName=name)
        self.iam.put_group_policy(GroupName=name, PolicyName="p", PolicyDocument=harness.doc(harness.ALLOW_ALL))
        self.assertClientError(
            lambda: self.iam.delete_group(GroupName=name),
            "DeleteConflict",
            409,
            message="Cannot delete entity, must delete policies first.",
        )

    def test_bad_group_name_is_validation_error(self):
        raw = harness.client(validate=False)
        e = self.assertClientError(lambda: raw.create_group(GroupName="bad/name"), "ValidationError", 400)
        self.assertIn("groupName", e.response["Error"]["Message"])


class Membership(IamTestCase):
    def test_add_list_remove_membership(self):
        g1, g2, user = unique("g1"), unique("g2"), unique("u")
        self.iam.create_group(GroupName=g1)
        self.iam.create_group(GroupName=g2)
        self.iam.create_user(UserName=user)
        self.iam.add_user_to_group(GroupName=g1, UserName=user)
        self.iam.add_user_to_group(GroupName=g2, UserName=user)
        groups = self.iam.list_groups_for_user(UserName=user)
        self.assertEqual({g["GroupName"] for g in groups["Groups"]}, {g1, g2})
        self.assertFalse(groups["IsTruncated"])
        for g in groups["Groups"]:
            self.assertTrue(g["GroupId"].startswith("AGPA"))
            self.assertTrue(g["Arn"].endswith(":group/" + g["GroupName"]))
        members = self.iam.get_group(GroupName=g1)["Users"]
        self.assertEqual([m["UserName"] for m in members], [user])
        self.assertTrue(members[0]["UserId"].startswith("AIDA"))
        self.iam.remove_user_from_group(GroupName=g1, UserName=user)
        self.assertEqual(self.iam.get_group(GroupName=g1)["Users"], [])
        self.assertEqual([g["GroupName"] for g in self.iam.list_groups_for_user(UserName=user)["Groups"]], [g2])

    def test_add_missing_user_is_no_such_entity(self):
        g = unique("g")
        self.iam.create_group(GroupName=g)
        self.assertClientError(
            lambda: self.iam.add_user_to_group(GroupName=g, UserName="ghost-m"),
            "NoSuchEntity",
            404,
            message="The user with name ghost-m cannot be found.",
        )

    def test_add_to_missing_group_is_no_such_entity(self):
        u = unique("u")
        self.iam.create_user(UserName=u)
        self.assertClientError(
            lambda: self.iam.add_user_to_group(GroupName="ghost-g", UserName=u),
            "NoSuchEntity",
            404,
            message="The group with name ghost-g cannot be found.",
        )

    def test_remove_non_member_is_no_such_entity(self):
        g, u = unique("g"), unique("u")
        self.iam.create_group(GroupName=g)
        self.iam.create_user(UserName=u)
        self.assertClientError(lambda: self.iam.remove_user_from_group(GroupName=g, UserName=u), "NoSuchEntity", 404)

    def test_list_groups_for_missing_user_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.list_groups_for_user(UserName="nobody-lg"), "NoSuchEntity", 404)

    def test_adding_twice_keeps_one_membership(self):
        g, u = unique("g"), unique("u")
        self.iam.create_group(GroupName=g)
        self.iam.create_user(UserName=u)
        self.iam.add_user_to_group(GroupName=g, UserName=u)
        self.iam.add_user_to_group(GroupName=g, UserName=u)
        self.assertEqual(len(self.iam.get_group(GroupName=g)["Users"]), 1)

    def test_deleting_user_after_removal_updates_group(self):
        g, u = unique("g"), unique("u")
        self.iam.create_group(GroupName=g)
        self.iam.create_user(UserName=u)
        self.iam.add_user_to_group(GroupName=g, UserName=u)
        self.iam.remove_user_from_group(GroupName=g, UserName=u)
        self.iam.delete_user(UserName=u)
        self.assertEqual(self.iam.get_group(GroupName=g)["Users"], [])

    def test_get_group_pages_members(self):
        g = unique("big")
        self.iam.create_group(GroupName=g)
        users = [unique("m") for _ in range(5)]
        for u in users:
            self.iam.create_user(UserName=u)
            self.iam.add_user_to_group(GroupName=g, UserName=u)
        page = self.iam.get_group(GroupName=g, MaxItems=2)
        self.assertEqual(len(page["Users"]), 2)
        self.assertTrue(page["IsTruncated"])
        pages = self.iam.get_paginator("get_group").paginate(GroupName=g, PaginationConfig={"PageSize": 2})
        seen = [u["UserName"] for p in pages for u in p["Users"]]
        self.assertEqual(sorted(seen), sorted(users))


class ListGroups(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = [unique("ga") for _ in range(5)]
        cls.b = [unique("gb") for _ in range(2)]
        for n in cls.a:
            cls.iam.create_group(GroupName=n, Path="/a/")
        for n in cls.b:
            cls.iam.create_group(GroupName=n, Path="/b/")

    def test_list_all_groups(self):
        self.assertEqual({g["GroupName"] for g in self.iam.list_groups()["Groups"]}, set(self.a + self.b))

    def test_path_prefix(self):
        self.assertEqual({g["GroupName"] for g in self.iam.list_groups(PathPrefix="/b/")["Groups"]}, set(self.b))

    def test_pagination_marker(self):
        page = self.iam.list_groups(MaxItems=4)
        self.assertEqual(len(page["Groups"]), 4)
        self.assertTrue(page["IsTruncated"])
        rest = self.iam.list_groups(MaxItems=4, Marker=page["Marker"])
        self.assertEqual(len(rest["Groups"]), 3)
        self.assertFalse(rest["IsTruncated"])
        names = [g["GroupName"] for g in page["Groups"] + rest["Groups"]]
        self.assertEqual(sorted(names), sorted(self.a + self.b))


class GroupsAcrossAccounts(IamTestCase):
    def test_group_invisible_to_other_account(self):
        name = unique("g")
        self.iam.create_group(GroupName=name)
        other = harness.account_client(harness.OTHER_ACCOUNT)
        self.assertClientError(lambda: other.get_group(GroupName=name), "NoSuchEntity", 404)
        self.assertNotIn(name, [g["GroupName"] for g in other.list_groups()["Groups"]])
