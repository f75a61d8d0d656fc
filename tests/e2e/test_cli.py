"""aws-cli v1 against the server: every IAM operation of the emulated
families runs at least once through the CLI (in-process, as `aws` would), with
its JSON output and error lines checked; a few calls run the real installed
`aws` command as a subprocess."""

import json

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401

TRUST = json.dumps(harness.TRUST_EC2)
S3READ = json.dumps(harness.ALLOW_S3_READ)
ALL = json.dumps(harness.ALLOW_ALL)


class CliCase(IamTestCase):
    def ok(self, *args, **kw):
        r = harness.cli("iam", *args, **kw)
        self.assertEqual(r.rc, 0, r)
        return r.json

    def err(self, code, *args, message=None, **kw):
        r = harness.cli("iam", *args, **kw)
        self.assertCliError(r, code, message)
        return r


class CliUsers(CliCase):
    def test_user_lifecycle(self):
        name, new = unique("cli-u"), unique("cli-u2")
        out = self.ok("create-user", "--user-name", name, "--path", "/cli/", "--tags", "Key=team,Value=a")
        self.assertEqual(out["User"]["UserName"], name)
        self.assertEqual(out["User"]["Arn"], "arn:aws:iam::000000000000:user/cli/" + name)
        self.assertEqual(self.ok("get-user", "--user-name", name)["User"]["Path"], "/cli/")
        self.err("EntityAlreadyExists", "create-user", "--user-name", name,
                 message="User with name %s already exists." % name)
        self.ok("tag-user", "--user-name", name, "--tags", "Key=env,Value=dev")
        tags = {t["Key"]: t["Value"] for t in self.ok("list-user-tags", "--user-name", name)["Tags"]}
        self.assertEqual(tags, {"team": "a", "env": "dev"})
        self.ok("untag-user", "--user-name", name, "--tag-keys", "team")
        self.assertEqual(self.ok("list-user-tags", "--user-name", name)["Tags"], [{"Key": "env", "Value": "dev"}])
        self.ok("put-user-permissions-boundary", "--user-name", name,
                "--permissions-boundary", "arn:aws:iam::aws:policy/ReadOnlyAccess")
        pb = self.ok("get-user", "--user-name", name)["User"]["PermissionsBoundary"]
        self.assertEqual(pb["PermissionsBoundaryArn"], "arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.ok("delete-user-permissions-boundary", "--user-name", name)
        self.assertNotIn("PermissionsBoundary", self.ok("get-user", "--user-name", name)["User"])
        self.ok("update-user", "--user-name", name, "--new-user-name", new, "--new-path", "/moved/")
        listed = self.ok("list-users", "--path-prefix", "/moved/")["Users"]
        self.assertEqual([u["UserName"] for u in listed], [new])
        self.ok("delete-user", "--user-name", new)
        self.err("NoSuchEntity", "get-user", "--user-name", new, message="The user with name %s cannot be found." % new)

    def test_list_users_max_items_gives_next_token(self):
        for _ in range(3):
            self.ok("create-user", "--user-name", unique("pg"))
        out = self.ok("list-users", "--max-items", "2")
        self.assertEqual(len(out["Users"]), 2)
        self.assertIn("NextToken", out)
        rest = self.ok("list-users", "--max-items", "2", "--starting-token", out["NextToken"])
        self.assertGreaterEqual(len(rest["Users"]), 1)
        self.assertFalse({u["UserName"] for u in out["Users"]} & {u["UserName"] for u in rest["Users"]})

    def test_cli_auto_pagination_collects_all_pages(self):
        names = [unique("auto") for _ in range(5)]
        for n in names:
            self.iam.create_user(UserName=n, Path="/auto/")
        out = self.ok("list-users", "--path-prefix", "/auto/", "--page-size", "2")
        self.assertEqual(sorted(u["UserName"] for u in out["Users"]), sorted(names))


class CliGroups(CliCase):
    def test_group_lifecycle_and_membership(self):
        g, g2, u = unique("cli-g"), unique("cli-g2"), unique("cli-gu")
        self.assertTrue(self.ok("create-group", "--group-name", g)["Group"]["GroupId"].startswith("AGPA"))
        self.ok("create-user", "--user-name", u)
        self.ok("add-user-to-group", "--group-name", g, "--user-name", u)
        got = self.ok("get-group", "--group-name", g)
        self.assertEqual([x["UserName"] for x in got["Users"]], [u])
        self.assertEqual([x["GroupName"] for x in self.ok("list-groups-for-user", "--user-name", u)["Groups"]], [g])
        self.err("DeleteConflict", "delete-group", "--group-name", g)
        self.ok("update-group", "--group-name", g, "--new-group-name", g2)
        self.assertIn(g2, [x["GroupName"] for x in self.ok("list-groups")["Groups"]])
        self.ok("remove-user-from-group", "--group-name", g2, "--user-name", u)
        self.assertEqual(self.ok("get-group", "--group-name", g2)["Users"], [])
        self.ok("delete-group", "--group-name", g2)
        self.err("NoSuchEntity", "get-group", "--group-name", g2, message="The group with name %s cannot be found." % g2)


class CliRoles(CliCase):
    def test_role_lifecycle(self):
        name = unique("cli-r")
        out = self.ok("create-role", "--role-name", name, "--assume-role-policy-document", TRUST,
                      "--description", "from cli", "--max-session-duration", "7200", "--path", "/cli/")
        self.assertEqual(out["Role"]["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        role = self.ok("get-role", "--role-name", name)["Role"]
        # aws-cli prints the trust policy as a JSON object, not an encoded string.
        self.assertIsInstance(role["AssumeRolePolicyDocument"], dict)
        self.assertEqual(role["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        self.assertEqual(role["Description"], "from cli")
        self.assertEqual(role["MaxSessionDuration"], 7200)
        self.assertIn("RoleLastUsed", role)
        self.ok("update-role", "--role-name", name, "--max-session-duration", "43200")
        self.assertEqual(self.ok("get-role", "--role-name", name)["Role"]["MaxSessionDuration"], 43200)
        r = self.err("ValidationError", "update-role", "--role-name", name, "--max-session-duration", "43201")
        self.assertIn("maxSessionDuration", r.stderr)
        out = self.ok("update-role-description", "--role-name", name, "--description", "changed")
        self.assertEqual(out["Role"]["Description"], "changed")
        self.ok("update-assume-role-policy", "--role-name", name, "--policy-document", json.dumps(harness.TRUST_LAMBDA))
        self.assertEqual(self.ok("get-role", "--role-name", name)["Role"]["AssumeRolePolicyDocument"], harness.TRUST_LAMBDA)
        self.err("MalformedPolicyDocument", "update-assume-role-policy", "--role-name", name, "--policy-document", "nope{")
        self.ok("tag-role", "--role-name", name, "--tags", "Key=a,Value=1", "Key=b,Value=2")
        self.ok("untag-role", "--role-name", name, "--tag-keys", "a")
        self.assertEqual(self.ok("list-role-tags", "--role-name", name)["Tags"], [{"Key": "b", "Value": "2"}])
        self.ok("put-role-permissions-boundary", "--role-name", name,
                "--permissions-boundary", "arn:aws:iam::aws:policy/PowerUserAccess")
        self.assertEqual(self.ok("get-role", "--role-name", name)["Role"]["PermissionsBoundary"]["PermissionsBoundaryType"],
                         "Policy")
        self.ok("delete-role-permissions-boundary", "--role-name", name)
        self.assertEqual([x["RoleName"] for x in self.ok("list-roles", "--path-prefix", "/cli/")["Roles"]], [name])
        self.ok("delete-role", "--role-name", name)
        self.err("NoSuchEntity", "get-role", "--role-name", name, message="The role with name %s cannot be found." % name)

    def test_create_role_errors(self):
        self.err("MalformedPolicyDocument", "create-role", "--role-name", unique("x"), "--assume-role-policy-document", "{{")
        self.err("ValidationError", "create-role", "--role-name", unique("x"), "--assume-role-policy-document", TRUST,
                 "--max-session-duration", "50000")
        name = unique("dup")
        self.ok("create-role", "--role-name", name, "--assume-role-policy-document", TRUST)
        self.err("EntityAlreadyExists", "create-role", "--role-name", name.upper(), "--assume-role-policy-document", TRUST)

    def test_list_roles_with_max_items(self):
        for _ in range(4):
            self.ok("create-role", "--role-name", unique("lr"), "--assume-role-policy-document", TRUST, "--path", "/lr/")
        out = self.ok("list-roles", "--path-prefix", "/lr/", "--max-items", "3")
        self.assertEqual(len(out["Roles"]), 3)
        self.assertIn("NextToken", out)


class CliPolicies(CliCase):
    def test_managed_policy_and_versions(self):
        name = unique("cli-p")
        pol = self.ok("create-policy", "--policy-name", name, "--policy-document", S3READ, "--description", "d",
                      "--tags", "Key=k,Value=v")["Policy"]
        arn = pol["Arn"]
        self.assertEqual(arn, "arn:aws:iam::000000000000:policy/" + name)
        self.assertEqual(self.ok("get-policy", "--policy-arn", arn)["Policy"]["DefaultVersionId"], "v1")
        v1 = self.ok("get-policy-version", "--policy-arn", arn, "--version-id", "v1")["PolicyVersion"]
        self.assertEqual(v1["Document"], harness.ALLOW_S3_READ)
        self.ok("create-policy-version", "--policy-arn", arn, "--policy-document", ALL, "--set-as-default")
        self.assertEqual(self.ok("get-policy", "--policy-arn", arn)["Policy"]["DefaultVersionId"], "v2")
        for _ in range(3):
            self.ok("create-policy-version", "--policy-arn", arn, "--policy-document", S3READ)
        self.err("LimitExceeded", "create-policy-version", "--policy-arn", arn, "--policy-document", S3READ,
                 message="A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
        versions = self.ok("list-policy-versions", "--policy-arn", arn)["Versions"]
        self.assertEqual(len(versions), 5)
        self.ok("set-default-policy-version", "--policy-arn", arn, "--version-id", "v1")
        self.err("DeleteConflict", "delete-policy-version", "--policy-arn", arn, "--version-id", "v1",
                 message="Cannot delete the default version of a policy.")
        for v in ("v2", "v3", "v4", "v5"):
            self.ok("delete-policy-version", "--policy-arn", arn, "--version-id", v)
        self.ok("tag-policy", "--policy-arn", arn, "--tags", "Key=k2,Value=v2")
        self.ok("untag-policy", "--policy-arn", arn, "--tag-keys", "k")
        self.assertEqual(self.ok("list-policy-tags", "--policy-arn", arn)["Tags"], [{"Key": "k2", "Value": "v2"}])
        local = self.ok("list-policies", "--scope", "Local")["Policies"]
        self.assertIn(arn, [p["Arn"] for p in local])
        self.ok("delete-policy", "--policy-arn", arn)
        self.err("NoSuchEntity", "get-policy", "--policy-arn", arn)
        self.err("MalformedPolicyDocument", "create-policy", "--policy-name", unique("bad"), "--policy-document", "x",
                 message="Syntax errors in policy.")

    def test_attach_detach_and_entities(self):
        arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        u, g, r = unique("au"), unique("ag"), unique("ar")
        self.ok("create-user", "--user-name", u)
        self.ok("create-group", "--group-name", g)
        self.ok("create-role", "--role-name", r, "--assume-role-policy-document", TRUST)
        self.ok("attach-user-policy", "--user-name", u, "--policy-arn", arn)
        self.ok("attach-group-policy", "--group-name", g, "--policy-arn", arn)
        self.ok("attach-role-policy", "--role-name", r, "--policy-arn", arn)
        expected = [{"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyArn": arn}]
        self.assertEqual(self.ok("list-attached-user-policies", "--user-name", u)["AttachedPolicies"], expected)
        self.assertEqual(self.ok("list-attached-group-policies", "--group-name", g)["AttachedPolicies"], expected)
        self.assertEqual(self.ok("list-attached-role-policies", "--role-name", r)["AttachedPolicies"], expected)
        ents = self.ok("list-entities-for-policy", "--policy-arn", arn)
        self.assertEqual([x["UserName"] for x in ents["PolicyUsers"]], [u])
        self.assertEqual([x["GroupName"] for x in ents["PolicyGroups"]], [g])
        self.assertEqual([x["RoleName"] for x in ents["PolicyRoles"]], [r])
        self.err("DeleteConflict", "delete-role", "--role-name", r,
                 message="Cannot delete entity, must detach all policies first.")
        self.ok("detach-user-policy", "--user-name", u, "--policy-arn", arn)
        self.ok("detach-group-policy", "--group-name", g, "--policy-arn", arn)
        self.ok("detach-role-policy", "--role-name", r, "--policy-arn", arn)
        self.assertEqual(self.ok("list-attached-role-policies", "--role-name", r)["AttachedPolicies"], [])
        self.err("NoSuchEntity", "attach-role-policy", "--role-name", r,
                 "--policy-arn", "arn:aws:iam::000000000000:policy/none")

    def test_aws_managed_policies_via_cli(self):
        p = self.ok("get-policy", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
        self.assertEqual(p["PolicyName"], "AdministratorAccess")
        v = self.ok("get-policy-version", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess",
                    "--version-id", p["DefaultVersionId"])["PolicyVersion"]
        self.assertEqual(v["Document"]["Statement"][0]["Action"], "*")
        out = self.ok("list-policies", "--scope", "AWS", "--max-items", "25")
        self.assertEqual(len(out["Policies"]), 25)
        self.assertIn("NextToken", out)


class CliInlinePolicies(CliCase):
    def test_inline_policies_for_user_group_role(self):
        u, g, r = unique("iu"), unique("ig"), unique("ir")
        self.ok("create-user", "--user-name", u)
        self.ok("create-group", "--group-name", g)
        self.ok("create-role", "--role-name", r, "--assume-role-policy-document", TRUST)
        for kind, flag, name in (("user", "--user-name", u), ("group", "--group-name", g), ("role", "--role-name", r)):
            self.ok("put-%s-policy" % kind, flag, name, "--policy-name", "inl", "--policy-document", S3READ)
            got = self.ok("get-%s-policy" % kind, flag, name, "--policy-name", "inl")
            self.assertEqual(got["PolicyDocument"], harness.ALLOW_S3_READ)
            self.assertEqual(self.ok("list-%s-policies" % kind, flag, name)["PolicyNames"], ["inl"])
            self.err("MalformedPolicyDocument", "put-%s-policy" % kind, flag, name, "--policy-name", "bad",
                     "--policy-document", "]")
            self.ok("delete-%s-policy" % kind, flag, name, "--policy-name", "inl")
            self.err("NoSuchEntity", "get-%s-policy" % kind, flag, name, "--policy-name", "inl",
                     message="The %s policy with name inl cannot be found." % kind)


class CliInstanceProfiles(CliCase):
    def test_instance_profile_lifecycle(self):
        ip, r1, r2 = unique("cip"), unique("cr1"), unique("cr2")
        out = self.ok("create-instance-profile", "--instance-profile-name", ip, "--tags", "Key=a,Value=b")
        self.assertTrue(out["InstanceProfile"]["InstanceProfileId"].startswith("AIPA"))
        self.ok("create-role", "--role-name", r1, "--assume-role-policy-document", TRUST)
        self.ok("create-role", "--role-name", r2, "--assume-role-policy-document", TRUST)
        self.ok("add-role-to-instance-profile", "--instance-profile-name", ip, "--role-name", r1)
        self.err("LimitExceeded", "add-role-to-instance-profile", "--instance-profile-name", ip, "--role-name", r2,
                 message="Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
        got = self.ok("get-instance-profile", "--instance-profile-name", ip)["InstanceProfile"]
        self.assertEqual([x["RoleName"] for x in got["Roles"]], [r1])
        self.assertEqual(got["Roles"][0]["AssumeRolePolicyDocument"], harness.TRUST_EC2)
        listed = self.ok("list-instance-profiles-for-role", "--role-name", r1)["InstanceProfiles"]
        self.assertEqual([x["InstanceProfileName"] for x in listed], [ip])
        self.assertIn(ip, [x["InstanceProfileName"] for x in self.ok("list-instance-profiles")["InstanceProfiles"]])
        self.ok("tag-instance-profile", "--instance-profile-name", ip, "--tags", "Key=c,Value=d")
        self.ok("untag-instance-profile", "--instance-profile-name", ip, "--tag-keys", "a")
        self.assertEqual(self.ok("list-instance-profile-tags", "--instance-profile-name", ip)["Tags"],
                         [{"Key": "c", "Value": "d"}])
        self.err("DeleteConflict", "delete-instance-profile", "--instance-profile-name", ip)
        self.ok("remove-role-from-instance-profile", "--instance-profile-name", ip, "--role-name", r1)
        self.ok("delete-instance-profile", "--instance-profile-name", ip)
        self.err("NoSuchEntity", "get-instance-profile", "--instance-profile-name", ip,
                 message="Instance Profile %s cannot be found." % ip)


class CliAccessKeys(CliCase):
    def test_access_key_lifecycle_and_identity(self):
        u = unique("ck")
        self.ok("create-user", "--user-name", u)
        key = self.ok("create-access-key", "--user-name", u)["AccessKey"]
        self.assertTrue(key["AccessKeyId"].startswith("AKIA"))
        self.assertEqual(len(key["SecretAccessKey"]), 40)
        self.ok("create-access-key", "--user-name", u)
        self.err("LimitExceeded", "create-access-key", "--user-name", u,
                 message="Cannot exceed quota for AccessKeysPerUser: 2")
        self.ok("update-access-key", "--user-name", u, "--access-key-id", key["AccessKeyId"], "--status", "Inactive")
        meta = {m["AccessKeyId"]: m["Status"] for m in self.ok("list-access-keys", "--user-name", u)["AccessKeyMetadata"]}
        self.assertEqual(meta[key["AccessKeyId"]], "Inactive")
        last = self.ok("get-access-key-last-used", "--access-key-id", key["AccessKeyId"])
        self.assertEqual(last["UserName"], u)
        self.ok("update-access-key", "--user-name", u, "--access-key-id", key["AccessKeyId"], "--status", "Active")
        me = self.ok("get-user", access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])["User"]
        self.assertEqual(me["UserName"], u)
        self.ok("delete-access-key", "--user-name", u, "--access-key-id", key["AccessKeyId"])
        self.assertEqual(len(self.ok("list-access-keys", "--user-name", u)["AccessKeyMetadata"]), 1)


class CliAccount(CliCase):
    def test_aliases_summary_details(self):
        alias = "cli-" + unique("al").lower()
        self.ok("create-account-alias", "--account-alias", alias)
        self.assertEqual(self.ok("list-account-aliases")["AccountAliases"], [alias])
        self.ok("delete-account-alias", "--account-alias", alias)
        self.assertEqual(self.ok("list-account-aliases")["AccountAliases"], [])
        before = self.ok("get-account-summary")["SummaryMap"]["Roles"]
        self.ok("create-role", "--role-name", unique("sum"), "--assume-role-policy-document", TRUST)
        self.assertEqual(self.ok("get-account-summary")["SummaryMap"]["Roles"], before + 1)
        details = self.ok("get-account-authorization-details", "--filter", "Role")
        self.assertGreaterEqual(len(details["RoleDetailList"]), 1)
        self.assertEqual(details.get("UserDetailList", []), [])

    def test_service_linked_roles(self):
        role = self.ok("create-service-linked-role", "--aws-service-name", "autoscaling.amazonaws.com",
                       "--custom-suffix", "cli")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForAutoScaling_cli")
        task = self.ok("delete-service-linked-role", "--role-name", role["RoleName"])["DeletionTaskId"]
        status = self.ok("get-service-linked-role-deletion-status", "--deletion-task-id", task)["Status"]
        self.assertIn(status, ("SUCCEEDED", "IN_PROGRESS", "NOT_STARTED"))

    def test_accounts_are_separate_through_cli(self):
        name = unique("acct")
        self.ok("create-role", "--role-name", name, "--assume-role-policy-document", TRUST)
        self.err("NoSuchEntity", "get-role", "--role-name", name, access_key="111111111111")
        out = self.ok("list-roles", access_key="111111111111")
        self.assertNotIn(name, [r["RoleName"] for r in out["Roles"]])


class CliOutputFormats(CliCase):
    def test_text_and_table_output(self):
        name = unique("fmt")
        self.ok("create-user", "--user-name", name)
        r = harness.cli("iam", "get-user", "--user-name", name, "--query", "User.UserName", output="text")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout.strip(), name)
        r = harness.cli("iam", "get-user", "--user-name", name, output="table")
        self.assertEqual(r.rc, 0, r)
        self.assertIn(name, r.stdout)


class RealAwsCommand(CliCase):
    """The installed `aws` executable, as a separate process."""

    def test_create_and_get_role_with_real_aws(self):
        name = unique("proc")
        p = harness.cli_subprocess("iam", "create-role", "--role-name", name, "--assume-role-policy-document", TRUST)
        self.assertEqual(p.rc, 0, p)
        self.assertEqual(p.json["Role"]["RoleName"], name)
        p = harness.cli_subprocess("iam", "get-role", "--role-name", name)
        self.assertEqual(p.rc, 0, p)
        self.assertEqual(p.json["Role"]["AssumeRolePolicyDocument"], harness.TRUST_EC2)

    def test_error_exit_code_and_message_with_real_aws(self):
        p = harness.cli_subprocess("iam", "get-role", "--role-name", "absent-proc-role")
        self.assertEqual(p.rc, 255, p)  # aws-cli v1 answers every error with 255
        self.assertIn(
            "An error occurred (NoSuchEntity) when calling the GetRole operation: "
            "The role with name absent-proc-role cannot be found.",
            p.stderr,
        )

    def test_list_users_with_real_aws(self):
        name = unique("proc-u")
        self.iam.create_user(UserName=name)
        p = harness.cli_subprocess("iam", "list-users")
        self.assertEqual(p.rc, 0, p)
        self.assertIn(name, [u["UserName"] for u in p.json["Users"]])
