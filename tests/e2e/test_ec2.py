"""EC2's instance and instance-profile operations through boto3 and aws-cli
against the real binary: launching with a profile, describing with filters and
pages, state changes, associations, metadata options, and EC2's own error
envelope and codes as botocore parses them, including how EC2 (unlike IAM and
STS) answers requests it cannot authenticate under `--auth verify`."""

import datetime
import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request
from unittest import mock

import boto3
import botocore.auth
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

import harness
from harness import (  # noqa: F401 (setUpModule/tearDownModule are used by unittest)
    DEFAULT_ACCOUNT,
    REGION,
    TRUST_EC2,
    IamTestCase,
    cli,
    client,
    doc,
    setUpModule,
    tearDownModule,
    unique,
)


class Ec2TestCase(IamTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ec2 = client(service="ec2")

    def make_profile(self):
        role = unique("ec2-role")
        profile = unique("ec2-profile")
        self.iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_EC2))
        arn = self.iam.create_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Arn"]
        self.iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
        return profile, arn, role

    def run_one(self, **kw):
        r = self.ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1, **kw)
        return r["Instances"][0]


class Instances(Ec2TestCase):
    def test_run_instances_with_profile_tags_and_user_data(self):
        profile, arn, _ = self.make_profile()
        r = self.ec2.run_instances(
            ImageId="ami-12345678",
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
            IamInstanceProfile={"Name": profile},
            UserData="#!/bin/sh\necho hello\n",  # boto3 base64-encodes it
            MetadataOptions={"HttpTokens": "required", "InstanceMetadataTags": "enabled"},
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "app"}]}],
        )
        self.assertEqual(r["OwnerId"], DEFAULT_ACCOUNT)
        self.assertRegex(r["ReservationId"], r"^r-[0-9a-f]{17}$")
        inst = r["Instances"][0]
        self.assertRegex(inst["InstanceId"], r"^i-[0-9a-f]{17}$")
        self.assertEqual(inst["State"], {"Code": 0, "Name": "pending"})
        self.assertEqual(inst["IamInstanceProfile"]["Arn"], arn)
        self.assertEqual(inst["Placement"]["AvailabilityZone"], "us-east-1a")
        self.assertTrue(inst["PrivateDnsName"].endswith(".ec2.internal"))

        d = self.ec2.describe_instances(InstanceIds=[inst["InstanceId"]])["Reservations"][0]["Instances"][0]
        self.assertEqual(d["State"], {"Code": 16, "Name": "running"})
        self.assertEqual(d["InstanceType"], "t3.micro")
        self.assertEqual(d["Tags"], [{"Key": "Name", "Value": "app"}])
        self.assertEqual(d["MetadataOptions"]["HttpTokens"], "required")
        self.assertEqual(d["MetadataOptions"]["InstanceMetadataTags"], "enabled")
        self.assertTrue(d["IamInstanceProfile"]["Id"].startswith("AIPA"))

    def test_unknown_instance_and_malformed_id(self):
        self.assertClientError(
            lambda: self.ec2.describe_instances(InstanceIds=["i-0123456789abcdef0"]),
            "InvalidInstanceID.NotFound",
            400,
            message="The instance ID 'i-0123456789abcdef0' does not exist",
        )
        self.assertClientError(
            lambda: self.ec2.stop_instances(InstanceIds=["web-1"]),
            "InvalidInstanceID.Malformed",
            400,
            message='Invalid id: "web-1"',
        )

    def test_unknown_profile_is_invalid_parameter_value(self):
        self.assertClientError(
            lambda: self.run_one(IamInstanceProfile={"Name": "no-such-profile"}),
            "InvalidParameterValue",
            400,
            message="Value (no-such-profile) for parameter iamInstanceProfile.name is invalid. "
            "Invalid IAM Instance Profile name",
        )

    def test_missing_count_and_bad_enum(self):
        self.assertClientError(
            lambda: client(service="ec2", validate=False).run_instances(ImageId="ami-1", MaxCount=1),
            "MissingParameter",
            400,
            message="The request must contain the parameter MinCount",
        )
        self.assertClientError(
            lambda: client(service="ec2", validate=False).run_instances(
                ImageId="ami-1", MinCount=1, MaxCount=1, InstanceType="huge.banana"
            ),
            "InvalidParameterValue",
            400,
        )

    def test_dry_run(self):
        self.assertClientError(
            lambda: self.ec2.run_instances(ImageId="ami-1", MinCount=1, MaxCount=1, DryRun=True),
            "DryRunOperation",
            412,
        )

    def test_state_transitions(self):
        iid = self.run_one()["InstanceId"]
        stop = self.ec2.stop_instances(InstanceIds=[iid])["StoppingInstances"][0]
        self.assertEqual(stop["PreviousState"], {"Code": 16, "Name": "running"})
        self.assertEqual(stop["CurrentState"], {"Code": 64, "Name": "stopping"})
        start = self.ec2.start_instances(InstanceIds=[iid])["StartingInstances"][0]
        self.assertEqual(start["PreviousState"], {"Code": 80, "Name": "stopped"})
        self.assertEqual(start["CurrentState"], {"Code": 0, "Name": "pending"})
        term = self.ec2.terminate_instances(InstanceIds=[iid])["TerminatingInstances"][0]
        self.assertEqual(term["CurrentState"], {"Code": 32, "Name": "shutting-down"})
        # boto3's waiter sees the final state.
        self.ec2.get_waiter("instance_terminated").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 3})

    def test_filters_and_pagination(self):
        tag = unique("batch")
        self.ec2.run_instances(
            ImageId="ami-1",
            MinCount=7,
            MaxCount=7,
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "batch", "Value": tag}]}],
        )
        pages = list(
            self.ec2.get_paginator("describe_instances").paginate(
                Filters=[{"Name": "tag:batch", "Values": [tag]}], PaginationConfig={"PageSize": 5}
            )
        )
        ids = [i["InstanceId"] for p in pages for r in p["Reservations"] for i in r["Instances"]]
        self.assertEqual(len(pages), 2)
        self.assertEqual(len(set(ids)), 7)
        self.assertEqual(
            self.ec2.describe_instances(Filters=[{"Name": "tag:batch", "Values": ["nothing-like-this"]}])["Reservations"],
            [],
        )
        self.assertClientError(lambda: self.ec2.describe_instances(MaxResults=5, NextToken="not-a-token"),
                               "InvalidParameterValue", 400,
                               "Value ( not-a-token ) for parameter NextToken is invalid. The token is invalid.")
        self.assertClientError(lambda: self.ec2.describe_instances(MaxResults=1001), "InvalidParameterValue", 400,
                               "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.")
        self.assertClientError(lambda: self.ec2.describe_instances(InstanceIds=[ids[0]], MaxResults=5),
                               "InvalidParameterCombination", 400)
        self.assertClientError(lambda: self.ec2.describe_instances(Filters=[{"Name": "colour", "Values": ["red"]}]),
                               "InvalidParameterValue", 400, "The filter 'colour' is invalid")

    def test_modify_metadata_options(self):
        iid = self.run_one()["InstanceId"]
        r = self.ec2.modify_instance_metadata_options(InstanceId=iid, HttpTokens="required", HttpEndpoint="enabled")
        self.assertEqual(r["InstanceId"], iid)
        self.assertEqual(r["InstanceMetadataOptions"]["HttpTokens"], "required")
        d = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(d["MetadataOptions"]["HttpTokens"], "required")


