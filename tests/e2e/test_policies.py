"""Managed policies with boto3: customer policies and their versions,
attach/detach to users, groups and roles, ListAttached*, ListPolicies,
ListEntitiesForPolicy, policy tags, and the AWS managed policy catalogue."""

import json
import os
import urllib.parse
import xml.etree.ElementTree as ET

from botocore.exceptions import ClientError

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401

NS = {"i": harness.IAM_XMLNS}
ACCOUNT_POLICY = "arn:aws:iam::000000000000:policy/"

AWS_MANAGED = [
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/IAMFullAccess",
    "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
]


def _catalogue():
    path = os.path.join(os.path.dirname(__file__), "..", "..", "data", "aws-managed-policies.json")
    with open(path) as f:
        return {p["Arn"]: p for p in json.load(f)["policies"]}


def raw_policy_version_text(arn, version_id):
    r = harness.iam_call("GetPolicyVersion", {"PolicyArn": arn, "VersionId": version_id})
    assert r.status == 200, r
    encoded = ET.fromstring(r.body).find(".//i:PolicyVersion/i:Document", NS).text
    return urllib.parse.unquote(encoded)


class CustomerPolicies(IamTestCase):
    def test_create_policy_fields(self):
        name = unique("pol")
        p = self.iam.create_policy(
            PolicyName=name, Path="/team/", PolicyDocument=doc(harness.ALLOW_S3_READ), Description="reads s3"
        )["Policy"]
        self.assertEqual(p["PolicyName"], name)
        self.assertEqual(p["Arn"], ACCOUNT_POLICY + "team/" + name)
        self.assertEqual(p["Path"], "/team/")
        self.assertTrue(p["PolicyId"].startswith("ANPA"), p["PolicyId"])
        self.assertEqual(len(p["PolicyId"]), 21)
        self.assertEqual(p["DefaultVersionId"], "v1")
        self.assertEqual(p["AttachmentCount"], 0)
        self.assertEqual(p["PermissionsBoundaryUsageCount"], 0)
        self.assertTrue(p["IsAttachable"])
        self.assertIn("CreateDate", p)
        self.assertIn("UpdateDate", p)
        got = self.iam.get_policy(PolicyArn=p["Arn"])["Policy"]
        self.assertEqual(got["Description"], "reads s3")
        self.assertEqual(got["PolicyId"], p["PolicyId"])

    def test_get_policy_version_returns_document_as_written(self):
        name = unique("exact")
        text = '{"Version":"2012-10-17",\n   "Statement":[{"Effect":"Allow","Action":"s3:GetObject",\t"Resource":"arn:aws:s3:::b/a%20b+c"}]}'
        arn = self.iam.create_policy(PolicyName=name, PolicyDocument=text)["Policy"]["Arn"]
        v = self.iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
        self.assertEqual(v["Document"], json.loads(text))
        self.assertTrue(v["IsDefaultVersion"])
        self.assertEqual(v["VersionId"], "v1")
        self.assertEqual(raw_policy_version_text(arn, "v1"), text)

    def test_duplicate_policy_name_is_entity_already_exists(self):
        name = unique("Dup")
        self.iam.create_policy(PolicyName=name, PolicyDocument=doc(harness.ALLOW_ALL))
        self.assertClientError(
            lambda: self.iam.create_policy(PolicyName=name, PolicyDocument=doc(harness.ALLOW_ALL)),
            "EntityAlreadyExists",
            409,
            message="A policy called %s already exists. Duplicate names are not allowed." % name,
        )

    def test_duplicate_policy_name_ignoring_case_is_entity_already_exists(self):
        name = unique("CaseDup")
        self.iam.create_policy(PolicyName=name, PolicyDocument=doc(harness.ALLOW_ALL))
        self.assertClientError(
            lambda: self.iam.create_policy(PolicyName=name.lower(), PolicyDocument=doc(harness.ALLOW_ALL)),
            "EntityAlreadyExists",
            409,
        )

    def test_get_missing_policy_is_no_such_entity(self):
        arn = ACCOUNT_POLICY + "nope"
        e = self.assertClientError(lambda: self.iam.get_policy(PolicyArn=arn), "NoSuchEntity", 404)
        self.assertIn(arn, e.response["Error"]["Message"])

    def test_non_json_document_is_malformed(self):
        self.assertClientError(
            lambda: self.iam.create_policy(PolicyName=unique("bad"), PolicyDocument=harness.NOT_JSON),
            "MalformedPolicyDocument",
            400,
            message="Syntax errors in policy.",
        )

    def test_bad_policy_name_is_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(
            lambda: raw.create_policy(PolicyName="bad name", PolicyDocument=doc(harness.ALLOW_ALL)), "ValidationError", 400
        )

    def test_delete_policy(self):
        arn = self.iam.create_policy(PolicyName=unique("d"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        self.iam.delete_policy(PolicyArn=arn)
        self.assertClientError(lambda: self.iam.get_policy(PolicyArn=arn), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.delete_policy(PolicyArn=arn), "NoSuchEntity", 404)

    def test_delete_attached_policy_is_delete_conflict(self):
        arn = self.iam.create_policy(PolicyName=unique("d"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        user = unique("u")
        self.iam.create_user(UserName=user)
        self.iam.attach_user_policy(UserName=user, PolicyArn=arn)
        self.assertClientError(
            lambda: self.iam.delete_policy(PolicyArn=arn),
            "DeleteConflict",
            409,
            message="Cannot delete a policy attached to entities.",
        )
        self.iam.detach_user_policy(UserName=user, PolicyArn=arn)
        self.iam.delete_policy(PolicyArn=arn)

    def test_delete_policy_used_as_permissions_boundary_is_delete_conflict(self):
        arn = self.iam.create_policy(PolicyName=unique("pb"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        role = unique("r")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), PermissionsBoundary=arn)
        self.assertClientError(lambda: self.iam.delete_policy(PolicyArn=arn), "DeleteConflict", 409)
        self.iam.delete_role_permissions_boundary(RoleName=role)
        self.iam.delete_policy(PolicyArn=arn)

    def test_delete_policy_with_extra_versions_is_delete_conflict(self):
        arn = self.iam.create_policy(PolicyName=unique("d"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        self.iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(harness.ALLOW_S3_READ))
        self.assertClientError(lambda: self.iam.delete_policy(PolicyArn=arn), "DeleteConflict", 409)
        self.iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
        self.iam.delete_policy(PolicyArn=arn)

    def test_aws_managed_policy_cannot_be_deleted(self):
        arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        with self.assertRaises(ClientError) as cm:
            self.iam.delete_policy(PolicyArn=arn)
        status = cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]
        self.assertTrue(400 <= status < 500, cm.exception.response)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["Arn"], arn)


class PolicyVersions(IamTestCase):
    def setUp(self):
        self.arn = self.iam.create_policy(PolicyName=unique("ver"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]

    def _docs(self, n):
        return [
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get%d" % i, "Resource": "*"}]}
            for i in range(n)
        ]

    def test_create_version_without_default_keeps_v1(self):
        v = self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(harness.ALLOW_S3_READ))["PolicyVersion"]
        self.assertEqual(v["VersionId"], "v2")
        self.assertFalse(v["IsDefaultVersion"])
        self.assertEqual(self.iam.get_policy(PolicyArn=self.arn)["Policy"]["DefaultVersionId"], "v1")

    def test_create_version_as_default_switches(self):
        v = self.iam.create_policy_version(
            PolicyArn=self.arn, PolicyDocument=doc(harness.ALLOW_S3_READ), SetAsDefault=True
        )["PolicyVersion"]
        self.assertTrue(v["IsDefaultVersion"])
        self.assertEqual(self.iam.get_policy(PolicyArn=self.arn)["Policy"]["DefaultVersionId"], "v2")
        versions = {x["VersionId"]: x["IsDefaultVersion"] for x in self.iam.list_policy_versions(PolicyArn=self.arn)["Versions"]}
        self.assertEqual(versions, {"v1": False, "v2": True})
        self.assertEqual(
            self.iam.get_policy_version(PolicyArn=self.arn, VersionId="v2")["PolicyVersion"]["Document"],
            harness.ALLOW_S3_READ,
        )

    def test_five_versions_max_then_limit_exceeded(self):
        for d in self._docs(4):
            self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(d))
        self.assertEqual(len(self.iam.list_policy_versions(PolicyArn=self.arn)["Versions"]), 5)
        self.assertClientError(
            lambda: self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(harness.ALLOW_ALL)),
            "LimitExceeded",
            409,
            message="A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        )

    def test_version_ids_are_not_reused_after_delete(self):
        for d in self._docs(4):
            self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(d))
        self.iam.delete_policy_version(PolicyArn=self.arn, VersionId="v3")
        v = self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(harness.ALLOW_ALL))["PolicyVersion"]
        self.assertEqual(v["VersionId"], "v6")
        ids = sorted(x["VersionId"] for x in self.iam.list_policy_versions(PolicyArn=self.arn)["Versions"])
        self.assertEqual(ids, ["v1", "v2", "v4", "v5", "v6"])

    def test_set_default_policy_version(self):
        self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(harness.ALLOW_S3_READ))
        self.iam.set_default_policy_version(PolicyArn=self.arn, VersionId="v2")
        self.assertEqual(self.iam.get_policy(PolicyArn=self.arn)["Policy"]["DefaultVersionId"], "v2")
        self.assertFalse(self.iam.get_policy_version(PolicyArn=self.arn, VersionId="v1")["PolicyVersion"]["IsDefaultVersion"])
        self.iam.set_default_policy_version(PolicyArn=self.arn, VersionId="v1")
        self.assertEqual(self.iam.get_policy(PolicyArn=self.arn)["Policy"]["DefaultVersionId"], "v1")

    def test_set_default_to_missing_version_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.set_default_policy_version(PolicyArn=self.arn, VersionId="v9"), "NoSuchEntity", 404
        )

    def test_delete_default_version_is_delete_conflict(self):
        self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=doc(harness.ALLOW_S3_READ))
        self.assertClientError(
            lambda: self.iam.delete_policy_version(PolicyArn=self.arn, VersionId="v1"),
            "DeleteConflict",
            409,
            message="Cannot delete the default version of a policy.",
        )
        self.iam.delete_policy_version(PolicyArn=self.arn, VersionId="v2")
        self.assertEqual([x["VersionId"] for x in self.iam.list_policy_versions(PolicyArn=self.arn)["Versions"]], ["v1"])

    def test_get_missing_version_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.get_policy_version(PolicyArn=self.arn, VersionId="v7"), "NoSuchEntity", 404)

    def test_malformed_version_id_is_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(
            lambda: raw.get_policy_version(PolicyArn=self.arn, VersionId="version1"), "ValidationError", 400
        )

    def test_non_json_version_is_malformed(self):
        self.assertClientError(
            lambda: self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=harness.NOT_JSON),
            "MalformedPolicyDocument",
            400,
        )
        self.assertEqual(len(self.iam.list_policy_versions(PolicyArn=self.arn)["Versions"]), 1)

    def test_version_document_round_trips_as_written(self):
        text = '{ "Version" : "2012-10-17" , "Statement" : { "Effect" : "Deny" , "Action" : "*" , "Resource" : "*" } }'
        self.iam.create_policy_version(PolicyArn=self.arn, PolicyDocument=text)
        self.assertEqual(raw_policy_version_text(self.arn, "v2"), text)

    def test_version_on_missing_policy_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.create_policy_version(PolicyArn=ACCOUNT_POLICY + "none", PolicyDocument=doc(harness.ALLOW_ALL)),
            "NoSuchEntity",
            404,
        )


