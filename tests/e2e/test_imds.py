"""The instance metadata service of the real binary: an unmodified aws-cli and
boto3 in a process with no static credentials, only
AWS_EC2_METADATA_SERVICE_ENDPOINT, act as the instance's role; IMDSv2 tokens,
their TTL and expiry under clock control; IMDSv1 refused under
HttpTokens=required; per-instance path prefixes; a dedicated --imds-port;
instances declared in the config file; identity documents; and the seed
scenarios (EC2 writes to S3, EC2 writes to CloudWatch Logs) checked with the
policy simulator and, in enforce mode, with calls made on the instance's
credentials."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

import harness
from harness import DEFAULT_ACCOUNT, REGION, TRUST_EC2, IamTestCase, client, doc, endpoint, http, unique

_tmp = tempfile.mkdtemp(prefix="iamlocal-imds-")
DECLARED = "i-0d0d0d0d0d0d0d0d0"
CONFIG = os.path.join(_tmp, "config.json")
with open(CONFIG, "w") as f:
    json.dump(
        {
            "instances": [
                {
                    "id": DECLARED,
                    "instance_profile": "declared-profile",
                    "instance_type": "t3.small",
                    "user_data": "#cloud-config\n",
                    "tags": {"Name": "declared"},
                    "metadata_options": {"instance_metadata_tags": "enabled"},
                }
            ]
        },
        f,
    )
EMPTY = os.path.join(_tmp, "empty")
open(EMPTY, "w").close()


def setUpModule():  # noqa: N802
    harness._server = harness.Server(["--enable-clock-control", "--config", CONFIG]).start()


def tearDownModule():  # noqa: N802
    harness.tearDownModule()


def set_clock(offset_seconds):
    req = urllib.request.Request(
        endpoint() + "/_iamlocal/clock",
        data=json.dumps({"offset_seconds": offset_seconds}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200


def instance_env(metadata_endpoint):
    """An environment with no credentials but the metadata service's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_CONFIG_FILE": EMPTY,
            "AWS_SHARED_CREDENTIALS_FILE": EMPTY,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": metadata_endpoint,
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_PAGER": "",
            "HOME": _tmp,
        }
    )
    return env


