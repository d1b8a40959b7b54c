// The view-title Refresh (roleSwitcher.refresh): besides the files and IAM discovery, it refreshes the
// signed-in IAM Identity Center portals; with no portal configured it never reaches the SSO ports
// (which load the AWS SDK).
import { strict as assert } from 'node:assert';
import type { AwsModule } from '../../src/aws/lazy';
import { FakeClock } from '../../src/core/clock';
import type { AwsGateway } from '../../src/core/gateway';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import type { SsoPortal } from '../../src/core/ssoTypes';
import type { Switcher } from '../../src/core/switcher';
import { RoleCatalog } from '../../src/host/catalog';
import { Commands } from '../../src/host/commands';
import { Logger } from '../../src/host/logger';
import { Settings } from '../../src/host/settings';
import type { PortalState, SsoPorts } from '../../src/host/sso/ports';
import { SsoHost } from '../../src/host/sso/ssoHost';
import { StatusBar } from '../../src/host/statusBar';
import { RoleTreeProvider } from '../../src/host/tree';
import { fake } from '../helpers/vscode';

const PORTAL_A: SsoPortal = { id: 'session:a', startUrl: 'https://a.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'a', file: '/h/.aws/config', line: 3 };
const PORTAL_B: SsoPortal = { id: 'session:b', startUrl: 'https://b.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'b', file: '/h/.aws/config', line: 9 };

describe('Refresh (roleSwitcher.refresh) and IAM Identity Center', () => {
  const disposables: Array<{ dispose(): void }> = [];
  let portals: SsoPortal[];
  let states: Map<string, PortalState>;
  let portsBuilt: number;
  let discovered: string[];

  const ports = (): SsoPorts => {
    portsBuilt++;
    return {
      gateway: {} as SsoPorts['gateway'],
      tokens: {
        token: async () => 'access-token-1',
        signIn: async () => undefined,
        signOut: async () => undefined,
        state: async (p) => states.get(p.id) ?? 'signedOut',
      },
      discovery: {
        discover: async (portal, _token, _concurrency, cb) => {
          discovered.push(portal.id);
          cb.onAccounts([]);
        },
      },
    };
  };

  beforeEach(async () => {
    fake.reset();
    portals = [];
    states = new Map();
    portsBuilt = 0;
    discovered = [];
    const redactor = new Redactor();
    const logger = new Logger(redactor);
    const settings = new Settings();
    const store = new SessionStore(new FakeClock(Date.now()));
    const catalog = new RoleCatalog(settings, logger.scoped('catalog'));
    const tree = new RoleTreeProvider(catalog, store, { baseIdentity: () => ({ text: 'Base' }), assumableOnly: () => false });
    const statusBar = new StatusBar(store, settings, new FakeClock(Date.now()), () => undefined);
    const sso = new SsoHost({
      configPortals: () => portals,
      settingsPortals: () => [],
      saveSettingsPortals: async () => undefined,
      catalogRoles: () => [],
      setCatalogRoles: () => undefined,
      ports,
      callOptions: (p) => ({ region: p.region }),
      concurrency: () => 4,
      ttlMs: () => 30 * 60_000,
      store,
      endSessions: async () => undefined,
      assume: async () => undefined,
      redactor,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      openExternal: async () => true,
    });
    const commands = new Commands({
      catalog, store, settings, statusBar, tree, redactor,
      switcher: () => ({ resetCaches() {} }) as unknown as Switcher,
      resetAwsCaches: () => undefined,
      log: logger.scoped('commands'),
      gateway: () => ({}) as AwsGateway,
      aws: () => ({}) as AwsModule,
      showLog: () => undefined,
      sso: () => sso,
    });
    disposables.push(commands, sso, statusBar, tree, catalog, logger, settings, { dispose: () => store.dispose() });
  });

  afterEach(() => {
    while (disposables.length) disposables.pop()!.dispose();
  });

  const refresh = () => fake.commands.get('roleSwitcher.refresh')!();

  it('refreshes every signed-in portal from AWS, and only those', async () => {
    portals = [PORTAL_A, PORTAL_B];
    states.set(PORTAL_A.id, 'signedIn');
    await refresh();
    assert.deepEqual(discovered, [PORTAL_A.id]);
    states.set(PORTAL_B.id, 'signedIn');
    await refresh();
    // forced: the fresh cached result of the first run does not stop the second
    assert.deepEqual(discovered.sort(), [PORTAL_A.id, PORTAL_A.id, PORTAL_B.id]);
  });

  it('with no portal configured, never builds the SSO ports (no SDK load)', async () => {
    await refresh();
    assert.equal(portsBuilt, 0);
    assert.deepEqual(discovered, []);
  });
});