class AttachDetach(IamTestCase):
    def setUp(self):
        self.pol = self.iam.create_policy(PolicyName=unique("att"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]
        self.user, self.group, self.role = unique("u"), unique("g"), unique("r")
        self.iam.create_user(UserName=self.user)
        self.iam.create_group(GroupName=self.group)
        self.iam.create_role(RoleName=self.role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))

    def test_attach_to_user_group_role_and_list(self):
        arn = self.pol["Arn"]
        self.iam.attach_user_policy(UserName=self.user, PolicyArn=arn)
        self.iam.attach_group_policy(GroupName=self.group, PolicyArn=arn)
        self.iam.attach_role_policy(RoleName=self.role, PolicyArn=arn)
        expected = [{"PolicyName": self.pol["PolicyName"], "PolicyArn": arn}]
        self.assertEqual(self.iam.list_attached_user_policies(UserName=self.user)["AttachedPolicies"], expected)
        self.assertEqual(self.iam.list_attached_group_policies(GroupName=self.group)["AttachedPolicies"], expected)
        self.assertEqual(self.iam.list_attached_role_policies(RoleName=self.role)["AttachedPolicies"], expected)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 3)

    def test_detach_from_each(self):
        arn = self.pol["Arn"]
        self.iam.attach_user_policy(UserName=self.user, PolicyArn=arn)
        self.iam.attach_group_policy(GroupName=self.group, PolicyArn=arn)
        self.iam.attach_role_policy(RoleName=self.role, PolicyArn=arn)
        self.iam.detach_user_policy(UserName=self.user, PolicyArn=arn)
        self.iam.detach_group_policy(GroupName=self.group, PolicyArn=arn)
        self.iam.detach_role_policy(RoleName=self.role, PolicyArn=arn)
        self.assertEqual(self.iam.list_attached_user_policies(UserName=self.user)["AttachedPolicies"], [])
        self.assertEqual(self.iam.list_attached_group_policies(GroupName=self.group)["AttachedPolicies"], [])
        self.assertEqual(self.iam.list_attached_role_policies(RoleName=self.role)["AttachedPolicies"], [])
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 0)

    def test_attaching_twice_is_idempotent(self):
        arn = self.pol["Arn"]
        self.iam.attach_role_policy(RoleName=self.role, PolicyArn=arn)
        self.iam.attach_role_policy(RoleName=self.role, PolicyArn=arn)
        self.assertEqual(len(self.iam.list_attached_role_policies(RoleName=self.role)["AttachedPolicies"]), 1)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 1)

    def test_attach_missing_policy_is_no_such_entity(self):
        arn = ACCOUNT_POLICY + "ghost-policy"
        msg = "Policy %s does not exist or is not attachable." % arn
        self.assertClientError(lambda: self.iam.attach_user_policy(UserName=self.user, PolicyArn=arn), "NoSuchEntity", 404, message=msg)
        self.assertClientError(lambda: self.iam.attach_group_policy(GroupName=self.group, PolicyArn=arn), "NoSuchEntity", 404, message=msg)
        self.assertClientError(lambda: self.iam.attach_role_policy(RoleName=self.role, PolicyArn=arn), "NoSuchEntity", 404, message=msg)

    def test_attach_to_missing_entities_is_no_such_entity(self):
        arn = self.pol["Arn"]
        self.assertClientError(lambda: self.iam.attach_user_policy(UserName="x-none", PolicyArn=arn), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.attach_group_policy(GroupName="x-none", PolicyArn=arn), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.attach_role_policy(RoleName="x-none", PolicyArn=arn), "NoSuchEntity", 404)

    def test_detach_not_attached_is_no_such_entity(self):
        arn = self.pol["Arn"]
        self.assertClientError(lambda: self.iam.detach_user_policy(UserName=self.user, PolicyArn=arn), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.detach_group_policy(GroupName=self.group, PolicyArn=arn), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.detach_role_policy(RoleName=self.role, PolicyArn=arn), "NoSuchEntity", 404)

    def test_list_attached_on_missing_entity_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.list_attached_user_policies(UserName="x-none"), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.list_attached_group_policies(GroupName="x-none"), "NoSuchEntity", 404)
        self.assertClientError(lambda: self.iam.list_attached_role_policies(RoleName="x-none"), "NoSuchEntity", 404)

    def test_list_attached_role_policies_pagination_and_path_prefix(self):
        arns = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            self.pol["Arn"],
        ]
        for a in arns:
            self.iam.attach_role_policy(RoleName=self.role, PolicyArn=a)
        page = self.iam.list_attached_role_policies(RoleName=self.role, MaxItems=3)
        self.assertEqual(len(page["AttachedPolicies"]), 3)
        self.assertTrue(page["IsTruncated"])
        rest = self.iam.list_attached_role_policies(RoleName=self.role, MaxItems=3, Marker=page["Marker"])
        self.assertEqual(len(rest["AttachedPolicies"]), 1)
        got = {p["PolicyArn"] for p in page["AttachedPolicies"] + rest["AttachedPolicies"]}
        self.assertEqual(got, set(arns))
        sr = self.iam.list_attached_role_policies(RoleName=self.role, PathPrefix="/service-role/")["AttachedPolicies"]
        self.assertEqual(sr, [{"PolicyName": "AWSLambdaBasicExecutionRole", "PolicyArn": arns[2]}])


