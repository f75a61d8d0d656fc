"""Inline policies on users, groups and roles with boto3: Put/Get/Delete/List,
documents returned exactly as written, and the errors of each path."""

import urllib.parse
import xml.etree.ElementTree as ET

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401

NS = {"i": harness.IAM_XMLNS}

# Each entity kind: how to create it, and the names of its operations/params.
KINDS = {
    "user": dict(param="UserName", put="put_user_policy", get="get_user_policy", delete="delete_user_policy",
                 list="list_user_policies", raw_get="GetUserPolicy", missing_msg="The user policy with name %s cannot be found."),
    "group": dict(param="GroupName", put="put_group_policy", get="get_group_policy", delete="delete_group_policy",
                  list="list_group_policies", raw_get="GetGroupPolicy", missing_msg="The group policy with name %s cannot be found."),
    "role": dict(param="RoleName", put="put_role_policy", get="get_role_policy", delete="delete_role_policy",
                 list="list_role_policies", raw_get="GetRolePolicy", missing_msg="The role policy with name %s cannot be found."),
}


class InlinePolicies(IamTestCase):
    def _entity(self, kind):
        name = unique(kind)
        if kind == "user":
            self.iam.create_user(UserName=name)
        elif kind == "group":
            self.iam.create_group(GroupName=name)
        else:
            self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        return name

    def _op(self, kind, op):
        return getattr(self.iam, KINDS[kind][op])

    def test_put_get_returns_decoded_document(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                self._op(kind, "put")(**{k["param"]: name}, PolicyName="read", PolicyDocument=doc(harness.ALLOW_S3_READ))
                got = self._op(kind, "get")(**{k["param"]: name}, PolicyName="read")
                self.assertEqual(got[k["param"]], name)
                self.assertEqual(got["PolicyName"], "read")
                self.assertEqual(got["PolicyDocument"], harness.ALLOW_S3_READ)

    def test_document_text_comes_back_exactly_as_written(self):
        text = '{\r\n "Version": "2012-10-17",\n "Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "arn:aws:s3:::x/%41+b c"}]  }'
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                self._op(kind, "put")(**{k["param"]: name}, PolicyName="exact", PolicyDocument=text)
                r = harness.iam_call(k["raw_get"], {k["param"]: name, "PolicyName": "exact"})
                self.assertEqual(r.status, 200, r)
                encoded = ET.fromstring(r.body).find(".//i:PolicyDocument", NS).text
                self.assertEqual(urllib.parse.unquote(encoded), text)

    def test_put_again_replaces_document(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                put = self._op(kind, "put")
                put(**{k["param"]: name}, PolicyName="p", PolicyDocument=doc(harness.ALLOW_S3_READ))
                put(**{k["param"]: name}, PolicyName="p", PolicyDocument=doc(harness.ALLOW_ALL))
                got = self._op(kind, "get")(**{k["param"]: name}, PolicyName="p")
                self.assertEqual(got["PolicyDocument"], harness.ALLOW_ALL)
                self.assertEqual(self._op(kind, "list")(**{k["param"]: name})["PolicyNames"], ["p"])

    def test_list_and_delete(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                for p in ("b-pol", "a-pol", "c-pol"):
                    self._op(kind, "put")(**{k["param"]: name}, PolicyName=p, PolicyDocument=doc(harness.ALLOW_ALL))
                listed = self._op(kind, "list")(**{k["param"]: name})
                self.assertEqual(sorted(listed["PolicyNames"]), ["a-pol", "b-pol", "c-pol"])
                self.assertFalse(listed["IsTruncated"])
                self._op(kind, "delete")(**{k["param"]: name}, PolicyName="b-pol")
                self.assertEqual(sorted(self._op(kind, "list")(**{k["param"]: name})["PolicyNames"]), ["a-pol", "c-pol"])
                self.assertClientError(
                    lambda: self._op(kind, "get")(**{k["param"]: name}, PolicyName="b-pol"),
                    "NoSuchEntity",
                    404,
                    message=k["missing_msg"] % "b-pol",
                )

    def test_list_pagination(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                names = ["p%d" % i for i in range(5)]
                for p in names:
                    self._op(kind, "put")(**{k["param"]: name}, PolicyName=p, PolicyDocument=doc(harness.ALLOW_ALL))
                page = self._op(kind, "list")(**{k["param"]: name}, MaxItems=2)
                self.assertEqual(len(page["PolicyNames"]), 2)
                self.assertTrue(page["IsTruncated"])
                seen = list(page["PolicyNames"])
                while page["IsTruncated"]:
                    page = self._op(kind, "list")(**{k["param"]: name}, MaxItems=2, Marker=page["Marker"])
                    seen += page["PolicyNames"]
                self.assertEqual(sorted(seen), names)

    def test_get_missing_inline_policy_is_no_such_entity(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                self.assertClientError(
                    lambda: self._op(kind, "get")(**{k["param"]: name}, PolicyName="absent"),
                    "NoSuchEntity",
                    404,
                    message=k["missing_msg"] % "absent",
                )
                self.assertClientError(
                    lambda: self._op(kind, "delete")(**{k["param"]: name}, PolicyName="absent"), "NoSuchEntity", 404
                )

    def test_operations_on_missing_entity_are_no_such_entity(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                args = {k["param"]: "missing-" + kind}
                self.assertClientError(
                    lambda: self._op(kind, "put")(**args, PolicyName="p", PolicyDocument=doc(harness.ALLOW_ALL)),
                    "NoSuchEntity",
                    404,
                )
                self.assertClientError(lambda: self._op(kind, "get")(**args, PolicyName="p"), "NoSuchEntity", 404)
                self.assertClientError(lambda: self._op(kind, "list")(**args), "NoSuchEntity", 404)

    def test_non_json_document_is_malformed_on_every_put(self):
        for kind, k in KINDS.items():
            with self.subTest(kind=kind):
                name = self._entity(kind)
                self.assertClientError(
                    lambda: self._op(kind, "put")(**{k["param"]: name}, PolicyName="bad", PolicyDocument=harness.NOT_JSON),
                    "MalformedPolicyDocument",
                    400,
                    message="Syntax errors in policy.",
                )
                self.assertEqual(self._op(kind, "list")(**{k["param"]: name})["PolicyNames"], [])

    def test_bad_policy_name_is_validation_error(self):
        raw = harness.client(validate=False)
        name = self._entity("role")
        self.assertClientError(
            lambda: raw.put_role_policy(RoleName=name, PolicyName="has space", PolicyDocument=doc(harness.ALLOW_ALL)),
            "ValidationError",
            400,
        )

    def test_inline_policy_names_are_per_entity(self):
        a, b = self._entity("role"), self._entity("role")
        self.iam.put_role_policy(RoleName=a, PolicyName="same", PolicyDocument=doc(harness.ALLOW_ALL))
        self.iam.put_role_policy(RoleName=b, PolicyName="same", PolicyDocument=doc(harness.ALLOW_S3_READ))
        self.assertEqual(self.iam.get_role_policy(RoleName=a, PolicyName="same")["PolicyDocument"], harness.ALLOW_ALL)
        self.assertEqual(self.iam.get_role_policy(RoleName=b, PolicyName="same")["PolicyDocument"], harness.ALLOW_S3_READ)
