import { strict as assert } from 'node:assert';
import { FakeClock } from '../../src/core/clock';
import { loadProfiles } from '../../src/core/profiles';
import { Redactor } from '../../src/core/redact';
import { SessionStore } from '../../src/core/session';
import type { Session } from '../../src/core/types';
import type { ScopedLogger } from '../../src/host/logger';
import { SESSION_SECRET_KEY, SessionPersistence } from '../../src/host/sessionPersistence';
import { role, session } from '../helpers/builders';

class MemorySecrets {
  readonly map = new Map<string, string>();
  readonly ops: string[] = [];
  async get(k: string) {
    return this.map.get(k);
  }
  async store(k: string, v: string) {
    this.ops.push(`store ${k}`);
    this.map.set(k, v);
  }
  async delete(k: string) {
    this.ops.push(`delete ${k}`);
    this.map.delete(k);
  }
}

function setup(opts: { enabled?: boolean; accessKeyId?: string; secrets?: MemorySecrets; mfa?: () => readonly unknown[]; restoreMfa?: (m: readonly unknown[]) => void } = {}) {
  const now = Date.now();
  const clock = new FakeClock(now);
  const store = new SessionStore(clock);
  const secrets = opts.secrets ?? new MemorySecrets();
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m), debug: () => undefined } as unknown as ScopedLogger;
  const { profiles } = loadProfiles({ credentialsText: `[default]\naws_access_key_id = ${opts.accessKeyId ?? 'AKIABASE'}\naws_secret_access_key = s\n`, paths: { config: '/c', credentials: '/k' } });
  const redactor = new Redactor();
  const prepared: Session[] = [];
  const p = new SessionPersistence({ secrets, store, catalog: { profiles }, redactor, log, enabled: () => opts.enabled ?? true, beforeCommit: async (s) => void prepared.push(s), mfaSessions: opts.mfa, restoreMfa: opts.restoreMfa });
  store.onDidChange((c) => p.onChange(c)); // as the composition root forwards them
  const r = role({ base: { kind: 'profileKeys', profile: 'default' } });
  const s = session({ role: r, step: { role: r, chained: false }, expiration: new Date(now + 3600_000) }, now);
  return { store, secrets, lines, p, s, redactor, prepared, clock };
}

describe('SessionPersistence (restore after reload)', () => {
  it('saves the active chain on every change and forgets it when the session ends', async () => {
    const t = setup();
    t.store.replace([t.s]);
    await t.p.flush();
    assert.ok(t.secrets.map.get(SESSION_SECRET_KEY)?.includes(t.s.secretAccessKey), 'in SecretStorage, and only there');
    t.store.clear();
    await t.p.flush();
    assert.deepEqual([t.secrets.map.size, t.secrets.ops], [0, [`store ${SESSION_SECRET_KEY}`, `delete ${SESSION_SECRET_KEY}`]]);
  });

  it('restores a valid session in a new window, without loading the AWS SDK, and redacts its secrets', async () => {
    const a = setup();
    a.store.replace([a.s]);
    await a.p.flush();
    const b = setup({ secrets: a.secrets });
    const restored = await b.p.restore();
    assert.equal(restored?.accessKeyId, a.s.accessKeyId);
    assert.equal(b.store.current?.assumedRoleArn, a.s.assumedRoleArn);
    assert.deepEqual(b.prepared.map((x) => x.accessKeyId), [a.s.accessKeyId]);
    assert.ok(!b.redactor.redact(`x ${a.s.secretAccessKey}`).includes(a.s.secretAccessKey));
    assert.match(b.lines.join('\n'), /restored the session of s3-Full-Access/);
  });

  it('discards an expired session and one whose base keys changed, and says so in the log', async () => {
    const a = setup();
    a.store.replace([a.s]);
    await a.p.flush();
    const other = setup({ secrets: a.secrets, accessKeyId: 'AKIAOTHER' });
    assert.equal(await other.p.restore(), undefined);
    assert.match(other.lines.join('\n'), /not restoring the saved session: the base identity of s3-Full-Access changed/);
    assert.equal(a.secrets.map.size, 0, 'discarded for good');

    const c = setup();
    c.store.replace([{ ...c.s, expiration: new Date(Date.now() + 30_000) }]);
    await c.p.flush();
    const d = setup({ secrets: c.secrets });
    assert.equal(await d.p.restore(), undefined);
    assert.match(d.lines.join('\n'), /not restoring the saved session: the saved session of s3-Full-Access expired/);
  });

  it('with the setting off, saves nothing and forgets what was saved', async () => {
    const a = setup();
    a.store.replace([a.s]);
    await a.p.flush();
    const off = setup({ secrets: a.secrets, enabled: false });
    assert.equal(await off.p.restore(), undefined);
    off.store.replace([off.s]);
    await off.p.flush();
    assert.equal(a.secrets.map.size, 0);
  });

  it('a switch made while restoring wins', async () => {
    const a = setup();
    a.store.replace([a.s]);
    await a.p.flush();
    const b = setup({ secrets: a.secrets });
    const mine = { ...b.s, accessKeyId: 'ASIAMINE000000000000' };
    b.store.replace([mine]);
    assert.equal(await b.p.restore(), undefined);
    assert.equal(b.store.current, mine);
  });
});

describe('SessionPersistence: MFA sessions', () => {
  it('saves them with the chain and gives them back on restore', async () => {
    const secrets = new MemorySecrets();
    const mfa = [{ key: 'k', credentials: { accessKeyId: 'ASIAMFA', secretAccessKey: 'mfa-secret-xyz', sessionToken: 'mfa-token-xyz', expiration: new Date(Date.now() + 3600_000).toISOString() } }];
    const a = setup({ secrets, mfa: () => mfa });
    a.store.replace([a.s]);
    await a.p.flush();
    assert.ok(secrets.map.get(SESSION_SECRET_KEY)?.includes('mfa-secret-xyz'));
    let restored: readonly unknown[] = [];
    const b = setup({ secrets, restoreMfa: (m) => (restored = m) });
    await b.p.restore();
    assert.deepEqual(restored, mfa);
  });
});
