"""The IAM policy simulator through boto3 and aws-cli: SimulateCustomPolicy,
SimulatePrincipalPolicy, GetContextKeysForCustomPolicy and
GetContextKeysForPrincipalPolicy with AWS's shapes — decisions, matched
statements with positions, missing context values, context entries,
boundaries, resource policies, cross-account details, pagination, errors."""

import json

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401

ACCOUNT = harness.DEFAULT_ACCOUNT

# aws-cli's documented example: AWS places its statement at line 1,
# columns 38 to 167.
DYNAMO_AFTER_DATE = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*",'
    '"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'
)
S3_WITH_DENY = doc({
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
    ],
})
EC2_ONLY = doc({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]})
NOW = {"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": ["2019-04-25T11:00:00Z"], "ContextKeyType": "date"}
BEFORE = {"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": ["2014-04-25T11:00:00Z"], "ContextKeyType": "date"}


def decisions(out):
    return [(r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"]) for r in out["EvaluationResults"]]


class SimulateCustomPolicy(IamTestCase):
    def test_allowed_with_the_statement_where_aws_places_it(self):
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[DYNAMO_AFTER_DATE], ActionNames=["dynamodb:CreateBackup"], ContextEntries=[NOW])
        self.assertFalse(out["IsTruncated"])
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "allowed")
        self.assertEqual(r["EvalResourceName"], "*")
        self.assertEqual(r["MatchedStatements"], [{
            "SourcePolicyId": "PolicyInputList.1",
            "SourcePolicyType": "IAM Policy",
            "StartPosition": {"Line": 1, "Column": 38},
            "EndPosition": {"Line": 1, "Column": 167},
        }])
        self.assertEqual(r["MissingContextValues"], [])
        self.assertNotIn("EvalDecisionDetails", r)
        self.assertNotIn("ResourceSpecificResults", r)

    def test_condition_not_met_is_implicit_deny(self):
        out = self.iam.simulate_custom_policy(
            PolicyInputList=[DYNAMO_AFTER_DATE], ActionNames=["dynamodb:CreateBackup"], ContextEntries=[BEFORE])
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "implicitDeny")
        self.assertEqual(r["MatchedStatements"], [])

    def test_missing_context_values_are_reported(self):
        out = self.iam.simulate_custom_policy(PolicyInputList=[DYNAMO_AFTER_DATE], ActionNames=["dynamodb:CreateBackup"])
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "implicitDeny")
        self.assertEqual(r["MissingContextValues"], ["aws:CurrentTime"])

    def test_explicit_deny_names_only_the_deny(self):
        out = self.iam.simulate_custom_policy(PolicyInputList=[S3_WITH_DENY],
                                              ActionNames=["s3:DeleteBucket", "s3:GetObject", "ec2:RunInstances"])
        self.assertEqual(decisions(out), [("s3:DeleteBucket", "*", "explicitDeny"), ("s3:GetObject", "*", "allowed"),
                                          ("ec2:RunInstances", "*", "implicitDeny")])
        deny = out["EvaluationResults"][0]["MatchedStatements"]
        self.assertEqual(len(deny), 1)
        # The deny statement is the second: it starts after the first one's '}'.
        first_end = S3_WITH_DENY.index("}, {") + 2
        self.assertEqual(deny[0]["StartPosition"], {"Line": 1, "Column": first_end})
        self.assertEqual(deny[0]["EndPosition"], {"Line": 1, "Column": len(S3_WITH_DENY) - 1})

    def test_context_entries_of_every_kind_drive_conditions(self):
        policy = doc({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*",
            "Condition": {
                "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]},
                "NumericLessThan": {"s3:max-keys": "10"},
                "Bool": {"aws:SecureTransport": "true"},
            }}]})
        entries = [
            {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"},
            {"ContextKeyName": "aws:TagKeys", "ContextKeyValues": ["team"], "ContextKeyType": "stringList"},
            {"ContextKeyName": "s3:max-keys", "ContextKeyValues": ["5"], "ContextKeyType": "numeric"},
            {"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"},
        ]
        out = self.iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:PutObject"], ContextEntries=entries)
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "allowed")
        entries[0]["ContextKeyValues"] = ["192.168.0.1"]
        out = self.iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:PutObject"], ContextEntries=entries)
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "implicitDeny")
        entries[0]["ContextKeyValues"] = ["10.1.2.3"]
        entries[1]["ContextKeyValues"] = ["team", "owner"]
        out = self.iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:PutObject"], ContextEntries=entries)
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "implicitDeny")

    def test_listed_resources_get_resource_specific_results(self):
        policy = doc({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::good/*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bad/*"}]})
        out = self.iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"],
                                              ResourceArns=["arn:aws:s3:::good/k", "arn:aws:s3:::bad/k",
                                                            "arn:aws:s3:::other/k"])
        self.assertEqual([r["EvalDecision"] for r in out["EvaluationResults"]], ["allowed", "explicitDeny", "implicitDeny"])
        for r in out["EvaluationResults"]:
            self.assertEqual(r["EvalDecisionDetails"], {})
            (specific,) = r["ResourceSpecificResults"]
            self.assertEqual(specific["EvalResourceName"], r["EvalResourceName"])
            self.assertEqual(specific["EvalResourceDecision"], r["EvalDecision"])
            self.assertEqual(specific["MatchedStatements"], r["MatchedStatements"])

    def test_boundary_limits_and_reports_its_part(self):
        out = self.iam.simulate_custom_policy(PolicyInputList=[S3_WITH_DENY], PermissionsBoundaryPolicyInputList=[EC2_ONLY],
                                              ActionNames=["s3:GetObject"])
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "implicitDeny")
        self.assertEqual(r["PermissionsBoundaryDecisionDetail"], {"AllowedByPermissionsBoundary": False})
        out = self.iam.simulate_custom_policy(PolicyInputList=[EC2_ONLY], PermissionsBoundaryPolicyInputList=[EC2_ONLY],
                                              ActionNames=["ec2:RunInstances"])
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "allowed")
        self.assertEqual(r["PermissionsBoundaryDecisionDetail"], {"AllowedByPermissionsBoundary": True})
        self.assertIn("PermissionsBoundaryPolicyInputList.1", [m["SourcePolicyId"] for m in r["MatchedStatements"]])

    def test_resource_policy_naming_the_caller_allows(self):
        caller = "arn:aws:iam::%s:user/alice" % ACCOUNT
        bucket_policy = doc({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": caller}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}]})
        out = self.iam.simulate_custom_policy(PolicyInputList=[EC2_ONLY], ActionNames=["s3:GetObject"],
                                              ResourceArns=["arn:aws:s3:::shared/k"], ResourcePolicy=bucket_policy,
                                              CallerArn=caller)
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "allowed")
        self.assertEqual([(m["SourcePolicyId"], m["SourcePolicyType"]) for m in r["MatchedStatements"]],
                         [("ResourcePolicy", "Resource Policy")])
        # Without a caller the resource policy's Principal has nothing to match.
        self.assertClientError(lambda: self.iam.simulate_custom_policy(
            PolicyInputList=[EC2_ONLY], ActionNames=["s3:GetObject"], ResourcePolicy=bucket_policy), "InvalidInput", 400)

    def test_cross_account_resource_reports_each_side(self):
        out = self.iam.simulate_custom_policy(PolicyInputList=[S3_WITH_DENY], ActionNames=["s3:GetObject"],
                                              ResourceArns=["arn:aws:s3:::theirs/k"],
                                              ResourceOwner="arn:aws:iam::%s:root" % harness.OTHER_ACCOUNT)
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "implicitDeny")
        self.assertEqual(r["EvalDecisionDetails"], {"IAM Policy": "allowed", "Resource Policy": "implicitDeny"})

    def test_pagination_with_max_items_and_the_paginator(self):
        actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteBucket", "ec2:RunInstances", "iam:GetUser"]
        first = self.iam.simulate_custom_policy(PolicyInputList=[S3_WITH_DENY], ActionNames=actions, MaxItems=2)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual(len(first["EvaluationResults"]), 2)
        second = self.iam.simulate_custom_policy(PolicyInputList=[S3_WITH_DENY], ActionNames=actions, MaxItems=2,
                                                 Marker=first["Marker"])
        self.assertEqual([r["EvalActionName"] for r in second["EvaluationResults"]], actions[2:4])
        pages = self.iam.get_paginator("simulate_custom_policy").paginate(
            PolicyInputList=[S3_WITH_DENY], ActionNames=actions, PaginationConfig={"PageSize": 2})
        self.assertEqual([r["EvalActionName"] for p in pages for r in p["EvaluationResults"]], actions)

    def test_invalid_documents_are_invalid_input(self):
        self.assertClientError(lambda: self.iam.simulate_custom_policy(
            PolicyInputList=[harness.NOT_JSON], ActionNames=["s3:GetObject"]), "InvalidInput", 400,
            message="Syntax errors in policy.")
        with_principal = doc({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]})
        self.assertClientError(lambda: self.iam.simulate_custom_policy(
            PolicyInputList=[with_principal], ActionNames=["s3:GetObject"]), "InvalidInput", 400,
            message="Policy document should not specify a principal.")
        self.assertClientError(lambda: self.iam.simulate_custom_policy(
            PolicyInputList=[S3_WITH_DENY], ActionNames=["s3:GetObject"], ResourceOwner="123456789012"),
            "InvalidInput", 400, message="'123456789012' is not a valid as a Resource Owner.")

    def test_missing_required_parameter_is_a_validation_error(self):
        raw = harness.client(validate=False)
        self.assertClientError(lambda: raw.simulate_custom_policy(PolicyInputList=[S3_WITH_DENY]), "ValidationError", 400)


class SimulatePrincipalPolicy(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = unique("sim-user")
        cls.group = unique("sim-group")
        cls.role = unique("sim-role")
        iam = cls.iam
        iam.create_user(UserName=cls.user)
        iam.put_user_policy(UserName=cls.user, PolicyName="s3", PolicyDocument=S3_WITH_DENY)
        iam.create_group(GroupName=cls.group)
        iam.add_user_to_group(GroupName=cls.group, UserName=cls.user)
        iam.attach_group_policy(GroupName=cls.group, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        iam.create_role(RoleName=cls.role, AssumeRolePolicyDocument=doc(harness.TRUST_EC2))
        iam.put_role_policy(RoleName=cls.role, PolicyName="all", PolicyDocument=doc(harness.ALLOW_ALL))
        iam.put_role_permissions_boundary(RoleName=cls.role, PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess")
        cls.user_arn = iam.get_user(UserName=cls.user)["User"]["Arn"]
        cls.group_arn = iam.get_group(GroupName=cls.group)["Group"]["Arn"]
        cls.role_arn = iam.get_role(RoleName=cls.role)["Role"]["Arn"]

    def test_user_policies_include_its_groups(self):
        out = self.iam.simulate_principal_policy(PolicySourceArn=self.user_arn,
                                                 ActionNames=["s3:DeleteBucket", "iam:ListUsers", "iam:CreateUser"])
        self.assertEqual([r["EvalDecision"] for r in out["EvaluationResults"]], ["explicitDeny", "allowed", "implicitDeny"])
        self.assertEqual(out["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"], "user_%s_s3" % self.user)
        self.assertEqual(out["EvaluationResults"][1]["MatchedStatements"][0]["SourcePolicyId"], "ReadOnlyAccess")
        self.assertEqual(out["EvaluationResults"][1]["MatchedStatements"][0]["SourcePolicyType"], "IAM Policy")

    def test_group_and_policy_input_list(self):
        out = self.iam.simulate_principal_policy(PolicySourceArn=self.group_arn, ActionNames=["ec2:RunInstances"],
                                                 PolicyInputList=[EC2_ONLY])
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "allowed")
        self.assertEqual(r["MatchedStatements"][0]["SourcePolicyId"], "PolicyInputList.1")

    def test_role_boundary_applies_unless_one_is_given(self):
        out = self.iam.simulate_principal_policy(PolicySourceArn=self.role_arn, ActionNames=["iam:CreateUser", "iam:GetRole"])
        self.assertEqual([r["EvalDecision"] for r in out["EvaluationResults"]], ["implicitDeny", "allowed"])
        self.assertEqual(out["EvaluationResults"][0]["PermissionsBoundaryDecisionDetail"],
                         {"AllowedByPermissionsBoundary": False})
        out = self.iam.simulate_principal_policy(PolicySourceArn=self.role_arn, ActionNames=["iam:CreateUser"],
                                                 PermissionsBoundaryPolicyInputList=[doc(harness.ALLOW_ALL)])
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "allowed")

    def test_user_is_the_caller_of_a_resource_policy(self):
        policy = doc({"Version": "2012-10-17", "Statement": [{
            "Effect": "Deny", "Principal": {"AWS": self.user_arn}, "Action": "s3:GetObject", "Resource": "*"}]})
        out = self.iam.simulate_principal_policy(PolicySourceArn=self.user_arn, ActionNames=["s3:GetObject"],
                                                 ResourcePolicy=policy)
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "explicitDeny")
        self.assertEqual(r["MatchedStatements"][0]["SourcePolicyType"], "Resource Policy")
        self.assertClientError(lambda: self.iam.simulate_principal_policy(
            PolicySourceArn=self.role_arn, ActionNames=["s3:GetObject"], ResourcePolicy=policy), "InvalidInput", 400)

    def test_unknown_entity_is_no_such_entity(self):
        self.assertClientError(lambda: self.iam.simulate_principal_policy(
            PolicySourceArn="arn:aws:iam::%s:user/ghost" % ACCOUNT, ActionNames=["s3:GetObject"]),
            "NoSuchEntity", 404, message="The user with name ghost cannot be found.")
        self.assertClientError(lambda: self.iam.simulate_principal_policy(
            PolicySourceArn="arn:aws:iam::%s:policy/NotAnEntity" % ACCOUNT, ActionNames=["s3:GetObject"]),
            "InvalidInput", 400)

    def test_paginator_walks_every_result(self):
        actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteBucket"]
        pages = list(self.iam.get_paginator("simulate_principal_policy").paginate(
            PolicySourceArn=self.user_arn, ActionNames=actions, PaginationConfig={"PageSize": 1}))
        self.assertEqual(len(pages), 3)
        self.assertEqual([p["EvaluationResults"][0]["EvalDecision"] for p in pages], ["allowed", "allowed", "explicitDeny"])


class ContextKeys(IamTestCase):
    def test_custom_policy_keys_as_written_once_each(self):
        policy = ('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*",'
                  '"Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}",'
                  '"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}')
        out = self.iam.get_context_keys_for_custom_policy(PolicyInputList=[policy, DYNAMO_AFTER_DATE])
        self.assertEqual(out["ContextKeyNames"], ["aws:username", "aws:CurrentTime"])
        self.assertClientError(lambda: self.iam.get_context_keys_for_custom_policy(PolicyInputList=[harness.NOT_JSON]),
                               "InvalidInput", 400)

    def test_principal_policy_keys_include_groups_and_inputs(self):
        user, group = unique("ck-user"), unique("ck-group")
        self.iam.create_user(UserName=user)
        self.iam.put_user_policy(UserName=user, PolicyName="mfa", PolicyDocument=doc({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
                                                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
        self.iam.create_group(GroupName=group)
        self.iam.add_user_to_group(GroupName=group, UserName=user)
        self.iam.put_group_policy(GroupName=group, PolicyName="ip", PolicyDocument=doc({
            "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                                                    "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}))
        arn = self.iam.get_user(UserName=user)["User"]["Arn"]
        out = self.iam.get_context_keys_for_principal_policy(PolicySourceArn=arn, PolicyInputList=[DYNAMO_AFTER_DATE])
        self.assertEqual(out["ContextKeyNames"], ["aws:MultiFactorAuthPresent", "aws:SourceIp", "aws:CurrentTime"])
        self.assertClientError(lambda: self.iam.get_context_keys_for_principal_policy(
            PolicySourceArn="arn:aws:iam::%s:role/ghost" % ACCOUNT), "NoSuchEntity", 404,
            message="The role with name ghost cannot be found.")


class SimulatorWithCli(IamTestCase):
    def ok(self, *args):
        return self.assertCliOk(harness.cli("iam", *args))

    def test_simulate_custom_policy_as_documented(self):
        out = self.ok("simulate-custom-policy", "--policy-input-list", DYNAMO_AFTER_DATE,
                      "--action-names", "dynamodb:CreateBackup", "--context-entries",
                      "ContextKeyName='aws:CurrentTime',ContextKeyValues='2019-04-25T11:00:00Z',ContextKeyType=date")
        (r,) = out["EvaluationResults"]
        self.assertEqual(r["EvalDecision"], "allowed")
        self.assertEqual(r["MatchedStatements"][0]["StartPosition"], {"Line": 1, "Column": 38})
        self.assertEqual(r["MatchedStatements"][0]["EndPosition"], {"Line": 1, "Column": 167})
        out = self.ok("simulate-custom-policy", "--policy-input-list", DYNAMO_AFTER_DATE,
                      "--action-names", "dynamodb:CreateBackup")
        self.assertEqual(out["EvaluationResults"][0]["MissingContextValues"], ["aws:CurrentTime"])

    def test_simulate_custom_policy_decisions_resources_and_boundary(self):
        out = self.ok("simulate-custom-policy", "--policy-input-list", S3_WITH_DENY,
                      "--permissions-boundary-policy-input-list", doc(harness.ALLOW_S3_READ),
                      "--action-names", "s3:GetObject", "s3:DeleteBucket", "s3:PutObject",
                      "--resource-arns", "arn:aws:s3:::b/k")
        self.assertEqual([r["EvalDecision"] for r in out["EvaluationResults"]], ["allowed", "explicitDeny", "implicitDeny"])
        self.assertEqual([r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"]
                          for r in out["EvaluationResults"]], [True, False, False])
        self.assertEqual(out["EvaluationResults"][0]["ResourceSpecificResults"][0]["EvalResourceName"], "arn:aws:s3:::b/k")

    def test_cli_pages_through_every_result(self):
        actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteBucket", "ec2:RunInstances"]
        out = self.ok("simulate-custom-policy", "--policy-input-list", S3_WITH_DENY, "--page-size", "1",
                      "--action-names", *actions)
        self.assertEqual([r["EvalActionName"] for r in out["EvaluationResults"]], actions)

    def test_simulate_principal_policy_and_context_keys(self):
        user = unique("cli-sim")
        harness.cli("iam", "create-user", "--user-name", user)
        self.ok("put-user-policy", "--user-name", user, "--policy-name", "p", "--policy-document", DYNAMO_AFTER_DATE)
        arn = "arn:aws:iam::%s:user/%s" % (ACCOUNT, user)
        out = self.ok("simulate-principal-policy", "--policy-source-arn", arn, "--action-names", "dynamodb:CreateBackup",
                      "--context-entries",
                      "ContextKeyName='aws:CurrentTime',ContextKeyValues='2018-04-25T11:00:00Z',ContextKeyType=date")
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "implicitDeny")
        out = self.ok("get-context-keys-for-principal-policy", "--policy-source-arn", arn)
        self.assertEqual(out["ContextKeyNames"], ["aws:CurrentTime"])
        out = self.ok("get-context-keys-for-custom-policy", "--policy-input-list", DYNAMO_AFTER_DATE)
        self.assertEqual(out["ContextKeyNames"], ["aws:CurrentTime"])

    def test_errors(self):
        self.assertCliError(harness.cli("iam", "simulate-custom-policy", "--policy-input-list", "nope",
                                        "--action-names", "s3:GetObject"),
                            "InvalidInput", "Syntax errors in policy.")
        self.assertCliError(harness.cli("iam", "simulate-principal-policy", "--policy-source-arn",
                                        "arn:aws:iam::%s:group/ghosts" % ACCOUNT, "--action-names", "s3:GetObject"),
                            "NoSuchEntity", "The group with name ghosts cannot be found.")

    def test_real_aws_command(self):
        r = harness.cli_subprocess("iam", "simulate-custom-policy", "--policy-input-list", S3_WITH_DENY,
                                   "--action-names", "s3:DeleteBucket")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(json.loads(r.stdout)["EvaluationResults"][0]["EvalDecision"], "explicitDeny")
