// STS through @aws-sdk/client-sts with a user's keys: who am I; AssumeRole and
// calls (STS and IAM) signed with the temporary credentials it returns; the
// same role through the fromTemporaryCredentials provider; GetSessionToken and
// a call with its credentials.
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import * as iam from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { attempt, clientConfig, endpoint, main, REGION, staticCredentials } from "./lib.mjs";

function fromStsCredentials(c) {
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function whoAmI(credentials) {
  const { Arn, Account, UserId } = await new STSClient(clientConfig(credentials)).send(new GetCallerIdentityCommand({}));
  return { Arn, Account, UserId };
}

function describeCredentials(c) {
  return {
    AccessKeyId: c.AccessKeyId,
    hasSecret: typeof c.SecretAccessKey === "string" && c.SecretAccessKey.length > 0,
    hasSessionToken: typeof c.SessionToken === "string" && c.SessionToken.length > 0,
    Expiration: c.Expiration,
    expirationIsDate: c.Expiration instanceof Date,
  };
}

main(async ({ credentials, roleArn, roleName, sessionName }) => {
  const keys = staticCredentials(credentials);
  const sts = new STSClient(clientConfig(keys));

  const caller = await whoAmI(keys);

  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  const roleCredentials = fromStsCredentials(assumed.Credentials);
  const asRole = await whoAmI(roleCredentials);
  const iamAsRole = await attempt(async () => {
    const { Role } = await new IAMClient(clientConfig(roleCredentials)).send(new GetRoleCommand({ RoleName: roleName }));
    return { Arn: Role.Arn };
  }, iam);

  // The provider calls AssumeRole itself, with its own STS client.
  const provider = fromTemporaryCredentials({
    masterCredentials: keys,
    params: { RoleArn: roleArn, RoleSessionName: `${sessionName}-provider` },
    clientConfig: { endpoint: endpoint(), region: REGION, maxAttempts: 1 },
  });
  const providerCredentials = await provider();
  const asProviderRole = await whoAmI(provider);

  const session = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  const asSession = await whoAmI(fromStsCredentials(session.Credentials));

  return {
    caller,
    assumeRole: {
      AssumedRoleUser: assumed.AssumedRoleUser,
      Credentials: describeCredentials(assumed.Credentials),
    },
    asRole,
    iamAsRole,
    provider: {
      accessKeyId: providerCredentials.accessKeyId,
      expirationIsDate: providerCredentials.expiration instanceof Date,
      identity: asProviderRole,
    },
    sessionToken: describeCredentials(session.Credentials),
    asSession,
  };
});