def aws_on_instance(metadata_endpoint, *args):
    p = subprocess.run(
        ["aws"] + list(args) + ["--endpoint-url", endpoint(), "--output", "json"],
        env=instance_env(metadata_endpoint),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return p


BOTO3_SCRIPT = """
import json, sys, boto3
s = boto3.session.Session()
c = s.get_credentials()
sts = s.client("sts", endpoint_url=sys.argv[1])
print(json.dumps({"arn": sts.get_caller_identity()["Arn"], "method": c.method}))
"""


def boto3_on_instance(metadata_endpoint, extra_env=None):
    env = instance_env(metadata_endpoint)
    env.update(extra_env or {})
    p = subprocess.run(
        [sys.executable, "-c", BOTO3_SCRIPT, endpoint()], env=env, capture_output=True, text=True, timeout=60
    )
    return p


class ImdsCase(IamTestCase):
    def setUp(self):
        set_clock(0)

    @classmethod
    def tearDownClass(cls):
        set_clock(0)
        super().tearDownClass()

    def make_instance(self, **kw):
        role = unique("InstRole")
        profile = unique("inst-profile")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_EC2))
        self.iam.create_instance_profile(InstanceProfileName=profile)
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
        ec2 = client(service="ec2")
        iid = ec2.run_instances(
            ImageId="ami-12345678", MinCount=1, MaxCount=1, IamInstanceProfile={"Name": profile}, **kw
        )["Instances"][0]["InstanceId"]
        return iid, role, profile

    def prefix(self, iid):
        return endpoint() + "/_iamlocal/instances/%s/" % iid

    def get(self, iid, path, token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["X-aws-ec2-metadata-token"] = token
        return http("GET", "/_iamlocal/instances/%s/latest/%s" % (iid, path), headers=h)

    def token(self, iid, ttl="21600", headers=None):
        h = {"X-aws-ec2-metadata-token-ttl-seconds": ttl}
        h.update(headers or {})
        return http("PUT", "/_iamlocal/instances/%s/latest/api/token" % iid, headers=h)


class SdksOnAnInstance(ImdsCase):
    def test_aws_cli_and_boto3_act_as_the_instance_role(self):
        iid, role, _ = self.make_instance()
        expected = "arn:aws:sts::%s:assumed-role/%s/%s" % (DEFAULT_ACCOUNT, role, iid)
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["Arn"], expected)
        b = boto3_on_instance(self.prefix(iid))
        self.assertEqual(b.returncode, 0, b.stderr)
        out = json.loads(b.stdout.strip().splitlines()[-1])
        self.assertEqual(out["arn"], expected)
        self.assertEqual(out["method"], "iam-role")

    def test_imdsv2_required_still_works_for_sdks(self):
        iid, role, _ = self.make_instance(MetadataOptions={"HttpTokens": "required"})
        b = boto3_on_instance(self.prefix(iid))
        self.assertEqual(b.returncode, 0, b.stderr)
        self.assertIn("assumed-role/%s/%s" % (role, iid), b.stdout)

    def test_declared_instance_gets_credentials_once_its_profile_exists(self):
        r = self.get(DECLARED, "meta-data/instance-type")
        self.assertEqual((r.status, r.text), (200, "t3.small"))
        self.assertEqual(self.get(DECLARED, "meta-data/iam/security-credentials/").status, 404)
        role = unique("DeclaredRole")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_EC2))
        self.iam.create_instance_profile(InstanceProfileName="declared-profile")
        self.iam.add_role_to_instance_profile(InstanceProfileName="declared-profile", RoleName=role)
        self.assertEqual(self.get(DECLARED, "meta-data/iam/security-credentials/").text, role)
        self.assertEqual(self.get(DECLARED, "user-data").text, "#cloud-config\n")
        self.assertEqual(self.get(DECLARED, "meta-data/tags/instance/Name").text, "declared")
        p = aws_on_instance(self.prefix(DECLARED), "sts", "get-caller-identity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("assumed-role/%s/%s" % (role, DECLARED), p.stdout)
        # A reset keeps the declared instance.
        harness.server().reset()
        self.assertEqual(self.get(DECLARED, "meta-data/instance-id").text, DECLARED)


class Tokens(ImdsCase):
    def test_ttl_range_and_forwarded_requests(self):
        iid, _, _ = self.make_instance()
        for bad in ("0", "21601", "x"):
            self.assertEqual(self.token(iid, bad).status, 400, bad)
        self.assertEqual(http("PUT", "/_iamlocal/instances/%s/latest/api/token" % iid).status, 400)
        self.assertEqual(self.token(iid, "60", {"X-Forwarded-For": "1.2.3.4"}).status, 403)
        ok = self.token(iid, "60")
        self.assertEqual(ok.status, 200)
        self.assertEqual(ok.headers.get("x-aws-ec2-metadata-token-ttl-seconds"), "60")

    def test_tokens_expire_with_the_clock(self):
        iid, _, _ = self.make_instance()
        t = self.token(iid, "60").text
        self.assertEqual(self.get(iid, "meta-data/instance-id", t).text, iid)
        set_clock(61)
        r = self.get(iid, "meta-data/instance-id", t)
        self.assertEqual(r.status, 401)
        self.assertIn("401 - Unauthorized", r.text)
        self.assertEqual(self.get(iid, "meta-data/instance-id", "bogus").status, 401)

    def test_token_of_one_instance_does_not_open_another(self):
        a, _, _ = self.make_instance()
        b, _, _ = self.make_instance()
        t = self.token(a).text
        self.assertEqual(self.get(b, "meta-data/instance-id", t).status, 401)

    def test_v1_refused_when_tokens_required(self):
        iid, _, _ = self.make_instance()
        self.assertEqual(self.get(iid, "meta-data/instance-id").status, 200)
        client(service="ec2").modify_instance_metadata_options(InstanceId=iid, HttpTokens="required")
        self.assertEqual(self.get(iid, "meta-data/instance-id").status, 401)
        self.assertEqual(self.get(iid, "meta-data/instance-id", self.token(iid).text).status, 200)

    def test_disabled_endpoint_is_forbidden(self):
        iid, _, _ = self.make_instance(MetadataOptions={"HttpEndpoint": "disabled"})
        self.assertEqual(self.get(iid, "meta-data/").status, 403)


class Credentials(ImdsCase):
    def test_credentials_rotate_before_expiry_and_follow_the_association(self):
        iid, role, _ = self.make_instance()
        info = json.loads(self.get(iid, "meta-data/iam/info").text)
        self.assertEqual(info["Code"], "Success")
        self.assertTrue(info["InstanceProfileId"].startswith("AIPA"))
        creds = json.loads(self.get(iid, "meta-data/iam/security-credentials/" + role).text)
        self.assertEqual((creds["Code"], creds["Type"]), ("Success", "AWS-HMAC"))
        again = json.loads(self.get(iid, "meta-data/iam/security-credentials/" + role).text)
        self.assertEqual(again["AccessKeyId"], creds["AccessKeyId"])
        # Six-hour sessions; new ones from 15 minutes before expiry.
        set_clock(6 * 3600 - 14 * 60)
        rotated = json.loads(self.get(iid, "meta-data/iam/security-credentials/" + role).text)
        self.assertNotEqual(rotated["AccessKeyId"], creds["AccessKeyId"])
        sts = client(access_key=rotated["AccessKeyId"], secret_key=rotated["SecretAccessKey"],
                     session_token=rotated["Token"], service="sts")
        self.assertTrue(sts.get_caller_identity()["Arn"].endswith("/%s/%s" % (role, iid)))

        ec2 = client(service="ec2")
        assoc = ec2.describe_iam_instance_profile_associations(Filters=[{"Name": "instance-id", "Values": [iid]}])
        ec2.disassociate_iam_instance_profile(
            AssociationId=assoc["IamInstanceProfileAssociations"][0]["AssociationId"])
        self.assertEqual(self.get(iid, "meta-data/iam/security-credentials/").status, 404)

    def test_role_that_does_not_trust_ec2_gives_sdks_no_credentials(self):
        role = unique("LambdaOnly")
        profile = unique("lambda-only")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(harness.TRUST_LAMBDA))
        self.iam.create_instance_profile(InstanceProfileName=profile)
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
        iid = client(service="ec2").run_instances(
            ImageId="ami-12345678", MinCount=1, MaxCount=1, IamInstanceProfile={"Name": profile}
        )["Instances"][0]["InstanceId"]
        message = ("EC2 cannot assume the role %s.  Please see documentation at "
                   "http://docs.amazonwebservices.com/IAM/latest/UserGuide/RolesTroubleshooting.html." % role)
        info = json.loads(self.get(iid, "meta-data/iam/info").text)
        self.assertEqual((info["Code"], info["Message"]), ("AssumeRoleUnauthorizedAccess", message))
        self.assertEqual(self.get(iid, "meta-data/iam/security-credentials/").text, role)
        r = self.get(iid, "meta-data/iam/security-credentials/" + role)
        self.assertEqual(r.status, 200)
        creds = json.loads(r.text)
        self.assertEqual((creds["Code"], creds["Message"]), ("AssumeRoleUnauthorizedAccess", message))
        self.assertNotIn("AccessKeyId", creds)
        # SDKs find no credentials anywhere.
        b = subprocess.run([sys.executable, "-c", "import boto3; print(boto3.session.Session().get_credentials())"],
                           env=instance_env(self.prefix(iid)), capture_output=True, text=True, timeout=60)
        self.assertEqual(b.returncode, 0, b.stderr)
        self.assertEqual(b.stdout.strip(), "None")
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("Unable to locate credentials", p.stderr)
        # Once the role trusts EC2, the same instance acts as it.
        self.iam.update_assume_role_policy(RoleName=role, PolicyDocument=doc(TRUST_EC2))
        self.assertEqual(json.loads(self.get(iid, "meta-data/iam/info").text)["Code"], "Success")
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("assumed-role/%s/%s" % (role, iid), p.stdout)

    def test_metadata_paths_and_identity_document(self):
        iid, _, _ = self.make_instance(InstanceType="t3.micro")
        listing = self.get(iid, "meta-data/").text.split("\n")
        for entry in ("ami-id", "hostname", "iam/", "instance-id", "instance-type", "local-hostname", "local-ipv4",
                      "mac", "placement/", "security-groups"):
            self.assertIn(entry, listing)
        self.assertEqual(self.get(iid, "meta-data/placement/region").text, REGION)
        self.assertEqual(self.get(iid, "meta-data/placement/availability-zone").text, REGION + "a")
        self.assertEqual(self.get(iid, "user-data").status, 404)
        missing = self.get(iid, "meta-data/no/such/thing")
        self.assertEqual(missing.status, 404)
        self.assertIn("<title>404 - Not Found</title>", missing.text)
        document = self.get(iid, "dynamic/instance-identity/document").text
        d = json.loads(document)
        self.assertEqual((d["instanceId"], d["accountId"], d["instanceType"]), (iid, DEFAULT_ACCOUNT, "t3.micro"))
        # The published certificate verifies the signatures (openssl, as AWS's guide does).
        cert = http("GET", "/_iamlocal/imds/certificate").text
        paths = {}
        for name, content in (("cert.pem", cert), ("document", document),
                              ("pkcs7", "-----BEGIN PKCS7-----\n" + self.get(iid, "dynamic/instance-identity/pkcs7").text
                               + "\n-----END PKCS7-----\n")):
            paths[name] = os.path.join(_tmp, iid + "-" + name)
            with open(paths[name], "w") as f:
                f.write(content)
        p = subprocess.run(["openssl", "smime", "-verify", "-in", paths["pkcs7"], "-inform", "PEM", "-content",
                            paths["document"], "-certfile", paths["cert.pem"], "-noverify"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Verification successful", p.stderr)


class MetadataOptionsAtWork(ImdsCase):
    def test_instance_tags_follow_instance_metadata_tags(self):
        iid, _, _ = self.make_instance(
            UserData="#!/bin/sh\necho hi\n",
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "Team", "Value": "core"}]}])
        self.assertEqual(self.get(iid, "user-data").text, "#!/bin/sh\necho hi\n")  # decoded, as launched
        self.assertNotIn("tags/", self.get(iid, "meta-data/").text.split("\n"))
        self.assertEqual(self.get(iid, "meta-data/tags/instance").status, 404)
        ec2 = client(service="ec2")
        ec2.modify_instance_metadata_options(InstanceId=iid, InstanceMetadataTags="enabled")
        self.assertIn("tags/", self.get(iid, "meta-data/").text.split("\n"))
        self.assertEqual(self.get(iid, "meta-data/tags/instance").text, "Name\nTeam")
        self.assertEqual(self.get(iid, "meta-data/tags/instance/Team").text, "core")
        self.assertEqual(self.get(iid, "meta-data/tags/instance/Owner").status, 404)
        ec2.modify_instance_metadata_options(InstanceId=iid, InstanceMetadataTags="disabled")
        self.assertEqual(self.get(iid, "meta-data/tags/instance/Name").status, 404)

    def test_disabled_endpoint_gives_sdks_no_credentials_until_enabled(self):
        iid, role, _ = self.make_instance(MetadataOptions={"HttpEndpoint": "disabled"})
        for path in ("meta-data/instance-id", "meta-data/iam/security-credentials/" + role, "user-data"):
            r = self.get(iid, path)
            self.assertEqual(r.status, 403, path)
            self.assertIn("<title>403 - Forbidden</title>", r.text)
        self.assertEqual(self.token(iid).status, 403)
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("Unable to locate credentials", p.stderr)
        client(service="ec2").modify_instance_metadata_options(InstanceId=iid, HttpEndpoint="enabled")
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("assumed-role/%s/%s" % (role, iid), p.stdout)

    def test_replacing_the_association_serves_the_new_role(self):
        iid, first_role, _ = self.make_instance()
        first = json.loads(self.get(iid, "meta-data/iam/security-credentials/" + first_role).text)
        second_role, second_profile = unique("SecondRole"), unique("second-profile")
        self.iam.create_role(RoleName=second_role, AssumeRolePolicyDocument=doc(TRUST_EC2))
        self.iam.create_instance_profile(InstanceProfileName=second_profile)
        self.iam.add_role_to_instance_profile(InstanceProfileName=second_profile, RoleName=second_role)
        ec2 = client(service="ec2")
        assoc = ec2.describe_iam_instance_profile_associations(
            Filters=[{"Name": "instance-id", "Values": [iid]}])["IamInstanceProfileAssociations"][0]
        ec2.replace_iam_instance_profile_association(AssociationId=assoc["AssociationId"],
                                                     IamInstanceProfile={"Name": second_profile})
        self.assertEqual(self.get(iid, "meta-data/iam/security-credentials/").text, second_role)
        self.assertEqual(self.get(iid, "meta-data/iam/security-credentials/" + first_role).status, 404)
        info = json.loads(self.get(iid, "meta-data/iam/info").text)
        self.assertTrue(info["InstanceProfileArn"].endswith("/" + second_profile))
        second = json.loads(self.get(iid, "meta-data/iam/security-credentials/" + second_role).text)
        self.assertNotEqual(second["AccessKeyId"], first["AccessKeyId"])
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("assumed-role/%s/%s" % (second_role, iid), p.stdout)
        # Removing the role from the profile empties security-credentials/ but keeps iam/info.
        self.iam.remove_role_from_instance_profile(InstanceProfileName=second_profile, RoleName=second_role)
        self.assertEqual(self.get(iid, "meta-data/iam/security-credentials/").status, 404)
        self.assertEqual(json.loads(self.get(iid, "meta-data/iam/info").text)["Code"], "Success")