class Associations(Ec2TestCase):
    def test_associate_describe_replace_disassociate(self):
        first, first_arn, _ = self.make_profile()
        second, second_arn, _ = self.make_profile()
        iid = self.run_one()["InstanceId"]
        a = self.ec2.associate_iam_instance_profile(InstanceId=iid, IamInstanceProfile={"Name": first})
        assoc = a["IamInstanceProfileAssociation"]
        self.assertRegex(assoc["AssociationId"], r"^iip-assoc-[0-9a-f]{17}$")
        self.assertEqual(assoc["State"], "associating")
        self.assertClientError(
            lambda: self.ec2.associate_iam_instance_profile(InstanceId=iid, IamInstanceProfile={"Name": second}),
            "IncorrectState",
            400,
            message="There is an existing association for instance " + iid,
        )
        listed = self.ec2.describe_iam_instance_profile_associations(
            Filters=[{"Name": "instance-id", "Values": [iid]}]
        )["IamInstanceProfileAssociations"]
        self.assertEqual([x["IamInstanceProfile"]["Arn"] for x in listed], [first_arn])
        self.assertEqual(listed[0]["State"], "associated")

        r = self.ec2.replace_iam_instance_profile_association(
            AssociationId=assoc["AssociationId"], IamInstanceProfile={"Arn": second_arn}
        )["IamInstanceProfileAssociation"]
        self.assertNotEqual(r["AssociationId"], assoc["AssociationId"])
        d = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(d["IamInstanceProfile"]["Arn"], second_arn)

        gone = self.ec2.disassociate_iam_instance_profile(AssociationId=r["AssociationId"])
        self.assertEqual(gone["IamInstanceProfileAssociation"]["State"], "disassociating")
        self.assertClientError(
            lambda: self.ec2.disassociate_iam_instance_profile(AssociationId=r["AssociationId"]),
            "InvalidAssociationID.NotFound",
            400,
        )

    def test_cli_run_and_describe(self):
        profile, arn, _ = self.make_profile()
        out = self.assertCliOk(
            cli("ec2", "run-instances", "--image-id", "ami-12345678", "--count", "1",
                "--iam-instance-profile", "Name=" + profile, "--user-data", "hello")
        )
        iid = out["Instances"][0]["InstanceId"]
        d = self.assertCliOk(cli("ec2", "describe-instances", "--instance-ids", iid))
        self.assertEqual(d["Reservations"][0]["Instances"][0]["IamInstanceProfile"]["Arn"], arn)
        err = cli("ec2", "describe-instances", "--instance-ids", "i-00000000")
        self.assertCliError(err, "InvalidInstanceID.NotFound")


