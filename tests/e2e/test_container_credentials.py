"""The container-credentials endpoint of the real binary: aws-cli and boto3 in
a process whose only credentials are AWS_CONTAINER_CREDENTIALS_FULL_URI and
AWS_CONTAINER_AUTHORIZATION_TOKEN act as the configured task role; a wrong or
missing token is refused; the relative-URI path form answers too."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import harness
from harness import DEFAULT_ACCOUNT, REGION, IamTestCase, doc, endpoint, http

TOKEN = "container-token-e2e"
ROLE = "TaskRole"
TRUST_ECS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
_tmp = tempfile.mkdtemp(prefix="iamlocal-container-")
EMPTY = os.path.join(_tmp, "empty")
open(EMPTY, "w").close()


def setUpModule():  # noqa: N802
    harness._server = harness.Server(["--container-role", ROLE, "--container-token", TOKEN]).start()


def tearDownModule():  # noqa: N802
    harness.tearDownModule()


def container_env(token=TOKEN):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_CONFIG_FILE": EMPTY,
        "AWS_SHARED_CREDENTIALS_FILE": EMPTY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint() + "/_iamlocal/container-credentials",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
        "HOME": _tmp,
    })
    if token is not None:
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token
    return env


class ContainerCredentials(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=doc(TRUST_ECS))

    def test_aws_cli_acts_as_the_task_role(self):
        p = subprocess.run(["aws", "sts", "get-caller-identity", "--endpoint-url", endpoint(), "--output", "json"],
                           env=container_env(), capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        arn = json.loads(p.stdout)["Arn"]
        self.assertTrue(arn.startswith("arn:aws:sts::%s:assumed-role/%s/" % (DEFAULT_ACCOUNT, ROLE)), arn)

    def test_boto3_acts_as_the_task_role(self):
        script = ("import boto3,sys;s=boto3.session.Session();"
                  "print(s.get_credentials().method);"
                  "print(s.client('sts',endpoint_url=sys.argv[1]).get_caller_identity()['Arn'])")
        p = subprocess.run([sys.executable, "-c", script, endpoint()], env=container_env(), capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        method, arn = p.stdout.strip().splitlines()[-2:]
        self.assertEqual(method, "container-role")
        self.assertIn("assumed-role/%s/" % ROLE, arn)

    def test_wrong_or_missing_token_is_refused(self):
        self.assertEqual(http("GET", "/_iamlocal/container-credentials").status, 401)
        self.assertEqual(http("GET", "/_iamlocal/container-credentials", headers={"Authorization": "nope"}).status, 403)
        p = subprocess.run(["aws", "sts", "get-caller-identity", "--endpoint-url", endpoint()],
                           env=container_env("nope"), capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)

    def test_answer_shape_and_relative_form(self):
        r = http("GET", "/_iamlocal/container-credentials", headers={"Authorization": TOKEN})
        self.assertEqual(r.status, 200)
        body = json.loads(r.text)
        self.assertEqual(set(body), {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"})
        self.assertEqual(body["RoleArn"], "arn:aws:iam::%s:role/%s" % (DEFAULT_ACCOUNT, ROLE))
        self.assertTrue(body["AccessKeyId"].startswith("ASIA"))
        rel = http("GET", "/v2/credentials/" + TOKEN)
        self.assertEqual(rel.status, 200)
        self.assertEqual(json.loads(rel.text)["AccessKeyId"], body["AccessKeyId"])  # same session until rotation


if __name__ == "__main__":
    unittest.main()
