// Sessions that live, measured: how many MFA codes a user types switching among five roles that share
// one mfa_serial within an hour (issue 11: `mfa_prompts_for_5_roles`, budget 1). The extension's
// Switcher from dist/aws.js, the real SDK, and the local fake AWS, which checks each code.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { startFakeAws, loadScenario, DEFAULT_SCENARIO_PATH } from '../test/fake-aws';

const AWS_JS = path.join(__dirname, '..', 'dist', 'aws.js');
const A = '111111111111';
const MFA_SERIAL = `arn:aws:iam::${A}:mfa/test-user`;

/** Five roles in the seeds' account that trust the account and ask for MFA, and a user policy for them. */
function scenario() {
  const doc = loadScenario(DEFAULT_SCENARIO_PATH);
  const account = doc.accounts.find((a) => a.id === A)!;
  const names = ['mfa-one', 'mfa-two', 'mfa-three', 'mfa-four', 'mfa-five'];
  for (const name of names) {
    account.roles!.push({
      name,
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] },
    });
  }
  const user = account.users!.find((u) => u.name === 'test-user')!;
  user.inlinePolicies = { ...(user.inlinePolicies ?? {}), 'bench-mfa-roles': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: names.map((n) => `arn:aws:iam::${A}:role/${n}`) }] } };
  return { doc, roleArns: names.map((n) => `arn:aws:iam::${A}:role/${n}`) };
}

export async function measureMfaPrompts(): Promise<{ mfa_prompts_for_5_roles: number | null; mfa_notes: string[] }> {
  const notes: string[] = [];
  if (!existsSync(AWS_JS)) return { mfa_prompts_for_5_roles: null, mfa_notes: ['dist/aws.js missing'] };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const aws = require(AWS_JS) as { createAwsGateway(o?: object): { reset(): void }; Switcher: new (deps: object) => { switchTo(role: object): Promise<unknown> } };
  const { SessionStore } = require('../src/core/session.ts') as typeof import('../src/core/session');
  const { systemClock } = require('../src/core/clock.ts') as typeof import('../src/core/clock');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { doc, roleArns } = scenario();
  const fake = await startFakeAws({ scenario: doc });
  const keys = fake.userKeys('test-user');
  const store = new SessionStore(systemClock);
  const gateway = aws.createAwsGateway({ maxAttempts: 1 });
  let prompts = 0;
  const switcher = new aws.Switcher({
    gateway: () => gateway,
    callOptions: () => ({ region: 'us-east-1', endpoint: fake.endpoint, timeoutMs: 5000, mfaSessionSeconds: 3600 }),
    askMfaCode: async () => {
      prompts++;
      return '123456';
    },
    store,
    profiles: () => new Map(),
  });
  try {
    // Base keys in the environment: what a user with an IAM user's keys has.
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = keys.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = keys.secretAccessKey;
    try {
      for (let round = 0; round < 2; round++) {
        for (const roleArn of roleArns) {
          const roleName = roleArn.split('/').pop()!;
          await switcher.switchTo({ id: `bench:${roleName}`, origin: 'settings', label: roleName, roleArn, accountId: A, partition: 'aws', roleName, hops: [{ roleArn, mfaSerial: MFA_SERIAL }], base: { kind: 'environment' } });
        }
      }
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
    const ok = fake.calls.filter((c) => c.action === 'AssumeRole' && c.status === 200).length;
    if (ok !== 10) notes.push(`expected 10 successful AssumeRole calls across the five roles twice, saw ${ok}`);
    return { mfa_prompts_for_5_roles: ok === 10 ? prompts : null, mfa_notes: notes };
  } catch (e) {
    return { mfa_prompts_for_5_roles: null, mfa_notes: [`switching across the MFA roles failed: ${(e as Error)?.name}: ${(e as Error)?.message}`] };
  } finally {
    store.dispose();
    gateway.reset();
    await fake.close();
  }
}

if (require.main === module) {
  void measureMfaPrompts().then((r) => console.log(JSON.stringify(r)));
}
