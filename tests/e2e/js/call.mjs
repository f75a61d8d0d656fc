// One operation of IAM, STS or EC2 through its v3 client, for the tests that
// need just one call: input {service, command, input, credentials}; prints
// {ok: output} or {error: how the SDK surfaced the error}.
import * as ec2 from "@aws-sdk/client-ec2";
import * as iam from "@aws-sdk/client-iam";
import * as sts from "@aws-sdk/client-sts";
import { attempt, clientConfig, main, staticCredentials } from "./lib.mjs";

const kServices = {
  iam: [iam, iam.IAMClient],
  sts: [sts, sts.STSClient],
  ec2: [ec2, ec2.EC2Client],
};

main(async ({ service, command, input = {}, credentials }) => {
  const [module, Client] = kServices[service];
  const Command = module[`${command}Command`];
  if (typeof Command !== "function") throw new Error(`no ${command}Command in the ${service} client`);
  const client = new Client(clientConfig(staticCredentials(credentials)));
  const result = await attempt(async () => {
    const { $metadata, ...output } = await client.send(new Command(input));
    return { status: $metadata.httpStatusCode, output };
  }, module);
  return result;
});
