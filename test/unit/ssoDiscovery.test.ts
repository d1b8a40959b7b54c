import * as assert from 'node:assert/strict';
import { FakeClock } from '../../src/core/clock';
import { isCancelled } from '../../src/core/errors';
import { parseRoleArn } from '../../src/core/arn';
import { discoverSso, permissionSetRole, SsoDiscoveryCache, ssoPartition, type SsoDiscoveryOptions } from '../../src/core/ssoDiscovery';
import { SsoSignInRequiredError, type SsoAccount, type SsoPortal } from '../../src/core/ssoTypes';
import { awsError, FakeSsoGateway } from '../helpers/fakeSsoGateway';

const PORTAL: SsoPortal = { id: 'session:corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'corp' };

function accounts(n: number): SsoAccount[] {
  return Array.from({ length: n }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `acct-${i}`, emailAddress: `a${i}@example.com` }));
}

const tick = () => new Promise<void>((r) => setImmediate(r));

function setup(n: number, extra: Partial<SsoDiscoveryOptions> = {}) {
  const clock = new FakeClock();
  const gw = new FakeSsoGateway();
  gw.accounts = accounts(n);
  gw.rolesOf = (id) => ['AdministratorAccess', 'ReadOnly', `Dev-${id.slice(-2)}`];
  const events: string[] = [];
  const sleeps: number[] = [];
  const opts: SsoDiscoveryOptions = {
    gateway: gw,
    portal: PORTAL,
    accessToken: 'portal-access-token',
    clock,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    onAccounts: (a) => events.push(`accounts ${a.length}`),
    onRoles: (id, names) => events.push(`roles ${id} ${names.length}`),
    onProgress: (d, t) => events.push(`progress ${d}/${t}`),
    ...extra,
  };
  return { clock, gw, events, sleeps, opts };
}

