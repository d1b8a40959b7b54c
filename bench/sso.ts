// The IAM Identity Center switch path, measured (issue 12: `sso_switch_overhead_ratio`, budget 1.10):
// the extension's Switcher from dist/aws.js switching to a permission set (the token lookup, the SDK
// SSO gateway's GetRoleCredentials, validation, redaction, the session store and the terminal
// environment), divided by a bare, warm SSOClient.send(GetRoleCredentialsCommand) from the same SDK
// build to the same local fake with the same token. Interleaved pairs, medians.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { startFakeAws } from '../test/fake-aws';
import { interleaved, median, round } from './stats';

const AWS_JS = path.join(__dirname, '..', 'dist', 'aws.js');
const REGION = 'us-east-1';
const START_URL = 'https://demo-org.awsapps.com/start';
const ACCOUNT = '400000000002';
const PERMISSION_SET = 'AdministratorAccess';

export async function measureSsoSwitch(opts: { quick?: boolean } = {}): Promise<{
  sso_switch_overhead_ratio: number | null;
  sso_switch_median_ms?: number;
  bare_get_role_credentials_median_ms?: number;
  sso_switch_notes: string[];
}> {
  const notes: string[] = [];
  if (!existsSync(AWS_JS)) return { sso_switch_overhead_ratio: null, sso_switch_notes: ['sso switch: dist/aws.js missing'] };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const aws = require(AWS_JS) as {
    createAwsGateway(o?: object): { reset(): void };
    createSsoGateway?(o?: object): {
      registerClient(o: object, p: object): Promise<{ clientId: string; clientSecret: string }>;
      startDeviceAuthorization(o: object, p: object): Promise<{ deviceCode: string; userCode: string }>;
      createToken(o: object, p: object): Promise<{ accessToken: string }>;
      getRoleCredentials(o: object, token: string, accountId: string, roleName: string): Promise<unknown>;
      reset(): void;
    };
    Switcher: new (deps: object) => { switchTo(role: object): Promise<{ session: { sessionToken: string } }> };
    SSOClient?: new (config: object) => { send(c: unknown): Promise<{ roleCredentials?: { sessionToken?: string } }>; destroy(): void };
    GetRoleCredentialsCommand?: new (input: object) => unknown;
  };
  const { SessionStore } = require('../src/core/session.ts') as typeof import('../src/core/session');
  const { systemClock } = require('../src/core/clock.ts') as typeof import('../src/core/clock');
  const { computeTerminalEnv } = require('../src/core/terminalEnv.ts') as typeof import('../src/core/terminalEnv');
  const { Redactor } = require('../src/core/redact.ts') as typeof import('../src/core/redact');
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (!aws.createSsoGateway || !aws.SSOClient || !aws.GetRoleCredentialsCommand) return { sso_switch_overhead_ratio: null, sso_switch_notes: ['sso switch: dist/aws.js has no SSO gateway (rebuild)'] };
  const fake = await startFakeAws();
  const sso = aws.createSsoGateway({});
  const callOpts = { region: REGION, endpoint: fake.endpoint, timeoutMs: 10_000 };
  const gateway = aws.createAwsGateway({});
  const store = new SessionStore(systemClock);
  const bare = new aws.SSOClient({ region: REGION, endpoint: fake.endpoint });
  try {
    // A token the way the extension gets one: the device flow, approved by the fake's test knob.
    const reg = await sso.registerClient(callOpts, { clientName: 'bench', scopes: ['sso:account:access'], issuerUrl: START_URL });
    const auth = await sso.startDeviceAuthorization(callOpts, { clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL });
    fake.sso.approve({ userCode: auth.userCode });
    const { accessToken } = await sso.createToken(callOpts, { clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: auth.deviceCode });
    // The host's ssoCredentials: the token store lookup (memory), then the gateway.
    const tokens = new Map([['session:demo', { accessToken, expiresAt: Date.now() + 3600_000 }]]);
    const redactor = new Redactor();
    const collection = new Map<string, string>();
    const logged: string[] = [];
    store.onDidChange(() => {
      const plan = computeTerminalEnv(store.current, { inherited: process.env });
      collection.clear();
      for (const [k, v] of plan.variables) collection.set(k, v);
    });
    const switcher = new aws.Switcher({
      gateway: () => gateway,
      callOptions: () => ({ region: REGION, endpoint: fake.endpoint, timeoutMs: 10_000 }),
      askMfaCode: async () => undefined,
      store,
      redactor,
      profiles: () => new Map(),
      log: (line: string) => {
        logged[0] = redactor.redact(line);
      },
      ssoCredentials: async (ref: { portalId: string; accountId: string; roleName: string }, signal?: AbortSignal) => {
        const t = tokens.get(ref.portalId);
        if (!t || t.expiresAt <= Date.now()) throw new Error('no token');
        const c = await sso.getRoleCredentials({ ...callOpts, abortSignal: signal }, t.accessToken, ref.accountId, ref.roleName);
        return c;
      },
    });
    const ref = { portalId: 'session:demo', accountId: ACCOUNT, roleName: PERMISSION_SET };
    const role = {
      id: 'profile:staging-admin', origin: 'sso', label: 'staging-admin', roleArn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${PERMISSION_SET}`,
      accountId: ACCOUNT, partition: 'aws', roleName: PERMISSION_SET, hops: [], base: { kind: 'sso', sso: ref }, profile: 'staging-admin', sso: ref,
    };
    const fullSwitch = async () => {
      const res = await switcher.switchTo(role);
      if (collection.get('AWS_SESSION_TOKEN') !== res.session.sessionToken) throw new Error('terminal environment not applied');
    };
    const Command = aws.GetRoleCredentialsCommand;
    const bareCall = async () => {
      const out = await bare.send(new Command({ accessToken, accountId: ACCOUNT, roleName: PERMISSION_SET }));
      if (!out.roleCredentials?.sessionToken) throw new Error('bare GetRoleCredentials returned no credentials');
    };
    await interleaved(opts.quick ? 10 : 100, fullSwitch, bareCall);
    const s = await interleaved(opts.quick ? 20 : 500, fullSwitch, bareCall);
    const a = median(s.a);
    const b = median(s.b);
    return { sso_switch_overhead_ratio: round(a / b, 3), sso_switch_median_ms: round(a, 3), bare_get_role_credentials_median_ms: round(b, 3), sso_switch_notes: notes };
  } catch (e) {
    notes.push(`sso switch: ${(e as Error).message}`);
    return { sso_switch_overhead_ratio: null, sso_switch_notes: notes };
  } finally {
    store.dispose();
    gateway.reset();
    sso.reset();
    bare.destroy();
    await fake.close();
  }
}

if (require.main === module) {
  void measureSsoSwitch({ quick: process.argv.includes('--quick') }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
