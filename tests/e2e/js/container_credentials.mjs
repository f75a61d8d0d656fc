// Credentials from iamlocal's container-credentials endpoint (the ECS task
// role), found by fromContainerMetadata from AWS_CONTAINER_CREDENTIALS_FULL_URI
// and AWS_CONTAINER_AUTHORIZATION_TOKEN; then who am I on them. With
// {wrongToken: true} the provider is given another token and must fail.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromContainerMetadata } from "@aws-sdk/credential-providers";
import { clientConfig, main } from "./lib.mjs";

main(async ({ wrongToken }) => {
  if (wrongToken) process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = "not-the-token";
  const provider = fromContainerMetadata({ timeout: 5000, maxRetries: 0 });
  let creds;
  try {
    creds = await provider();
  } catch (e) {
    return { providerError: { name: e.name, message: e.message, statusCode: e.statusCode ?? null } };
  }
  const { Arn, Account } = await new STSClient(clientConfig(provider)).send(new GetCallerIdentityCommand({}));
  return {
    credentials: {
      accessKeyId: creds.accessKeyId,
      hasSessionToken: typeof creds.sessionToken === "string" && creds.sessionToken.length > 0,
      expirationIsDate: creds.expiration instanceof Date,
    },
    identity: { Arn, Account },
  };
});
