// What every script here shares: the server's address, clients built the way
// an application builds them (only endpoint, region and credentials set), and
// one JSON document printed on stdout for tests/e2e/test_js_sdk.py to assert on.

export const REGION = "us-east-1";

export function endpoint() {
  const url = process.env.IAMLOCAL_ENDPOINT;
  if (!url) throw new Error("IAMLOCAL_ENDPOINT is not set");
  return url;
}

// Client options for `credentials`: an {accessKeyId, secretAccessKey,
// sessionToken?} object, a provider function, or undefined for the SDK's
// default chain. One attempt, so an error is the server's, not a retry's.
export function clientConfig(credentials) {
  const config = { endpoint: endpoint(), region: REGION, maxAttempts: 1 };
  if (credentials !== undefined) config.credentials = credentials;
  return config;
}

// The AWS error as the SDK surfaced it. `modeled` says whether the client
// module exports a class of that name and the error is an instance of it (the
// SDK's typed exception), `serviceException` whether it derives from the
// client's <Service>ServiceException base.
export function describeError(e, clientModule) {
  const out = {
    name: e?.name,
    message: e?.message,
    status: e?.$metadata?.httpStatusCode ?? null,
    fault: e?.$fault ?? null,
    requestId: e?.$metadata?.requestId ?? null,
    className: e?.constructor?.name ?? null,
  };
  if (clientModule) {
    const typed = clientModule[e?.name];
    out.modeled = typeof typed === "function" && e instanceof typed;
    const base = Object.entries(clientModule).find(
      ([k, v]) => /^[A-Z0-9]+ServiceException$/.test(k) && typeof v === "function",
    );
    out.serviceException = base ? e instanceof base[1] : false;
  }
  return out;
}

// Runs `await fn()` and returns {ok: value} or {error: describeError(e)}, so a
// script can go on after an expected failure and report both.
export async function attempt(fn, clientModule) {
  try {
    return { ok: await fn() };
  } catch (e) {
    if (e?.$metadata === undefined) throw e; // not an answer from the server
    return { error: describeError(e, clientModule) };
  }
}

// Credentials in the shape the SDK takes, from the script's JSON input.
export function staticCredentials(c) {
  if (!c) return undefined;
  const creds = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  if (c.sessionToken) creds.sessionToken = c.sessionToken;
  return creds;
}

// Entry point of every script: argv[2] is a JSON object of inputs; the result
// of `fn(input)` is printed as JSON. Anything unexpected is printed as
// {"fatal": ...} with exit code 1, so the test shows what happened.
export async function main(fn) {
  try {
    const input = process.argv[2] ? JSON.parse(process.argv[2]) : {};
    const result = await fn(input);
    process.stdout.write(JSON.stringify(result, replacer) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ fatal: { ...describeError(e), stack: e?.stack } }) + "\n");
    process.exitCode = 1;
  }
}

// Dates (which the SDK parses timestamps into) as ISO strings, marked so the
// test can tell the SDK produced a Date and not a string.
function replacer(key, value) {
  const raw = this[key];
  if (raw instanceof Date) return { $date: raw.toISOString() };
  return value;
}