class DedicatedPort(unittest.TestCase):
    def test_imds_port_serves_the_only_instance_at_the_root(self):
        port = harness._free_port()
        srv = harness.Server(["--imds-port", str(port), "--config", CONFIG]).start()
        try:
            role = unique("PortRole")
            iam = harness.boto3.client("iam", endpoint_url=srv.url, region_name=REGION,
                                       aws_access_key_id="test", aws_secret_access_key="test")
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_EC2))
            iam.create_instance_profile(InstanceProfileName="declared-profile")
            iam.add_role_to_instance_profile(InstanceProfileName="declared-profile", RoleName=role)
            env = instance_env("http://127.0.0.1:%d/" % port)
            p = subprocess.run(["aws", "sts", "get-caller-identity", "--endpoint-url", srv.url, "--output", "json"],
                               env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(json.loads(p.stdout)["Arn"],
                             "arn:aws:sts::%s:assumed-role/%s/%s" % (DEFAULT_ACCOUNT, role, DECLARED))
        finally:
            code, out = srv.stop()
            harness.check_clean_exit(code, out)


class EnforceMode(unittest.TestCase):
    """Under --auth enforce the instance's credentials are authorized by its
    role's policies, and launching with a profile needs iam:PassRole."""

    def test_instance_credentials_are_authorized_by_the_role(self):
        srv = harness.Server(["--auth", "enforce"]).start()
        try:
            def admin(service):
                return harness.boto3.client(service, endpoint_url=srv.url, region_name=REGION,
                                            aws_access_key_id="test", aws_secret_access_key="test")
            iam = admin("iam")
            role = unique("EnforcedRole")
            iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_EC2))
            iam.put_role_policy(RoleName=role, PolicyName="read", PolicyDocument=doc(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}))
            iam.create_instance_profile(InstanceProfileName=role)
            iam.add_role_to_instance_profile(InstanceProfileName=role, RoleName=role)
            iid = admin("ec2").run_instances(ImageId="ami-1", MinCount=1, MaxCount=1,
                                             IamInstanceProfile={"Name": role})["Instances"][0]["InstanceId"]
            env = instance_env(srv.url + "/_iamlocal/instances/%s/" % iid)

            def aws(*args):
                return subprocess.run(["aws"] + list(args) + ["--endpoint-url", srv.url, "--output", "json"],
                                      env=env, capture_output=True, text=True, timeout=60)

            ok = aws("iam", "list-roles")
            self.assertEqual(ok.returncode, 0, ok.stderr)
            self.assertIn(role, ok.stdout)
            denied = aws("iam", "create-user", "--user-name", unique("nope"))
            self.assertNotEqual(denied.returncode, 0)
            self.assertIn("AccessDenied", denied.stderr)
            # The instance may not launch another with its own profile: no iam:PassRole.
            launch = aws("ec2", "run-instances", "--image-id", "ami-1", "--count", "1",
                         "--iam-instance-profile", "Name=" + role)
            self.assertNotEqual(launch.returncode, 0)
            self.assertIn("UnauthorizedOperation", launch.stderr)
        finally:
            code, out = srv.stop()
            harness.check_clean_exit(code, out)


