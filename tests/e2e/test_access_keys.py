"""Access keys with boto3: create (AKIA id, 40-character secret), the limit of
two per user, list/update/delete, GetAccessKeyLastUsed, and a created key
acting as its user."""

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique  # noqa: F401


class AccessKeys(IamTestCase):
    def setUp(self):
        self.user = unique("keyuser")
        self.iam.create_user(UserName=self.user)

    def test_create_access_key_shape(self):
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        self.assertEqual(key["UserName"], self.user)
        self.assertRegex(key["AccessKeyId"], r"^AKIA[A-Z0-9]{16}$")
        self.assertEqual(len(key["SecretAccessKey"]), 40)
        self.assertRegex(key["SecretAccessKey"], r"^[A-Za-z0-9/+]{40}$")
        self.assertEqual(key["Status"], "Active")
        self.assertIn("CreateDate", key)

    def test_keys_are_unique(self):
        a = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        b = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        self.assertNotEqual(a["AccessKeyId"], b["AccessKeyId"])
        self.assertNotEqual(a["SecretAccessKey"], b["SecretAccessKey"])

    def test_third_key_is_limit_exceeded(self):
        self.iam.create_access_key(UserName=self.user)
        self.iam.create_access_key(UserName=self.user)
        self.assertClientError(
            lambda: self.iam.create_access_key(UserName=self.user),
            "LimitExceeded",
            409,
            message="Cannot exceed quota for AccessKeysPerUser: 2",
        )
        self.assertEqual(len(self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"]), 2)

    def test_inactive_keys_still_count_toward_limit(self):
        a = self.iam.create_access_key(UserName=self.user)["AccessKey"]["AccessKeyId"]
        self.iam.create_access_key(UserName=self.user)
        self.iam.update_access_key(UserName=self.user, AccessKeyId=a, Status="Inactive")
        self.assertClientError(lambda: self.iam.create_access_key(UserName=self.user), "LimitExceeded", 409)

    def test_list_access_keys_has_no_secret(self):
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        listed = self.iam.list_access_keys(UserName=self.user)
        self.assertFalse(listed["IsTruncated"])
        self.assertEqual(len(listed["AccessKeyMetadata"]), 1)
        meta = listed["AccessKeyMetadata"][0]
        self.assertEqual(meta["AccessKeyId"], key["AccessKeyId"])
        self.assertEqual(meta["UserName"], self.user)
        self.assertEqual(meta["Status"], "Active")
        self.assertNotIn("SecretAccessKey", meta)

    def test_update_access_key_status(self):
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]["AccessKeyId"]
        self.iam.update_access_key(UserName=self.user, AccessKeyId=key, Status="Inactive")
        self.assertEqual(self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"][0]["Status"], "Inactive")
        self.iam.update_access_key(UserName=self.user, AccessKeyId=key, Status="Active")
        self.assertEqual(self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"][0]["Status"], "Active")

    def test_update_with_bad_status_is_validation_error(self):
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]["AccessKeyId"]
        raw = harness.client(validate=False)
        self.assertClientError(
            lambda: raw.update_access_key(UserName=self.user, AccessKeyId=key, Status="Paused"), "ValidationError", 400
        )

    def test_update_missing_key_is_no_such_entity(self):
        missing = "AKIAAAAAAAAAAAAAAAAA"
        self.assertClientError(
            lambda: self.iam.update_access_key(UserName=self.user, AccessKeyId=missing, Status="Inactive"),
            "NoSuchEntity",
            404,
            message="The Access Key with id %s cannot be found." % missing,
        )

    def test_delete_access_key(self):
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]["AccessKeyId"]
        self.iam.delete_access_key(UserName=self.user, AccessKeyId=key)
        self.assertEqual(self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"], [])
        self.assertClientError(
            lambda: self.iam.delete_access_key(UserName=self.user, AccessKeyId=key),
            "NoSuchEntity",
            404,
            message="The Access Key with id %s cannot be found." % key,
        )

    def test_key_of_another_user_is_not_found_for_this_user(self):
        other = unique("other")
        self.iam.create_user(UserName=other)
        key = self.iam.create_access_key(UserName=other)["AccessKey"]["AccessKeyId"]
        self.assertClientError(
            lambda: self.iam.delete_access_key(UserName=self.user, AccessKeyId=key), "NoSuchEntity", 404
        )

    def test_create_key_for_missing_user_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.create_access_key(UserName="nobody-k"),
            "NoSuchEntity",
            404,
            message="The user with name nobody-k cannot be found.",
        )

    def test_list_keys_for_missing_user_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.list_access_keys(UserName="nobody-k"), "NoSuchEntity", 404)

    def test_get_access_key_last_used_for_unused_key(self):
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]["AccessKeyId"]
        got = self.iam.get_access_key_last_used(AccessKeyId=key)
        self.assertEqual(got["UserName"], self.user)
        last = got["AccessKeyLastUsed"]
        self.assertEqual(last["ServiceName"], "N/A")
        self.assertEqual(last["Region"], "N/A")
        self.assertNotIn("LastUsedDate", last)

    def test_get_access_key_last_used_for_unknown_key(self):
        with self.assertRaises(harness.ClientError) as cm:
            self.iam.get_access_key_last_used(AccessKeyId="AKIAZZZZZZZZZZZZZZZZ")
        self.assertIn(cm.exception.response["Error"]["Code"], ("NoSuchEntity", "AccessDenied"))
        self.assertIn(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], (404, 403))


