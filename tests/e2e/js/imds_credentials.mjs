// Credentials from iamlocal's instance metadata service, found the way an
// application on EC2 finds them: fromInstanceMetadata (reading
// AWS_EC2_METADATA_SERVICE_ENDPOINT) and the default provider chain with no
// keys in the environment. Then who am I, and an IAM call on those credentials.
import { GetRoleCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import * as iam from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromInstanceMetadata } from "@aws-sdk/credential-providers";
import { attempt, clientConfig, main } from "./lib.mjs";

async function asInstance(credentials, roleName) {
  const { Arn, Account, UserId } = await new STSClient(clientConfig(credentials)).send(
    new GetCallerIdentityCommand({}),
  );
  const client = new IAMClient(clientConfig(credentials));
  const getRole = await attempt(async () => {
    const { Role } = await client.send(new GetRoleCommand({ RoleName: roleName }));
    return { Arn: Role.Arn };
  }, iam);
  const listUsers = await attempt(async () => {
    const { Users } = await client.send(new ListUsersCommand({}));
    return { count: Users.length };
  }, iam);
  return { identity: { Arn, Account, UserId }, getRole, listUsers };
}

main(async ({ roleName }) => {
  const provider = fromInstanceMetadata({ timeout: 5000, maxRetries: 0 });
  const creds = await provider();
  const explicit = await asInstance(provider, roleName);
  // No credentials option: the SDK's default chain, which ends at the IMDS.
  const defaultChain = await asInstance(undefined, roleName);
  return {
    credentials: {
      accessKeyId: creds.accessKeyId,
      hasSessionToken: typeof creds.sessionToken === "string" && creds.sessionToken.length > 0,
      expiration: creds.expiration,
      expirationIsDate: creds.expiration instanceof Date,
    },
    explicit,
    defaultChain,
  };
});