class SeedScenarios(ImdsCase):
    """EC2 -> S3 and EC2 -> CloudWatch Logs: the instance role allows exactly
    what the seed documents grant."""

    def scenario(self, actions, denied):
        iid, role, _ = self.make_instance()
        self.iam.put_role_policy(
            RoleName=role, PolicyName="grant",
            PolicyDocument=doc({"Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
        arn = self.iam.get_role(RoleName=role)["Role"]["Arn"]
        r = self.iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=actions + denied)
        decisions = {x["EvalActionName"]: x["EvalDecision"] for x in r["EvaluationResults"]}
        for a in actions:
            self.assertEqual(decisions[a], "allowed", a)
        for a in denied:
            self.assertEqual(decisions[a], "implicitDeny", a)
        # The instance's own credentials identify as the role's session.
        p = aws_on_instance(self.prefix(iid), "sts", "get-caller-identity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("assumed-role/%s/%s" % (role, iid), p.stdout)

    def test_ec2_writes_to_s3(self):
        self.scenario(["s3:PutObject"], ["s3:DeleteObject", "iam:CreateUser"])

    def test_ec2_writes_to_cloudwatch_logs(self):
        self.scenario(["logs:PutLogEvents", "logs:CreateLogStream"], ["logs:DeleteLogGroup", "s3:PutObject"])


if __name__ == "__main__":
    unittest.main()
