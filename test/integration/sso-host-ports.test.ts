// The host's IAM Identity Center seam (host/sso/ports.ts + host/ssoTokenStore.ts) over the real SDK
// (dist/aws.js's createSsoGateway, here its TypeScript source) against the fake: sign in with the device
// flow (approved through the fake), tokens kept only in the SecretStorage-like store, discovery, role
// credentials, sign out. The SDK is loaded on the first SSO call, not for the sign-in state.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_SSO, startFakeAws, type FakeAws } from '../fake-aws/index';
import type { AwsModule } from '../../src/aws/lazy';
import { loadAwsModule } from '../../src/aws/lazy';
import type { SsoAccount } from '../../src/core/ssoTypes';
import { createSsoPorts } from '../../src/host/sso/ports';
import { SecretSsoTokenStore } from '../../src/host/ssoTokenStore';

describe('host IAM Identity Center ports against the fake (real SDK)', function () {
  let fake: FakeAws;
  let home: string;
  before(async () => {
    fake = await startFakeAws();
  });
  after(async () => fake.close());
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-sso-host-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('signs in, lists accounts and permission sets, gets role credentials, signs out; secrets only in the store', async () => {
    const secrets = new Map<string, string>();
    const store = new SecretSsoTokenStore({ get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) });
    let loads = 0;
    const lines: string[] = [];
    const ports = createSsoPorts({
      store,
      aws: (): AwsModule => {
        loads++;
        return loadAwsModule();
      },
      callOptions: (p, s) => ({ region: p.region, endpoint: fake.endpoint, timeoutMs: 5000, ...(s ? { abortSignal: s } : {}) }),
      shareWithCli: () => false,
      log: (l) => lines.push(l),
      home,
    });
    const portal = { id: `url:${DEMO_SSO.startUrl}`, startUrl: DEMO_SSO.startUrl, region: DEMO_SSO.region, source: 'settings' as const };
    assert.equal(await ports.tokens.state(portal), 'signedOut');
    assert.equal(loads, 0, 'the sign-in state needs no SDK');

    const shown: string[] = [];
    await ports.tokens.signIn(
      portal,
      {
        showCode: (a) => {
          shown.push(a.userCode);
          setTimeout(() => fake.sso.approve({ userCode: a.userCode, user: DEMO_SSO.user }), 50);
        },
      },
      new AbortController().signal,
    );
    assert.equal(shown.length, 1);
    assert.equal(await ports.tokens.state(portal), 'signedIn');
    assert.deepEqual([...secrets.keys()], [`roleSwitcher.sso.token:${portal.id}`]);

    const token = await ports.tokens.token(portal);
    const accounts: SsoAccount[] = [];
    const roles: string[] = [];
    const progress: string[] = [];
    await ports.discovery.discover(portal, token, 4, { onAccounts: (a) => accounts.push(...a), onRoles: (_a, r) => roles.push(...r.map((x) => x.id)), onProgress: (d, t) => progress.push(`${d}/${t}`) }, new AbortController().signal);
    assert.equal(accounts.length, 6);
    assert.ok(roles.includes(`sso:${portal.id}:400000000002:AdministratorAccess`));
    assert.equal(progress[progress.length - 1], '6/6');

    const c = await ports.gateway.getRoleCredentials({ region: portal.region, endpoint: fake.endpoint }, token, '400000000002', 'AdministratorAccess');
    assert.ok(c.accessKeyId && c.secretAccessKey && c.sessionToken);

    await ports.tokens.signOut(portal);
    assert.equal(await ports.tokens.state(portal), 'signedOut');
    assert.equal(secrets.size, 0);
    assert.ok(!fs.existsSync(path.join(home, '.aws', 'sso', 'cache')), 'nothing written to the CLI cache with sharing off');
    const issued = fake.issuedSecrets();
    for (const l of lines) for (const s of issued) assert.ok(!l.includes(s), 'no issued secret in a log line');
  });
});