describe('sso discovery', () => {
  it('lists every account page, then every account’s roles, as RoleDefinitions of origin sso', async () => {
    const { gw, opts } = setup(25);
    const r = await discoverSso(opts);
    assert.equal(gw.ops().filter((o) => o === 'ListAccounts').length, 3);
    assert.equal(gw.ops().filter((o) => o === 'ListAccountRoles').length, 25);
    assert.ok(gw.calls.every((c) => c.params?.accessToken === 'portal-access-token' && c.opts.region === 'eu-west-1'));
    assert.equal(r.accounts.length, 25);
    assert.equal(r.roles.length, 75);
    assert.deepStrictEqual(r.errors, []);
    const role = r.roles[1];
    assert.deepStrictEqual(role, {
      id: 'sso:session:corp:100000000000:ReadOnly',
      origin: 'sso',
      label: 'ReadOnly',
      roleArn: 'arn:aws:iam::100000000000:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly',
      accountId: '100000000000',
      partition: 'aws',
      roleName: 'ReadOnly',
      region: 'eu-west-1',
      hops: [],
      base: { kind: 'sso', sso: { portalId: 'session:corp', accountId: '100000000000', roleName: 'ReadOnly', accountName: 'acct-0', accountEmail: 'a0@example.com' } },
      accountName: 'acct-0',
      sso: { portalId: 'session:corp', accountId: '100000000000', roleName: 'ReadOnly', accountName: 'acct-0', accountEmail: 'a0@example.com' },
    });
    // Results keep the ListAccounts order whatever order the answers came in.
    assert.deepStrictEqual([...new Set(r.roles.map((x) => x.accountId))], gw.accounts.map((a) => a.accountId));
  });

  it('the placeholder ARN parses as a role ARN, in the partition of the portal region', () => {
    assert.equal(ssoPartition('cn-north-1'), 'aws-cn');
    assert.equal(ssoPartition('us-gov-west-1'), 'aws-us-gov');
    assert.equal(ssoPartition('eu-central-1'), 'aws');
    const r = permissionSetRole({ ...PORTAL, region: 'cn-northwest-1' }, { accountId: '123456789012' }, 'PowerUser');
    assert.equal(r.partition, 'aws-cn');
    assert.equal(r.roleArn, 'arn:aws-cn:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser');
    const parsed = parseRoleArn(r.roleArn);
    assert.equal(parsed.accountId, '123456789012');
    assert.equal(parsed.partition, 'aws-cn');
    assert.equal(r.accountName, undefined);
    assert.deepStrictEqual(r.sso, { portalId: PORTAL.id, accountId: '123456789012', roleName: 'PowerUser' });
  });

  it('never has more than `concurrency` ListAccountRoles calls in flight, and uses the bound', async () => {
    for (const concurrency of [1, 3, 8]) {
      const { gw, opts } = setup(40, { concurrency });
      gw.beforePortalCall = async (op) => {
        if (op === 'ListAccountRoles') for (let i = 0; i < 3; i++) await tick();
      };
      await discoverSso(opts);
      assert.equal(gw.maxInFlight, concurrency, `concurrency ${concurrency}`);
    }
  });

  it('default concurrency is 8', async () => {
    const { gw, opts } = setup(30);
    gw.beforePortalCall = async (op) => {
      if (op === 'ListAccountRoles') await tick();
    };
    await discoverSso(opts);
    assert.equal(gw.maxInFlight, 8);
  });

  it('progress: accounts first, then roles as each arrives, each followed by the count', async () => {
    const { gw, events, opts } = setup(3, { concurrency: 2 });
    // Account 0 answers last.
    gw.beforePortalCall = async (op, id) => {
      if (op === 'ListAccountRoles' && id === '100000000000') for (let i = 0; i < 5; i++) await tick();
    };
    await discoverSso(opts);
    assert.deepStrictEqual(events, [
      'accounts 3',
      'progress 0/3',
      'roles 100000000001 3',
      'progress 1/3',
      'roles 100000000002 3',
      'progress 2/3',
      'roles 100000000000 3',
      'progress 3/3',
    ]);
  });

  it('backs off exponentially with jitter on TooManyRequestsException and retries', async () => {
    const { gw, sleeps, opts } = setup(2, { concurrency: 1, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });
    let throttles = 4;
    gw.beforePortalCall = (op, id) => {
      if (op === 'ListAccountRoles' && id === '100000000000' && throttles-- > 0) throw awsError('TooManyRequestsException', 'Rate exceeded');
    };
    const r = await discoverSso(opts);
    assert.deepStrictEqual(sleeps, [50, 100, 200, 400]);
    assert.deepStrictEqual(r.errors, []);
    assert.equal(r.roles.length, 6);
  });

  it('the backoff is capped and its jitter comes from random()', async () => {
    const { gw, sleeps, opts } = setup(1, { baseDelayMs: 100, maxDelayMs: 300, random: () => 0.999, maxAttempts: 5 });
    let throttles = 4;
    gw.beforePortalCall = (op) => {
      if (op === 'ListAccountRoles' && throttles-- > 0) throw awsError('TooManyRequestsException');
    };
    await discoverSso(opts);
    assert.deepStrictEqual(sleeps, [99, 199, 299, 299]);
  });

  it('an account still throttled after the last attempt is an error entry, not a failure of discovery', async () => {
    const { gw, events, opts } = setup(3, { maxAttempts: 3 });
    gw.beforePortalCall = (op, id) => {
      if (op === 'ListAccountRoles' && id === '100000000001') throw awsError('TooManyRequestsException', 'Rate exceeded');
    };
    const r = await discoverSso(opts);
    assert.equal(gw.calls.filter((c) => c.params?.accountId === '100000000001').length, 3);
    assert.deepStrictEqual(r.errors.map((e) => [e.accountId, e.accountName, e.code]), [['100000000001', 'acct-1', 'TooManyRequestsException']]);
    assert.match(r.errors[0].message, /refresh to try again/);
    assert.equal(r.roles.length, 6);
    assert.ok(events.includes('progress 3/3'));
    assert.ok(!events.some((e) => e.startsWith('roles 100000000001')));
  });

  it('other per-account errors are error entries too, not retried', async () => {
    const { gw, opts } = setup(2);
    gw.beforePortalCall = (op, id) => {
      if (op === 'ListAccountRoles' && id === '100000000000') throw awsError('ResourceNotFoundException');
    };
    const r = await discoverSso(opts);
    assert.equal(gw.calls.filter((c) => c.params?.accountId === '100000000000').length, 1);
    assert.deepStrictEqual(r.errors.map((e) => e.code), ['ResourceNotFoundException']);
  });

  it('a throttled ListAccounts page is retried', async () => {
    const { gw, opts } = setup(25);
    let n = 0;
    gw.beforePortalCall = (op) => {
      if (op === 'ListAccounts' && ++n === 2) throw awsError('TooManyRequestsException');
    };
    const r = await discoverSso(opts);
    assert.equal(r.accounts.length, 25);
    assert.equal(new Set(r.accounts.map((a) => a.accountId)).size, 25);
  });

  it('with the gateway page method, a throttled ListAccounts page is retried alone', async () => {
    const { gw, opts } = setup(45);
    gw.enablePageMethod();
    let n = 0;
    gw.beforePortalCall = (op) => {
      if (op === 'ListAccounts' && ++n % 2 === 0) throw awsError('TooManyRequestsException');
    };
    const r = await discoverSso(opts);
    assert.equal(r.accounts.length, 45);
    assert.deepStrictEqual(gw.calls.filter((c) => c.op === 'ListAccounts').map((c) => c.params?.page), [0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('starts on the first accounts while later pages are still listed, but delivers onAccounts first', async () => {
    const { gw, events, opts } = setup(25, { concurrency: 2 });
    gw.pageSize = 10;
    let rolesCalls = 0;
    const rolesBeforeLastPage: number[] = [];
    gw.beforePortalCall = async (op) => {
      if (op === 'ListAccountRoles') rolesCalls++;
      if (op === 'ListAccounts') {
        rolesBeforeLastPage.push(rolesCalls);
        for (let i = 0; i < 5; i++) await tick();
      }
    };
    await discoverSso(opts);
    assert.ok(rolesBeforeLastPage[rolesBeforeLastPage.length - 1] > 0, 'ListAccountRoles ran before the listing ended');
    assert.equal(events[0], 'accounts 25');
    assert.equal(events[1], 'progress 0/25');
    assert.equal(events[events.length - 1], 'progress 25/25');
    assert.equal(events.filter((e) => e.startsWith('roles ')).length, 25);
  });

  it('a ListAccounts failure fails the discovery: nothing is delivered, no worker is left waiting', async () => {
    const { gw, events, opts } = setup(25, { concurrency: 3 });
    let n = 0;
    gw.beforePortalCall = async (op) => {
      if (op === 'ListAccountRoles') await tick();
      if (op === 'ListAccounts' && ++n === 2) throw awsError('InternalServerException');
    };
    await assert.rejects(discoverSso(opts), (e: unknown) => (e as Error).name === 'InternalServerException');
    assert.deepStrictEqual(events, []);
    const calls = gw.calls.length;
    await tick();
    await tick();
    assert.equal(gw.calls.length, calls, 'no call after the failure');
  });

  it('an expired or revoked token stops discovery with SsoSignInRequiredError', async () => {
    const { gw, opts } = setup(20, { concurrency: 2 });
    gw.beforePortalCall = (op, id) => {
      if (op === 'ListAccountRoles' && id === '100000000003') throw awsError('UnauthorizedException', 'Session token not found or invalid');
    };
    await assert.rejects(discoverSso(opts), (e: unknown) => e instanceof SsoSignInRequiredError && e.portalId === PORTAL.id);
    assert.ok(gw.ops().filter((o) => o === 'ListAccountRoles').length < 20, 'stops handing out accounts');
    const b = setup(1);
    b.gw.beforePortalCall = (op) => {
      if (op === 'ListAccounts') throw awsError('UnauthorizedException');
    };
    await assert.rejects(discoverSso(b.opts), SsoSignInRequiredError);
  });

  it('the AbortSignal cancels: no call after the abort, a CancelledError, and the signal reaches the calls', async () => {
    const ac = new AbortController();
    const { gw, opts } = setup(50, { concurrency: 4, signal: ac.signal });
    let seen = 0;
    gw.beforePortalCall = async (op) => {
      if (op !== 'ListAccountRoles') return;
      if (++seen === 6) ac.abort();
      await tick();
    };
    await assert.rejects(discoverSso(opts), (e: unknown) => isCancelled(e));
    const calls = gw.ops().filter((o) => o === 'ListAccountRoles').length;
    assert.ok(calls <= 9, `${calls} calls`);
    assert.ok(gw.calls.every((c) => c.opts.abortSignal?.aborted === true), 'the calls in flight were given a signal that is now aborted');
    await tick();
    assert.equal(gw.ops().filter((o) => o === 'ListAccountRoles').length, calls);
  });

  it('an abort during a backoff wait stops at once', async () => {
    const ac = new AbortController();
    const clock = new FakeClock();
    const { gw, opts } = setup(1, { signal: ac.signal, clock, sleep: undefined });
    gw.beforePortalCall = (op) => {
      if (op === 'ListAccountRoles') throw awsError('TooManyRequestsException');
    };
    const p = discoverSso(opts);
    for (let i = 0; i < 20 && clock.pendingTimers === 0; i++) await tick();
    assert.equal(clock.pendingTimers, 1);
    ac.abort();
    await assert.rejects(p, (e: unknown) => isCancelled(e));
    assert.equal(clock.pendingTimers, 0);
    assert.equal(gw.ops().filter((o) => o === 'ListAccountRoles').length, 1);
  });

  it('caches per portal for the TTL; forceRefresh and expiry call again; a hit replays the callbacks', async () => {
    const { clock, gw, events, opts } = setup(2);
    const cache = new SsoDiscoveryCache(10 * 60_000, () => clock.now());
    const first = await discoverSso({ ...opts, cache });
    const calls = gw.calls.length;
    events.length = 0;
    const second = await discoverSso({ ...opts, cache });
    assert.equal(second, first);
    assert.equal(gw.calls.length, calls);
    assert.deepStrictEqual(events, ['accounts 2', 'progress 0/2', 'roles 100000000000 3', 'progress 1/2', 'roles 100000000001 3', 'progress 2/2']);
    await discoverSso({ ...opts, cache, forceRefresh: true });
    assert.equal(gw.calls.length, calls * 2);
    clock.advance(10 * 60_000);
    await discoverSso({ ...opts, cache });
    assert.equal(gw.calls.length, calls * 3);
  });

  it('a result with failed accounts is not cached', async () => {
    const { clock, gw, opts } = setup(2);
    const cache = new SsoDiscoveryCache(10 * 60_000, () => clock.now());
    let fail = true;
    gw.beforePortalCall = (op, id) => {
      if (op === 'ListAccountRoles' && id === '100000000001' && fail) throw awsError('ResourceNotFoundException');
    };
    assert.equal((await discoverSso({ ...opts, cache })).errors.length, 1);
    assert.equal(cache.get(PORTAL.id), undefined);
    fail = false;
    const r = await discoverSso({ ...opts, cache });
    assert.deepStrictEqual(r.errors, []);
    assert.equal(cache.get(PORTAL.id), r);
  });

  it('a portal with no accounts reports 0 of 0', async () => {
    const { events, opts } = setup(0);
    const r = await discoverSso(opts);
    assert.deepStrictEqual(r.roles, []);
    assert.deepStrictEqual(events, ['accounts 0', 'progress 0/0']);
  });
});