class KeyActsAsItsUser(IamTestCase):
    def test_created_key_identifies_its_user(self):
        user = unique("caller")
        created = self.iam.create_user(UserName=user)["User"]
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        as_user = harness.client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        me = as_user.get_user()["User"]
        self.assertEqual(me["UserName"], user)
        self.assertEqual(me["Arn"], created["Arn"])
        self.assertEqual(me["UserId"], created["UserId"])

    def test_user_key_lists_its_own_keys_without_user_name(self):
        user = unique("self")
        self.iam.create_user(UserName=user)
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        as_user = harness.client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        meta = as_user.list_access_keys()["AccessKeyMetadata"]
        self.assertEqual([m["AccessKeyId"] for m in meta], [key["AccessKeyId"]])
        self.assertEqual(meta[0]["UserName"], user)

    def test_user_key_creates_second_key_for_itself(self):
        user = unique("self2")
        self.iam.create_user(UserName=user)
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        as_user = harness.client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        second = as_user.create_access_key()["AccessKey"]
        self.assertEqual(second["UserName"], user)
        self.assertEqual(len(self.iam.list_access_keys(UserName=user)["AccessKeyMetadata"]), 2)

    def test_key_in_other_account_acts_in_that_account(self):
        other = harness.account_client(harness.OTHER_ACCOUNT)
        user = unique("remote")
        other.create_user(UserName=user)
        key = other.create_access_key(UserName=user)["AccessKey"]
        as_user = harness.client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        me = as_user.get_user()["User"]
        self.assertEqual(me["Arn"], "arn:aws:iam::111111111111:user/" + user)
        self.assertClientError(lambda: self.iam.get_user(UserName=user), "NoSuchEntity", 404)

    def test_key_follows_its_user_through_a_rename(self):
        old, new = unique("before"), unique("after")
        self.iam.create_user(UserName=old)
        key = self.iam.create_access_key(UserName=old)["AccessKey"]
        self.iam.update_user(UserName=old, NewUserName=new)
        meta = self.iam.list_access_keys(UserName=new)["AccessKeyMetadata"]
        self.assertEqual([(m["AccessKeyId"], m["UserName"]) for m in meta], [(key["AccessKeyId"], new)])
        self.assertEqual(self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["UserName"], new)
        as_user = harness.client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
        self.assertEqual(as_user.get_user()["User"]["UserName"], new)

    def test_last_used_after_a_call(self):
        user = unique("used")
        self.iam.create_user(UserName=user)
        key = self.iam.create_access_key(UserName=user)["AccessKey"]
        harness.client(access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"]).get_user()
        last = self.iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
        self.assertEqual(last["UserName"], user)
        self.assertIn("ServiceName", last["AccessKeyLastUsed"])
        self.assertIn("Region", last["AccessKeyLastUsed"])
        if "LastUsedDate" in last["AccessKeyLastUsed"]:
            self.assertEqual(last["AccessKeyLastUsed"]["ServiceName"], "iam")
            self.assertEqual(last["AccessKeyLastUsed"]["Region"], "us-east-1")

