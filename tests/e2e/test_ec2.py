"""EC2's instance and instance-profile operations through boto3 and aws-cli
against the real binary: launching with a profile, describing with filters and
pages, state changes, associations, metadata options, and EC2's own error
envelope and codes as botocore parses them."""

import unittest

from harness import (  # noqa: F401 (setUpModule/tearDownModule are used by unittest)
    DEFAULT_ACCOUNT,
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


if __name__ == "__main__":
    unittest.main()
