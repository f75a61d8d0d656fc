"""Tags on every taggable entity of this emulator (users, roles, customer
managed policies, instance profiles) with boto3: the 50-tag limit, key
case-insensitivity, value limits, and Tag/Untag/List on each."""

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401


def _tags(n, prefix="k"):
    return [{"Key": "%s%02d" % (prefix, i), "Value": "v%d" % i} for i in range(n)]


class TagLimits(IamTestCase):
    def _kinds(self):
        """(label, create(tags)->id, tag(id, tags), untag(id, keys), list(id)->tags)."""
        iam = self.iam

        def mk_user(tags):
            n = unique("u")
            iam.create_user(UserName=n, **({"Tags": tags} if tags else {}))
            return n

        def mk_role(tags):
            n = unique("r")
            iam.create_role(RoleName=n, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), **({"Tags": tags} if tags else {}))
            return n

        def mk_policy(tags):
            return iam.create_policy(
                PolicyName=unique("p"), PolicyDocument=doc(harness.ALLOW_ALL), **({"Tags": tags} if tags else {})
            )["Policy"]["Arn"]

        def mk_profile(tags):
            n = unique("ip")
            iam.create_instance_profile(InstanceProfileName=n, **({"Tags": tags} if tags else {}))
            return n

        return [
            ("user", mk_user, lambda i, t: iam.tag_user(UserName=i, Tags=t), lambda i, k: iam.untag_user(UserName=i, TagKeys=k),
             lambda i: iam.list_user_tags(UserName=i)["Tags"]),
            ("role", mk_role, lambda i, t: iam.tag_role(RoleName=i, Tags=t), lambda i, k: iam.untag_role(RoleName=i, TagKeys=k),
             lambda i: iam.list_role_tags(RoleName=i)["Tags"]),
            ("policy", mk_policy, lambda i, t: iam.tag_policy(PolicyArn=i, Tags=t),
             lambda i, k: iam.untag_policy(PolicyArn=i, TagKeys=k), lambda i: iam.list_policy_tags(PolicyArn=i)["Tags"]),
            ("instance-profile", mk_profile, lambda i, t: iam.tag_instance_profile(InstanceProfileName=i, Tags=t),
             lambda i, k: iam.untag_instance_profile(InstanceProfileName=i, TagKeys=k),
             lambda i: iam.list_instance_profile_tags(InstanceProfileName=i)["Tags"]),
        ]

    def test_fifty_tags_are_accepted_at_create(self):
        for label, create, _tag, _untag, list_tags in self._kinds():
            with self.subTest(kind=label):
                ident = create(_tags(50))
                self.assertEqual(len(list_tags(ident)), 50)

    def test_fifty_one_tags_at_create_are_rejected(self):
        for label, create, _tag, _untag, _list in self._kinds():
            with self.subTest(kind=label):
                with self.assertRaises(harness.ClientError) as cm:
                    create(_tags(51))
                code = cm.exception.response["Error"]["Code"]
                status = cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]
                self.assertIn((code, status), [("LimitExceeded", 409), ("ValidationError", 400)], cm.exception.response)

    def test_tagging_past_fifty_total_is_limit_exceeded(self):
        for label, create, tag, _untag, list_tags in self._kinds():
            with self.subTest(kind=label):
                ident = create(_tags(45))
                self.assertClientError(lambda: tag(ident, _tags(6, prefix="x")), "LimitExceeded", 409)
                self.assertEqual(len(list_tags(ident)), 45)
                tag(ident, _tags(5, prefix="x"))
                self.assertEqual(len(list_tags(ident)), 50)

    def test_overwriting_existing_keys_at_fifty_is_allowed(self):
        for label, create, tag, _untag, list_tags in self._kinds():
            with self.subTest(kind=label):
                ident = create(_tags(50))
                tag(ident, [{"Key": "k00", "Value": "changed"}])
                tags = {t["Key"]: t["Value"] for t in list_tags(ident)}
                self.assertEqual(len(tags), 50)
                self.assertEqual(tags["k00"], "changed")

    def test_untag_then_tag_again(self):
        for label, create, tag, untag, list_tags in self._kinds():
            with self.subTest(kind=label):
                ident = create(_tags(50))
                untag(ident, ["k01", "k02"])
                tag(ident, [{"Key": "new1", "Value": "a"}, {"Key": "new2", "Value": "b"}])
                keys = {t["Key"] for t in list_tags(ident)}
                self.assertEqual(len(keys), 50)
                self.assertNotIn("k01", keys)
                self.assertIn("new2", keys)

    def test_tag_keys_are_case_insensitive(self):
        for label, create, tag, _untag, list_tags in self._kinds():
            with self.subTest(kind=label):
                ident = create([{"Key": "Env", "Value": "a"}])
                tag(ident, [{"Key": "env", "Value": "b"}])
                tags = list_tags(ident)
                self.assertEqual(len(tags), 1, tags)
                self.assertEqual(tags[0]["Value"], "b")

    def test_duplicate_keys_in_one_request_are_invalid_input(self):
        for label, create, tag, _untag, _list in self._kinds():
            with self.subTest(kind=label):
                ident = create(None)
                self.assertClientError(
                    lambda: tag(ident, [{"Key": "dup", "Value": "1"}, {"Key": "DUP", "Value": "2"}]), "InvalidInput", 400
                )

    def test_value_longer_than_256_is_validation_error(self):
        for label, create, tag, _untag, _list in self._kinds():
            with self.subTest(kind=label):
                ident = create(None)
                self.assertClientError(lambda: tag(ident, [{"Key": "long", "Value": "v" * 257}]), "ValidationError", 400)

    def test_key_longer_than_128_is_validation_error(self):
        for label, create, tag, _untag, _list in self._kinds():
            with self.subTest(kind=label):
                ident = create(None)
                self.assertClientError(lambda: tag(ident, [{"Key": "k" * 129, "Value": "v"}]), "ValidationError", 400)

    def test_list_tags_paginates(self):
        name = unique("pg")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), Tags=_tags(30))
        page = self.iam.list_role_tags(RoleName=name, MaxItems=20)
        self.assertEqual(len(page["Tags"]), 20)
        self.assertTrue(page["IsTruncated"])
        rest = self.iam.list_role_tags(RoleName=name, MaxItems=20, Marker=page["Marker"])
        self.assertEqual(len(rest["Tags"]), 10)
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual({t["Key"] for t in page["Tags"] + rest["Tags"]}, {t["Key"] for t in _tags(30)})
