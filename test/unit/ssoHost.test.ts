// IAM Identity Center, the VS Code side (host/sso, host/ssoTokenStore.ts) against the vscode fake and
// fake ports: the SecretStorage store, portals, sign in / out, add, the tree's rows, and the assume errors.
import { strict as assert } from 'node:assert';
import { FakeClock } from '../../src/core/clock';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import { permissionSetRole } from '../../src/core/ssoDiscovery';
import { SsoSignInError } from '../../src/core/ssoDeviceFlow';
import { SsoSignInRequiredError, type SsoAccount, type SsoPortal, type SsoTokenRecord } from '../../src/core/ssoTypes';
import type { RoleDefinition } from '../../src/core/types';
import type { PortalState, SsoPorts } from '../../src/host/sso/ports';
import { eventSignal, SsoHost, signInFailure, validateRegion, validateStartUrl, type SsoHostDeps } from '../../src/host/sso/ssoHost';
import { reviveRecord, SecretSsoTokenStore, ssoSecretKey } from '../../src/host/ssoTokenStore';
import type { Node } from '../../src/host/tree';
import { fake } from '../helpers/vscode';
import { session } from '../helpers/builders';

const PORTAL: SsoPortal = { id: 'session:acme', startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'acme', file: '/h/.aws/config', line: 3 };
const ACCOUNTS: SsoAccount[] = [
  { accountId: '222222222222', accountName: 'Staging', emailAddress: 'staging@acme.example' },
  { accountId: '111111111111', accountName: 'Production', emailAddress: 'prod@acme.example' },
];
const ROLES: Record<string, string[]> = { '111111111111': ['ReadOnlyAccess', 'AdministratorAccess'], '222222222222': ['PowerUserAccess'] };

class MapSecrets {
  readonly map = new Map<string, string>();
  async get(k: string) {
    return this.map.get(k);
  }
  async store(k: string, v: string) {
    this.map.set(k, v);
  }
  async delete(k: string) {
    this.map.delete(k);
  }
}

