import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getSSOTokenFilepath, getSSOTokenFromFile } from '@smithy/shared-ini-file-loader';
import { parseCliCacheEntry, sameStartUrl, SsoCliCache, ssoCacheFilePath, ssoCacheKey } from '../../src/core/ssoCache';
import type { SsoPortal, SsoTokenRecord } from '../../src/core/ssoTypes';

const NOW = Date.UTC(2026, 11, 2, 7, 0, 0);
const SESSION: SsoPortal = { id: 'session:my-sso', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', source: 'sso-session', sessionName: 'my-sso' };
const LEGACY: SsoPortal = { id: 'url:https://old.awsapps.com/start', startUrl: 'https://old.awsapps.com/start', region: 'us-east-1', source: 'legacy-profile' };

function withHome<T>(home: string, fn: () => T): T {
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.HOME;
    else process.env.HOME = saved;
  }
}

describe('sso CLI cache', () => {
  let home: string;
  let logs: string[];
  let cache: SsoCliCache;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'sso-cache-'));
    logs = [];
    cache = new SsoCliCache({ home, log: (l) => logs.push(l), now: () => NOW });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  function put(portal: SsoPortal, doc: unknown) {
    const file = cache.filePath(portal);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return file;
  }

  it('names the file as the SDK does: sha1 of the sso-session name, of the start URL for the legacy form', () => {
    assert.equal(ssoCacheKey(SESSION), 'my-sso');
    assert.equal(ssoCacheKey(LEGACY), LEGACY.startUrl);
    assert.equal(ssoCacheKey({ source: 'settings', startUrl: 'https://x.awsapps.com/start' }), 'https://x.awsapps.com/start');
    for (const key of ['my-sso', LEGACY.startUrl, 'ünïcode-名前', '']) {
      assert.equal(ssoCacheFilePath(home, key), withHome(home, () => getSSOTokenFilepath(key)));
    }
    // sha1("my-sso"), computed independently (sha1sum).
    assert.equal(cache.filePath(SESSION), path.join(home, '.aws', 'sso', 'cache', '0ad374308c5a4e22f723adf10145eafad7c4031c.json'));
  });

  it('reads a valid CLI token as a record of origin cliCache, without the refresh secrets', async () => {
    put(SESSION, { startUrl: SESSION.startUrl, region: 'eu-west-1', accessToken: 'cli-access-token', expiresAt: '2026-12-02T08:00:00Z', refreshToken: 'cli-refresh', clientId: 'cid', clientSecret: 'csecret', registrationExpiresAt: '2027-01-01T00:00:00Z' });
    const rec = await cache.read(SESSION);
    assert.deepStrictEqual(rec, { portalId: SESSION.id, startUrl: SESSION.startUrl, region: 'eu-west-1', accessToken: 'cli-access-token', expiresAt: new Date('2026-12-02T08:00:00Z'), origin: 'cliCache' });
    const r = await cache.readEntry(SESSION);
    assert.ok(r.ok && r.entry.refreshToken === 'cli-refresh' && r.entry.registrationExpiresAt?.toISOString() === '2027-01-01T00:00:00.000Z');
    assert.deepStrictEqual(logs, []);
  });

  it('reads the legacy form (no region or refresh fields; start URL with a trailing slash)', async () => {
    put(LEGACY, { startUrl: `${LEGACY.startUrl}/`, accessToken: 'legacy-token', expiresAt: '2026-12-02T07:30:00Z' });
    const rec = await cache.read(LEGACY);
    assert.equal(rec?.accessToken, 'legacy-token');
    assert.equal(rec?.region, 'us-east-1');
  });

  it('ignores malformed, expired and other-portal files, and says why without their contents', async () => {
    const cases: Array<[unknown, string]> = [
      ['{not json', 'malformed'],
      [{ accessToken: 'tok-no-expiry' }, 'malformed'],
      [{ accessToken: 'tok-bad-date', expiresAt: 'tomorrow' }, 'malformed'],
      [[1, 2], 'malformed'],
      [{ startUrl: SESSION.startUrl, accessToken: 'tok-expired-secret', expiresAt: '2026-12-02T06:59:59Z' }, 'expired'],
      [{ startUrl: 'https://other.awsapps.com/start', accessToken: 'tok-other-secret', expiresAt: '2026-12-02T09:00:00Z' }, 'otherStartUrl'],
    ];
    for (const [doc, why] of cases) {
      logs.length = 0;
      // A fresh reader per case: one reader says why a file is ignored only once.
      cache = new SsoCliCache({ home, log: (l) => logs.push(l), now: () => NOW });
      put(SESSION, doc);
      const r = await cache.readEntry(SESSION);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.why, why);
      assert.equal(await cache.read(SESSION), undefined);
      assert.ok(logs.length > 0 && logs.every((l) => /ignored: /.test(l)), logs.join('\n'));
      assert.ok(logs.every((l) => !/tok-/.test(l) && !l.includes('other.awsapps')), logs.join('\n'));
    }
    // Asked again (the tree refreshes often): said once.
    logs.length = 0;
    await cache.readEntry(SESSION);
    assert.deepStrictEqual(logs, []);
    rmSync(cache.filePath(SESSION));
    logs.length = 0;
    assert.deepStrictEqual(await cache.readEntry(SESSION), { ok: false, why: 'missing', file: cache.filePath(SESSION) });
    assert.deepStrictEqual(logs, []);
  });

  it('writes the CLI format, mode 0600, atomically, and the SDK reads it back', async () => {
    const rec: SsoTokenRecord = {
      portalId: SESSION.id,
      startUrl: SESSION.startUrl,
      region: SESSION.region,
      accessToken: 'our-access-token',
      expiresAt: new Date('2026-12-02T08:00:00.000Z'),
      refreshToken: 'our-refresh-token',
      registration: { clientId: 'our-client', clientSecret: 'our-client-secret', expiresAt: new Date('2027-03-01T00:00:00.000Z') },
      origin: 'signIn',
    };
    put(SESSION, { accessToken: 'older', expiresAt: '2026-12-01T00:00:00Z' });
    await cache.write(SESSION, rec);
    const file = cache.filePath(SESSION);
    assert.deepStrictEqual(JSON.parse(readFileSync(file, 'utf8')), {
      startUrl: SESSION.startUrl,
      region: 'eu-west-1',
      accessToken: 'our-access-token',
      expiresAt: '2026-12-02T08:00:00Z',
      refreshToken: 'our-refresh-token',
      clientId: 'our-client',
      clientSecret: 'our-client-secret',
      registrationExpiresAt: '2027-03-01T00:00:00Z',
    });
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepStrictEqual(readdirSync(path.dirname(file)), [path.basename(file)], 'no temp file left behind');
    const sdk = await withHome(home, () => getSSOTokenFromFile('my-sso'));
    assert.equal(sdk.accessToken, 'our-access-token');
    assert.equal(new Date(sdk.expiresAt).getTime(), rec.expiresAt.getTime());
    assert.equal((await cache.read(SESSION))?.accessToken, 'our-access-token');
    // Without a refresh token (the legacy form) only the token fields are written.
    await cache.write(LEGACY, { ...rec, portalId: LEGACY.id, startUrl: LEGACY.startUrl, refreshToken: undefined });
    assert.deepStrictEqual(Object.keys(JSON.parse(readFileSync(cache.filePath(LEGACY), 'utf8'))), ['startUrl', 'region', 'accessToken', 'expiresAt']);
  });

  it('a failed write leaves the old file and no temp file', async () => {
    const file = put(SESSION, { accessToken: 'older', expiresAt: '2026-12-03T00:00:00Z' });
    // A directory where the file should go makes rename fail.
    rmSync(file);
    mkdirSync(file);
    await assert.rejects(cache.write(SESSION, { portalId: SESSION.id, startUrl: SESSION.startUrl, region: SESSION.region, accessToken: 'x', expiresAt: new Date(NOW + 3600_000), origin: 'signIn' }));
    assert.deepStrictEqual(readdirSync(path.dirname(file)), [path.basename(file)]);
  });

  it('deleteIfOurs removes only a file holding our token', async () => {
    put(SESSION, { accessToken: 'the-cli-own', expiresAt: '2026-12-03T00:00:00Z' });
    assert.equal(await cache.deleteIfOurs(SESSION, 'ours'), false);
    assert.equal(parseCliCacheEntry(readFileSync(cache.filePath(SESSION), 'utf8'))?.accessToken, 'the-cli-own');
    assert.equal(await cache.deleteIfOurs(SESSION, 'the-cli-own'), true);
    assert.deepStrictEqual(await cache.readEntry(SESSION), { ok: false, why: 'missing', file: cache.filePath(SESSION) });
  });

  it('compares start URLs ignoring a trailing slash or #', () => {
    assert.ok(sameStartUrl('https://a.awsapps.com/start', 'https://a.awsapps.com/start/'));
    assert.ok(sameStartUrl('https://a.awsapps.com/start/#', 'https://a.awsapps.com/start'));
    assert.ok(!sameStartUrl('https://a.awsapps.com/start', 'https://b.awsapps.com/start'));
  });
});
