// EC2 (the ec2 query protocol) through @aws-sdk/client-ec2: RunInstances with
// an instance profile and tags, DescribeInstances by id, by tag filter and
// through the SDK's paginator; an unknown instance id as EC2's error.
import { DescribeInstancesCommand, EC2Client, paginateDescribeInstances, RunInstancesCommand } from "@aws-sdk/client-ec2";
import * as ec2 from "@aws-sdk/client-ec2";
import { attempt, clientConfig, main, staticCredentials } from "./lib.mjs";

function summary(i) {
  return {
    InstanceId: i.InstanceId,
    State: i.State,
    InstanceType: i.InstanceType,
    ImageId: i.ImageId,
    IamInstanceProfile: i.IamInstanceProfile,
    Tags: i.Tags,
    MetadataOptions: i.MetadataOptions,
    launchTimeIsDate: i.LaunchTime instanceof Date,
  };
}

main(async ({ credentials, profileName, count, tagValue, pageSize }) => {
  const client = new EC2Client(clientConfig(staticCredentials(credentials)));

  const run = await client.send(
    new RunInstancesCommand({
      ImageId: "ami-12345678",
      MinCount: count,
      MaxCount: count,
      InstanceType: "t3.micro",
      IamInstanceProfile: { Name: profileName },
      MetadataOptions: { HttpTokens: "required" },
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: tagValue }] }],
    }),
  );
  const ids = run.Instances.map((i) => i.InstanceId);

  const byId = await client.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  const filter = [{ Name: "tag:Name", Values: [tagValue] }];
  const byTag = await client.send(new DescribeInstancesCommand({ Filters: filter }));

  const pages = [];
  for await (const page of paginateDescribeInstances({ client, pageSize }, { Filters: filter })) {
    pages.push(page.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)));
  }

  const missing = await attempt(
    () => client.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
    ec2,
  );

  return {
    run: { ReservationId: run.ReservationId, OwnerId: run.OwnerId, Instances: run.Instances.map(summary) },
    byId: byId.Reservations.flatMap((r) => r.Instances.map(summary)),
    byTag: byTag.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)),
    pages,
    missing,
  };
});