# ---------------------------------------------------------------- authentication
# EC2's own answers ("Error codes for the Amazon EC2 API", common client
# errors): AuthFailure (401) for credentials it cannot validate,
# RequestExpired (400) for expired temporary credentials and date stamps
# outside the 15-minute window, MissingParameter for no credentials at all.
NOT_VALIDATED = "AWS was not able to validate the provided access credentials"
REQUEST_EXPIRED = "Request has expired."
INVALID_TOKEN = "The security token included in the request is invalid."
TRUST_ROOT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": DEFAULT_ACCOUNT}, "Action": "sts:AssumeRole"}],
}


class Ec2AuthenticationFailures(harness.IamTestCase):
    """A server of its own in verify mode with clock control."""

    @classmethod
    def setUpClass(cls):  # not the module's accept-mode server
        cls.srv = harness.Server(["--auth", "verify", "--enable-clock-control", "--log-level", "warn"]).start()

    @classmethod
    def tearDownClass(cls):
        code, out = cls.srv.stop()
        harness.check_clean_exit(code, out)

    def tearDown(self):
        self.set_clock(0)

    def set_clock(self, offset_seconds):
        req = urllib.request.Request(
            self.srv.url + "/_iamlocal/clock",
            data=json.dumps({"offset_seconds": offset_seconds}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()

    def client(self, service="ec2", key="test", secret="test", token=None, config=None):
        # botocore's default retry settings unless told otherwise: the tests
        # show that none of these answers is retried.
        config = config or Config(connect_timeout=5, read_timeout=30)
        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
        ).client(service, endpoint_url=self.srv.url, config=config)

    def assertNotRetried(self, error, code, status, message):
        response = error.response
        self.assertEqual(response["Error"]["Code"], code, response)
        self.assertEqual(response["Error"]["Message"], message, response)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status, response)
        self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 0, response)

    def fails(self, fn):
        with self.assertRaises(ClientError) as cm:
            fn()
        return cm.exception

    def aws(self, *args, key="test", secret="test"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": "/nonexistent/aws-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-creds",
            "AWS_PAGER": "",
        })
        p = subprocess.run(["aws"] + list(args) + ["--endpoint-url", self.srv.url, "--output", "json"],
                           env=env, capture_output=True, text=True, timeout=60)
        return harness.CliResult(p.returncode, p.stdout, p.stderr)

    def user_key(self):
        iam = self.client("iam")
        name = unique("ec2-auth")
        iam.create_user(UserName=name)
        return name, iam.create_access_key(UserName=name)["AccessKey"]

    def session(self, duration=900):
        iam = self.client("iam")
        role = unique("ec2-auth-role")
        arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(TRUST_ROOT))["Role"]["Arn"]
        return self.client("sts").assume_role(RoleArn=arn, RoleSessionName="s1", DurationSeconds=duration)[
            "Credentials"]

    def test_valid_credentials_are_accepted(self):
        self.assertEqual(self.client().describe_instances()["Reservations"], [])

    def test_unknown_key_is_auth_failure_401_not_retried(self):
        err = self.fails(lambda: self.client(key="AKIAEC2UNKNOWNKEY000", secret="x").describe_instances())
        self.assertNotRetried(err, "AuthFailure", 401, NOT_VALIDATED)
        # IAM and STS keep their own code for the same key.
        for service, call in (("iam", "list_users"), ("sts", "get_caller_identity")):
            with self.subTest(service=service):
                err = self.fails(getattr(self.client(service, key="AKIAEC2UNKNOWNKEY000", secret="x"), call))
                self.assertNotRetried(err, "InvalidClientTokenId", 403, INVALID_TOKEN)

    def test_wrong_secret_is_auth_failure_401(self):
        _, key = self.user_key()
        err = self.fails(lambda: self.client(key=key["AccessKeyId"], secret="not-the-secret").describe_instances())
        self.assertNotRetried(err, "AuthFailure", 401, NOT_VALIDATED)
        err = self.fails(self.client("sts", key=key["AccessKeyId"], secret="not-the-secret").get_caller_identity)
        self.assertEqual(err.response["Error"]["Code"], "SignatureDoesNotMatch")
        self.assertEqual(err.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_inactive_key_is_auth_failure_401(self):
        name, key = self.user_key()
        self.client("iam").update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Inactive")
        as_user = self.client(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
        self.assertNotRetried(self.fails(as_user.describe_instances), "AuthFailure", 401, NOT_VALIDATED)

    def test_temporary_credentials_need_their_own_token(self):
        creds = self.session()
        for token in ("not-the-token", None):
            with self.subTest(token=token):
                as_session = self.client(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=token)
                self.assertNotRetried(self.fails(as_session.describe_instances), "AuthFailure", 401, NOT_VALIDATED)

    def test_expired_temporary_credentials_are_request_expired(self):
        # Issued while the server's clock is 10 minutes behind, then 7 minutes
        # ahead: the 15-minute session has ended, the signature's date (real
        # time) is still inside SigV4's window.
        self.set_clock(-600)
        creds = self.session(duration=900)
        keys = dict(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
        self.assertEqual(self.client(**keys).describe_instances()["Reservations"], [])
        self.set_clock(420)
        err = self.fails(self.client(**keys).describe_instances)
        self.assertNotRetried(err, "RequestExpired", 400, REQUEST_EXPIRED)
        err = self.fails(self.client("sts", **keys).get_caller_identity)
        self.assertNotRetried(err, "ExpiredToken", 403, "The security token included in the request is expired")

    def test_request_outside_the_time_window_is_request_expired(self):
        for offset in (3600, -3600):  # signed an hour before / after the server's time
            with self.subTest(offset=offset):
                self.set_clock(offset)
                err = self.fails(self.client().describe_instances)
                self.assertNotRetried(err, "RequestExpired", 400, REQUEST_EXPIRED)
                err = self.fails(self.client("sts").get_caller_identity)
                self.assertEqual(err.response["Error"]["Code"], "SignatureDoesNotMatch")
                self.assertEqual(err.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_request_signed_with_an_old_date_is_request_expired(self):
        # The server's clock is real; botocore signs as if 20 minutes ago.
        stale = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=stale):
            err = self.fails(self.client().describe_instances)
        self.assertNotRetried(err, "RequestExpired", 400, REQUEST_EXPIRED)

    def test_unsigned_request_is_missing_parameter(self):
        unsigned = self.client(config=Config(signature_version=UNSIGNED))
        err = self.fails(unsigned.describe_instances)
        self.assertNotRetried(err, "MissingParameter", 400, "The request must contain the parameter AWSAccessKeyId")

    def test_answers_are_in_ec2s_envelope(self):
        body = "Action=DescribeInstances&Version=2016-11-15"
        req = urllib.request.Request(self.srv.url + "/", data=body.encode(), method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "X-Amz-Date": "20240501T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEC2UNKNOWNKEY000/20240501/us-east-1/ec2/aws4_request",
        })
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 401)
        text = cm.exception.read().decode()
        self.assertRegex(
            text,
            r"^<\?xml version=\"1.0\" encoding=\"UTF-8\"\?>\s*<Response><Errors><Error><Code>AuthFailure</Code>"
            r"<Message>Authorization header or parameters are not formatted correctly.</Message></Error></Errors>"
            r"<RequestID>[0-9a-f-]{36}</RequestID></Response>",
        )

    def test_cli_reports_auth_failure(self):
        r = self.aws("ec2", "describe-instances", key="AKIAEC2UNKNOWNKEY000", secret="x")
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(r.error_code(), "AuthFailure", r)
        self.assertEqual(r.error_message(), NOT_VALIDATED, r)


if __name__ == "__main__":
    unittest.main()
