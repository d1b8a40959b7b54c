import { strict as assert } from 'node:assert';
import { baseFingerprint, restoreChain, serializeChain } from '../../src/core/persist';
import type { BaseSource } from '../../src/core/types';
import { role, session } from '../helpers/builders';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const env = { AWS_CONFIG_FILE: '/home/me/.aws/config' };
const fp = (akid = 'AKIABASE') => (base: BaseSource) => baseFingerprint(base, { profileAccessKeyId: akid, env });

describe('persist: restore after reload', () => {
  const r = role({ base: { kind: 'profileKeys', profile: 'default' } });
  const s = session({ role: r, step: { role: r, chained: false } }, NOW);

  it('round-trips a valid chain, dates and all', () => {
    const text = serializeChain([s], fp()(r.base));
    const back = restoreChain(text, { now: NOW + 60_000, fingerprintOf: fp() });
    assert.deepEqual(back, { ok: true, chain: [s], mfa: [] });
  });

  it('discards an expired session, or one about to expire, saying so without a secret', () => {
    const text = serializeChain([s], fp()(r.base));
    for (const now of [NOW + 3600_000, NOW + 3600_000 - 30_000]) {
      const back = restoreChain(text, { now, fingerprintOf: fp() });
      assert.equal(back.ok, false);
      assert.match((back as { reason: string }).reason, /expired at 2026-11-23T13:00:00.000Z/);
      assert.ok(!(back as { reason: string }).reason.includes(s.secretAccessKey));
    }
  });

  it('discards a session whose base identity changed (other keys in the profile, another profile, other env keys)', () => {
    const text = serializeChain([s], fp('AKIABASE')(r.base));
    const back = restoreChain(text, { now: NOW, fingerprintOf: fp('AKIAOTHER') });
    assert.deepEqual(back, { ok: false, reason: `the base identity of ${r.label} changed since it was assumed (other keys or profile)` });
    const e1 = baseFingerprint({ kind: 'environment' }, { env: { AWS_ACCESS_KEY_ID: 'AKIA1' } });
    const e2 = baseFingerprint({ kind: 'environment' }, { env: { AWS_ACCESS_KEY_ID: 'AKIA2' } });
    const p1 = baseFingerprint({ kind: 'profile', profile: 'a' }, { env });
    const p2 = baseFingerprint({ kind: 'profile', profile: 'b' }, { env });
    assert.equal(new Set([e1, e2, p1, p2]).size, 4);
    assert.ok(!text.includes('AKIABASE'), 'the fingerprint is a hash, not the key ID');
  });

  it('carries the MFA sessions along, and none when there were none', () => {
    const mfa = [{ key: 'k', credentials: { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date(NOW + 3600_000).toISOString() } }];
    const back = restoreChain(serializeChain([s], fp()(r.base), mfa), { now: NOW, fingerprintOf: fp() });
    assert.deepEqual(back.ok && back.mfa, mfa);
    const none = restoreChain(serializeChain([s], fp()(r.base)), { now: NOW, fingerprintOf: fp() });
    assert.deepEqual(none.ok && none.mfa, []);
  });

  it('discards malformed or foreign state', () => {
    for (const text of ['{', '[]', '{"version":2,"base":"x","sessions":[{}]}', JSON.stringify({ version: 1, base: 'x', sessions: [{ accessKeyId: 1 }] }), JSON.stringify({ version: 1, base: 'x', sessions: [] })]) {
      assert.equal(restoreChain(text, { now: NOW, fingerprintOf: fp() }).ok, false, text);
    }
  });

  it('drops expired parents of a chain, keeping the valid top', () => {
    const parent = session({ role: r, expiration: new Date(NOW + 10 * 60_000) }, NOW);
    const top = session({ role: r, chained: true, expiration: new Date(NOW + 50 * 60_000), step: { role: r, chained: true } }, NOW);
    const back = restoreChain(serializeChain([parent, top], fp()(r.base)), { now: NOW + 20 * 60_000, fingerprintOf: fp() });
    assert.deepEqual(back, { ok: true, chain: [top], mfa: [] });
  });
});