class ListPoliciesAndEntities(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.local = [
            cls.iam.create_policy(PolicyName=unique("lp"), Path="/mine/", PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]
            for _ in range(3)
        ]

    def test_scope_local_lists_only_customer_policies(self):
        got = {p["Arn"] for p in self.iam.list_policies(Scope="Local")["Policies"]}
        self.assertTrue({p["Arn"] for p in self.local} <= got, got)
        self.assertTrue(all(a.startswith(ACCOUNT_POLICY) for a in got), got)

    def test_path_prefix_on_local(self):
        got = self.iam.list_policies(Scope="Local", PathPrefix="/mine/")["Policies"]
        self.assertEqual(len(got), 3)
        self.assertEqual(self.iam.list_policies(Scope="Local", PathPrefix="/other/")["Policies"], [])

    def test_scope_aws_paginates_and_contains_catalogue(self):
        pages = self.iam.get_paginator("list_policies").paginate(Scope="AWS", PaginationConfig={"PageSize": 200})
        arns = []
        for page in pages:
            self.assertLessEqual(len(page["Policies"]), 200)
            arns += [p["Arn"] for p in page["Policies"]]
        self.assertEqual(len(arns), len(set(arns)))
        for arn in AWS_MANAGED:
            self.assertIn(arn, arns)
        self.assertTrue(all(a.startswith("arn:aws:iam::aws:policy/") for a in arns))
        self.assertGreater(len(arns), 200)

    def test_scope_aws_first_page_truncated(self):
        page = self.iam.list_policies(Scope="AWS", MaxItems=10)
        self.assertEqual(len(page["Policies"]), 10)
        self.assertTrue(page["IsTruncated"])
        nxt = self.iam.list_policies(Scope="AWS", MaxItems=10, Marker=page["Marker"])
        self.assertEqual(len(nxt["Policies"]), 10)
        self.assertFalse({p["Arn"] for p in page["Policies"]} & {p["Arn"] for p in nxt["Policies"]})

    def test_only_attached(self):
        role = unique("r")
        attached = self.iam.create_policy(PolicyName=unique("on"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        unattached = self.iam.create_policy(PolicyName=unique("off"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        self.iam.attach_role_policy(RoleName=role, PolicyArn=attached)
        self.iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        local = self.iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]
        arns = [p["Arn"] for p in local]
        self.assertIn(attached, arns)
        self.assertNotIn(unattached, arns)
        self.assertTrue(all(p["AttachmentCount"] >= 1 for p in local), local)
        aws = self.iam.list_policies(Scope="AWS", OnlyAttached=True)["Policies"]
        arns = [p["Arn"] for p in aws]
        self.assertIn("arn:aws:iam::aws:policy/ReadOnlyAccess", arns)
        self.assertNotIn("arn:aws:iam::aws:policy/AdministratorAccess", arns)
        self.assertTrue(all(p["AttachmentCount"] >= 1 for p in aws), aws)
        self.assertLess(len(arns), 10)

    def test_list_entities_for_policy(self):
        arn = self.local[1]["Arn"]
        user, group, role = unique("u"), unique("g"), unique("r")
        uid = self.iam.create_user(UserName=user)["User"]["UserId"]
        gid = self.iam.create_group(GroupName=group)["Group"]["GroupId"]
        rid = self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))["Role"]["RoleId"]
        self.iam.attach_user_policy(UserName=user, PolicyArn=arn)
        self.iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        self.iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        got = self.iam.list_entities_for_policy(PolicyArn=arn)
        self.assertEqual(got["PolicyUsers"], [{"UserName": user, "UserId": uid}])
        self.assertEqual(got["PolicyGroups"], [{"GroupName": group, "GroupId": gid}])
        self.assertEqual(got["PolicyRoles"], [{"RoleName": role, "RoleId": rid}])
        self.assertFalse(got["IsTruncated"])
        only_roles = self.iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")
        self.assertEqual(only_roles["PolicyUsers"], [])
        self.assertEqual(only_roles["PolicyGroups"], [])
        self.assertEqual(len(only_roles["PolicyRoles"]), 1)

    def test_list_entities_for_aws_managed_policy(self):
        role = unique("r")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
        self.iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        got = self.iam.list_entities_for_policy(PolicyArn=arn)
        self.assertEqual([r["RoleName"] for r in got["PolicyRoles"]], [role])

    def test_list_entities_for_missing_policy_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.list_entities_for_policy(PolicyArn=ACCOUNT_POLICY + "none"), "NoSuchEntity", 404
        )


class AwsManagedPolicies(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalogue = _catalogue()

    def test_get_policy_for_each_required_managed_policy(self):
        for arn in AWS_MANAGED:
            with self.subTest(arn=arn):
                p = self.iam.get_policy(PolicyArn=arn)["Policy"]
                self.assertEqual(p["Arn"], arn)
                self.assertEqual(p["PolicyName"], arn.rsplit("/", 1)[1])
                self.assertTrue(p["PolicyId"].startswith("ANPA"), p["PolicyId"])
                self.assertTrue(p["IsAttachable"])
                self.assertEqual(p["DefaultVersionId"], self.catalogue[arn]["DefaultVersionId"])
                self.assertEqual(p["Path"], self.catalogue[arn]["Path"])

    def test_get_policy_version_returns_real_document(self):
        for arn in AWS_MANAGED:
            with self.subTest(arn=arn):
                entry = self.catalogue[arn]
                v = self.iam.get_policy_version(PolicyArn=arn, VersionId=entry["DefaultVersionId"])["PolicyVersion"]
                self.assertEqual(v["Document"], entry["Document"])
                self.assertTrue(v["IsDefaultVersion"])

    def test_administrator_access_document(self):
        v = self.iam.get_policy_version(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess", VersionId="v1")
        self.assertEqual(
            v["PolicyVersion"]["Document"],
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
        )

    def test_managed_policy_is_attachable_and_counts(self):
        role = unique("r")
        arn = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        before = self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"]
        self.iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], before + 1)
        self.assertEqual(
            self.iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"],
            [{"PolicyName": "CloudWatchAgentServerPolicy", "PolicyArn": arn}],
        )

    def test_attachment_count_is_per_account(self):
        arn = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        user = unique("u")
        self.iam.create_user(UserName=user)
        self.iam.attach_user_policy(UserName=user, PolicyArn=arn)
        other = harness.account_client(harness.OTHER_ACCOUNT)
        self.assertEqual(other.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 0)
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"], 1)

    def test_unknown_aws_managed_policy_is_no_such_entity(self):
        arn = "arn:aws:iam::aws:policy/NoSuchManagedPolicyX"
        e = self.assertClientError(lambda: self.iam.get_policy(PolicyArn=arn), "NoSuchEntity", 404)
        self.assertIn(arn, e.response["Error"]["Message"])


class PolicyTags(IamTestCase):
    def test_policy_tags(self):
        arn = self.iam.create_policy(
            PolicyName=unique("tp"), PolicyDocument=doc(harness.ALLOW_ALL), Tags=[{"Key": "k", "Value": "v"}]
        )["Policy"]["Arn"]
        self.assertEqual(self.iam.get_policy(PolicyArn=arn)["Policy"]["Tags"], [{"Key": "k", "Value": "v"}])
        self.iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "k2", "Value": "v2"}])
        tags = {t["Key"]: t["Value"] for t in self.iam.list_policy_tags(PolicyArn=arn)["Tags"]}
        self.assertEqual(tags, {"k": "v", "k2": "v2"})
        self.iam.untag_policy(PolicyArn=arn, TagKeys=["k"])
        self.assertEqual(self.iam.list_policy_tags(PolicyArn=arn)["Tags"], [{"Key": "k2", "Value": "v2"}])

    def test_tag_missing_policy_is_no_such_entity(self):
        self.assertClientError(
            lambda: self.iam.tag_policy(PolicyArn=ACCOUNT_POLICY + "none", Tags=[{"Key": "a", "Value": "b"}]),
            "NoSuchEntity",
            404,
        )


class PoliciesAcrossAccounts(IamTestCase):
    def test_customer_policy_invisible_to_other_account(self):
        arn = self.iam.create_policy(PolicyName=unique("p"), PolicyDocument=doc(harness.ALLOW_ALL))["Policy"]["Arn"]
        other = harness.account_client(harness.OTHER_ACCOUNT)
        self.assertClientError(lambda: other.get_policy(PolicyArn=arn), "NoSuchEntity", 404)
        self.assertEqual(other.list_policies(Scope="Local")["Policies"], [])