function flush(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

describe('IAM Identity Center host (host/sso)', () => {
  let states: Map<string, PortalState>;
  let signInResult: () => Promise<void>;
  let calls: string[];
  let catalogRoles: Map<string, readonly RoleDefinition[]>;
  let settingsPortals: { startUrl: string; region: string }[];
  let opened: string[];
  let store: SessionStore;
  let ended: number;
  let host: SsoHost;
  let getRoleCredentials: () => Promise<unknown>;

  const ports = (): SsoPorts => ({
    gateway: {
      getRoleCredentials: async (_o: unknown, token: string, acct: string, role: string) => {
        calls.push(`GetRoleCredentials ${token} ${acct} ${role}`);
        return getRoleCredentials();
      },
    } as unknown as SsoPorts['gateway'],
    tokens: {
      token: async (p) => {
        calls.push(`token ${p.id}`);
        if (states.get(p.id) !== 'signedIn') throw new SsoSignInRequiredError(p.id, p.startUrl, 'not signed in');
        return 'access-token-1';
      },
      signIn: async (p, ui) => {
        calls.push(`signIn ${p.id}`);
        ui.showCode({ userCode: 'ABCD-EFGH', verificationUri: 'https://device.sso.example/', verificationUriComplete: 'https://device.sso.example/?user_code=ABCD-EFGH', expiresIn: 600 });
        await signInResult();
        states.set(p.id, 'signedIn');
      },
      signOut: async (p) => {
        calls.push(`signOut ${p.id}`);
        states.set(p.id, 'signedOut');
      },
      state: async (p) => states.get(p.id) ?? 'signedOut',
    },
    discovery: {
      discover: async (portal, token, concurrency, cb) => {
        calls.push(`discover ${portal.id} ${token} ${concurrency}`);
        cb.onAccounts(ACCOUNTS);
        let done = 0;
        for (const a of ACCOUNTS) {
          cb.onRoles(a, ROLES[a.accountId].map((n) => permissionSetRole(portal, a, n)));
          cb.onProgress(++done, ACCOUNTS.length);
        }
      },
    },
  });

  beforeEach(() => {
    fake.reset();
    states = new Map();
    signInResult = async () => undefined;
    calls = [];
    catalogRoles = new Map();
    settingsPortals = [];
    opened = [];
    ended = 0;
    getRoleCredentials = async () => ({ accessKeyId: 'ASIASSO', secretAccessKey: 'sso-secret-key', sessionToken: 'sso-session-token', expiration: new Date(Date.now() + 3600_000) });
    store = new SessionStore(new FakeClock(Date.now()));
    const deps: SsoHostDeps = {
      configPortals: () => [PORTAL],
      settingsPortals: () => settingsPortals,
      saveSettingsPortals: async (l) => {
        settingsPortals = l;
      },
      catalogRoles: () => [...catalogRoles.values()].flat(),
      setCatalogRoles: (id, roles) => {
        if (roles.length) catalogRoles.set(id, roles);
        else catalogRoles.delete(id);
      },
      ports,
      callOptions: (p) => ({ region: p.region }),
      concurrency: () => 8,
      ttlMs: () => 30 * 60_000,
      store,
      endSessions: async () => {
        ended++;
        store.clear();
      },
      assume: async () => undefined,
      redactor: new Redactor(),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      openExternal: async (u) => {
        opened.push(u);
        return true;
      },
    };
    host = new SsoHost(deps);
  });

  afterEach(() => {
    host.dispose();
    store.dispose();
  });

  describe('SecretSsoTokenStore', () => {
    const record: SsoTokenRecord = {
      portalId: 'session:acme', startUrl: PORTAL.startUrl, region: 'eu-west-1', accessToken: 'at-1', expiresAt: new Date('2026-12-02T08:00:00Z'),
      refreshToken: 'rt-1', registration: { clientId: 'cid', clientSecret: 'cs', expiresAt: new Date('2027-03-01T00:00:00Z'), scopes: ['sso:account:access'] }, origin: 'signIn',
    };

    it('keeps one secret per portal and gives back the record with real Dates', async () => {
      const secrets = new MapSecrets();
      const s = new SecretSsoTokenStore(secrets);
      await s.set(record);
      assert.deepEqual([...secrets.map.keys()], [ssoSecretKey('session:acme')]);
      const back = await s.get('session:acme');
      assert.deepEqual(back, record);
      assert.ok(back!.expiresAt instanceof Date && back!.registration!.expiresAt instanceof Date);
      assert.equal(await s.get('url:https://other'), undefined);
      await s.delete('session:acme');
      assert.equal(secrets.map.size, 0);
    });

    it('drops an unreadable record (and says so without its contents)', async () => {
      const secrets = new MapSecrets();
      const lines: string[] = [];
      secrets.map.set(ssoSecretKey('session:acme'), '{"portalId":"session:acme","accessToken":"leaky","expiresAt":"not a date"}');
      const s = new SecretSsoTokenStore(secrets, (l) => lines.push(l));
      assert.equal(await s.get('session:acme'), undefined);
      assert.equal(secrets.map.size, 0);
      assert.equal(lines.length, 1);
      assert.ok(!lines[0].includes('leaky'));
      assert.equal(reviveRecord(JSON.stringify(record), 'session:other'), undefined, 'a record stored under another portal id is not used');
    });
  });

  it('lists config portals, then settings entries not already configured', () => {
    settingsPortals = [{ startUrl: 'https://acme.awsapps.com/start/', region: 'eu-west-1' }, { startUrl: 'https://beta.awsapps.com/start', region: 'us-east-1' }];
    assert.deepEqual(host.portals().map((p) => [p.id, p.source]), [['session:acme', 'sso-session'], ['url:https://beta.awsapps.com/start', 'settings']]);
  });

  it('signed out: the portal row says so and its only child signs in', async () => {
    await host.refreshStates();
    const [root] = host.roots();
    const item = host.item(root);
    assert.equal(item.label, 'acme.awsapps.com');
    assert.equal(item.description, 'signed out');
    assert.equal(item.contextValue, 'ssoPortal.signedOut');
    const kids = host.children(root);
    assert.equal(kids.length, 1);
    const signIn = host.item(kids[0]);
    assert.equal(signIn.label, 'Sign in to see your accounts');
    assert.deepEqual(signIn.command, { command: 'roleSwitcher.sso.signIn', title: 'Sign In', arguments: ['session:acme'] });
  });

  it('Sign In shows the code with "Copy Code and Open Browser", then fills accounts and permission sets', async () => {
    fake.nextMessageChoice = 'Copy Code and Open Browser';
    assert.equal(await host.signIn(), true);
    await flush();
    const code = fake.messages.find((m) => m.text.includes('ABCD-EFGH'))!;
    assert.deepEqual(code.items, ['Copy Code and Open Browser']);
    assert.equal(fake.clipboard, 'ABCD-EFGH');
    assert.deepEqual(opened, ['https://device.sso.example/?user_code=ABCD-EFGH']);
    assert.deepEqual(calls.slice(0, 3), ['signIn session:acme', 'token session:acme', 'discover session:acme access-token-1 8']);
    assert.equal(host.state(PORTAL.id), 'signedIn');

    const [root] = host.roots();
    assert.match(String(host.item(root).description), /^signed in · 2 accounts$/);
    const accounts = host.children(root);
    assert.deepEqual(accounts.map((n) => host.item(n).label), ['Production', 'Staging']);
    const prod = host.item(accounts[0]);
    assert.match(String(prod.tooltip), /ID: 111111111111\nEmail: prod@acme\.example/);
    const roles = host.children(accounts[0]) as Extract<Node, { kind: 'role' }>[];
    assert.deepEqual(roles.map((n) => [n.kind, n.role.label, n.role.origin]), [['role', 'AdministratorAccess', 'sso'], ['role', 'ReadOnlyAccess', 'sso']]);
    // The QuickPick reads the catalog: every permission set is in it.
    assert.deepEqual(catalogRoles.get(PORTAL.id)!.map((r) => r.id).sort(), ['sso:session:acme:111111111111:AdministratorAccess', 'sso:session:acme:111111111111:ReadOnlyAccess', 'sso:session:acme:222222222222:PowerUserAccess']);
  });

  it('a denied sign-in and an expired code each say what happened, with "Sign In Again"', async () => {
    signInResult = async () => {
      throw new SsoSignInError('denied', PORTAL.id, PORTAL.startUrl);
    };
    assert.equal(await host.signIn(PORTAL.id), false);
    signInResult = async () => {
      throw new SsoSignInError('expired', PORTAL.id, PORTAL.startUrl);
    };
    assert.equal(await host.signIn(PORTAL.id), false);
    const errors = fake.messages.filter((m) => m.level === 'error');
    assert.equal(errors.length, 2);
    assert.match(errors[0].text, /was denied in the browser/);
    assert.match(errors[1].text, /expired before it was approved/);
    for (const e of errors) assert.deepEqual(e.items, ['Sign In Again']);
    assert.equal(host.state(PORTAL.id), 'signedOut');
    assert.equal(signInFailure(Object.assign(new Error('x'), { name: 'CancelledError' })), 'cancelled');
  });

  it('Sign Out ends a session obtained through the portal and says so; the accounts go away', async () => {
    await host.signIn(PORTAL.id);
    const ps = catalogRoles.get(PORTAL.id)![0];
    store.replace([session({ role: ps, permissionSet: ps.sso }, Date.now())]);
    fake.messages.length = 0;
    await host.signOut(PORTAL.id);
    assert.ok(calls.includes('signOut session:acme'));
    assert.equal(ended, 1);
    assert.equal(store.current, undefined);
    assert.match(fake.messages[0].text, /Signed out of IAM Identity Center \(acme\.awsapps\.com\)\. The session as \w+ came from it and has ended: you are back to your base identity\./);
    assert.equal(catalogRoles.has(PORTAL.id), false);
    assert.equal(host.children(host.roots()[0]).length, 1, 'only the sign-in row is left');
  });

  it('Sign Out leaves a session that did not come from the portal alone', async () => {
    await host.signIn(PORTAL.id);
    store.replace([session({}, Date.now())]);
    await host.signOut(PORTAL.id);
    assert.equal(ended, 0);
    assert.ok(store.current);
  });

  it('Add IAM Identity Center… validates both inputs and saves to user settings', async () => {
    assert.match(String(validateStartUrl('acme.awsapps.com')), /not a URL/);
    assert.match(String(validateStartUrl('http://acme.awsapps.com/start')), /https/);
    assert.equal(validateStartUrl('https://acme.awsapps.com/start'), undefined);
    assert.match(String(validateRegion('Ireland')), /region such as us-east-1/);
    assert.equal(validateRegion('eu-central-1'), undefined);
    fake.inputs.push('https://beta.awsapps.com/start', 'us-gov-west-1');
    const p = await host.addPortal();
    assert.deepEqual(settingsPortals, [{ startUrl: 'https://beta.awsapps.com/start', region: 'us-gov-west-1' }]);
    assert.equal(p?.id, 'url:https://beta.awsapps.com/start');
    assert.equal(host.portals().length, 2);
    fake.inputs.push('not a url');
    assert.equal(await host.addPortal(), undefined);
    assert.equal(fake.validations.length, 1);
  });

  it('switching: GetRoleCredentials with the portal token, and the keys join the redactor', async () => {
    states.set(PORTAL.id, 'signedIn');
    const c = await host.credentials({ portalId: PORTAL.id, accountId: '111111111111', roleName: 'ReadOnlyAccess' });
    assert.equal(c.accessKeyId, 'ASIASSO');
    assert.deepEqual(calls, ['token session:acme', 'GetRoleCredentials access-token-1 111111111111 ReadOnlyAccess']);
    states.set(PORTAL.id, 'signedOut');
    await assert.rejects(host.credentials({ portalId: PORTAL.id, accountId: '1', roleName: 'x' }), { name: 'SsoSignInRequired' });
  });

  it("the assume path's light Cancel signal reaches the token manager as a real AbortSignal", () => {
    const light = { aborted: false, onabort: null as ((ev?: unknown) => unknown) | null };
    const real = eventSignal(light as unknown as AbortSignal)!;
    assert.equal(typeof real.addEventListener, 'function');
    let heard = 0;
    real.addEventListener('abort', () => heard++);
    light.aborted = true;
    light.onabort?.();
    assert.equal(real.aborted, true);
    assert.equal(heard, 1);
    const native = new AbortController().signal;
    assert.equal(eventSignal(native), native);
  });

  it('a sign-in required while switching asks to sign in again, then retries the switch', async () => {
    const role = permissionSetRole(PORTAL, ACCOUNTS[1], 'ReadOnlyAccess');
    let retried = 0;
    fake.nextMessageChoice = 'Sign in again';
    const handled = await host.reportAssumeError(role, new SsoSignInRequiredError(PORTAL.id, PORTAL.startUrl, 'expired'), () => retried++);
    assert.equal(handled, true);
    const warn = fake.messages.find((m) => m.level === 'warning')!;
    assert.match(warn.text, /To switch to ReadOnlyAccess, sign in again/);
    assert.deepEqual(warn.items, ['Sign in again']);
    assert.ok(calls.includes('signIn session:acme'));
    assert.equal(retried, 1);
  });

  it('a removed permission set says so, names the account, and refreshes the portal', async () => {
    await host.signIn(PORTAL.id);
    calls.length = 0;
    const role = permissionSetRole(PORTAL, ACCOUNTS[1], 'ReadOnlyAccess');
    const handled = await host.reportAssumeError(role, Object.assign(new Error('No access'), { name: 'ForbiddenException' }), () => undefined);
    assert.equal(handled, true);
    await flush();
    const err = fake.messages.filter((m) => m.level === 'error').pop()!;
    assert.equal(err.text, 'The permission set ReadOnlyAccess is no longer assigned to you in account Production (111111111111). The Roles view is refreshed; ask your administrator if you still need it.');
    assert.ok(calls.some((c) => c.startsWith('discover session:acme')));
    assert.equal(await host.reportAssumeError({ ...role, sso: undefined, base: { kind: 'default' } }, new Error('x'), () => undefined), false);
  });
});

describe('Roles view with IAM Identity Center portals (host/tree.ts hooks)', () => {
  it('portals are top-level groups, and permission sets leave the account groups for them', async () => {
    fake.reset();
    const { RoleTreeProvider } = await import('../../src/host/tree');
    const ps = permissionSetRole(PORTAL, ACCOUNTS[1], 'ReadOnlyAccess');
    const plain = { ...ps, id: 'profile:x', origin: 'profile' as const, sso: undefined, base: { kind: 'default' as const }, roleArn: 'arn:aws:iam::111111111111:role/x', label: 'x', hops: [{ roleArn: 'arn:aws:iam::111111111111:role/x' }] };
    const roles = [ps, plain];
    const listeners = { onDidChange: () => ({ dispose() {} }) };
    const catalog = {
      ...listeners, loaded: true, roles, problems: [], discovery: undefined, hasBaseCredentials: false,
      groups: () => [{ accountId: '111111111111', label: 'Production', roles }],
    };
    const store = new SessionStore(new FakeClock(Date.now()));
    const portalNode = { kind: 'sso', sso: { type: 'portal', portalId: PORTAL.id } } as const;
    const tree = new RoleTreeProvider(catalog as never, store, {
      baseIdentity: () => ({ text: 'Base' }),
      assumableOnly: () => false,
      sso: { roots: () => [portalNode], children: () => [], item: () => ({ label: 'acme' }) as never },
    });
    const top = tree.getChildren();
    assert.deepEqual(top.map((n) => n.kind), ['identity', 'sso', 'account'], 'no "no base credentials" warning when a portal is the way in');
    const account = top[2] as Extract<Node, { kind: 'account' }>;
    assert.deepEqual(account.roles.map((r) => r.label), ['x']);
    tree.dispose();
    store.dispose();
  });
});
