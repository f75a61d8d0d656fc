// IAM through @aws-sdk/client-iam: users created, listed with the SDK's
// paginator, read back; a role created and read; the SDK's typed exceptions
// for an unknown user or role and for a duplicate user.
import {
  CreateRoleCommand,
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  NoSuchEntityException,
  paginateListUsers,
} from "@aws-sdk/client-iam";
import * as iam from "@aws-sdk/client-iam";
import { attempt, clientConfig, main, staticCredentials } from "./lib.mjs";

main(async ({ credentials, prefix, count, pageSize, roleName, trustPolicy }) => {
  const client = new IAMClient(clientConfig(staticCredentials(credentials)));
  const path = `/${prefix}/`;

  const created = [];
  for (let i = 0; i < count; i++) {
    const { User } = await client.send(
      new CreateUserCommand({ UserName: `${prefix}-${i}`, Path: path, Tags: [{ Key: "n", Value: String(i) }] }),
    );
    created.push({ ...User, createDateIsDate: User.CreateDate instanceof Date });
  }

  const pages = [];
  for await (const page of paginateListUsers({ client, pageSize }, { PathPrefix: path })) {
    pages.push({
      names: page.Users.map((u) => u.UserName),
      isTruncated: page.IsTruncated ?? false,
      hasMarker: typeof page.Marker === "string" && page.Marker.length > 0,
    });
  }

  const got = await client.send(new GetUserCommand({ UserName: `${prefix}-0` }));

  const missingUser = await attempt(() => client.send(new GetUserCommand({ UserName: `${prefix}-missing` })), iam);
  const duplicate = await attempt(() => client.send(new CreateUserCommand({ UserName: `${prefix}-0` })), iam);

  const role = await client.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trustPolicy }));
  const gotRole = await client.send(new GetRoleCommand({ RoleName: roleName }));
  const missingRole = await attempt(() => client.send(new GetRoleCommand({ RoleName: `${roleName}-missing` })), iam);

  // instanceof checked here against the classes imported by name, as an
  // application would write it.
  let typedChecks = {};
  try {
    await client.send(new GetUserCommand({ UserName: `${prefix}-missing` }));
  } catch (e) {
    typedChecks.noSuchEntity = e instanceof NoSuchEntityException;
  }
  try {
    await client.send(new CreateUserCommand({ UserName: `${prefix}-0` }));
  } catch (e) {
    typedChecks.entityAlreadyExists = e instanceof EntityAlreadyExistsException;
  }

  return {
    created,
    pages,
    got: got.User,
    missingUser,
    duplicate,
    role: role.Role,
    gotRole: { ...gotRole.Role, trustPolicy: JSON.parse(decodeURIComponent(gotRole.Role.AssumeRolePolicyDocument)) },
    missingRole,
    typedChecks,
  };
});
