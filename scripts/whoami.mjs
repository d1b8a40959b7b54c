#!/usr/bin/env node
// Prints the caller ARN of whatever credentials the AWS SDK v3 default chain finds in this environment
// (env keys, container endpoint, AWS_PROFILE, ~/.aws/...). Honours AWS_ENDPOINT_URL like any SDK client.
// Used by the E2E suite inside VS Code terminals; modules resolve from this repository's node_modules,
// whatever the current directory is.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../package.json', import.meta.url));
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');

async function callerArn(region) {
  const client = new STSClient(region ? { region } : {});
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    return out.Arn;
  } finally {
    client.destroy();
  }
}

try {
  let arn;
  try {
    arn = await callerArn(undefined);
  } catch (e) {
    // No region anywhere: STS is global, any region works against the endpoint.
    if (!/region is missing/i.test(String(e?.message))) throw e;
    arn = await callerArn('us-east-1');
  }
  console.log(arn);
} catch (e) {
  console.error(`whoami: ${e?.name ?? 'Error'}: ${e?.message ?? e}`);
  process.exit(1);
}
