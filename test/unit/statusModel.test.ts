import { strict as assert } from 'node:assert';
import { formatRemaining, statusModel } from '../../src/core/statusModel';
import { session } from '../helpers/builders';

const now = Date.UTC(2026, 10, 23, 12, 0, 0);
const fmt = (d: Date) => d.toISOString();

describe('statusModel', () => {
  it('shows role, account alias and minutes left', () => {
    const m = statusModel({ session: session({ accountAlias: 'seeds-sandbox' }, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now: now + 60_000, formatTime: fmt });
    assert.equal(m.text, '$(shield) s3-Full-Access · seeds-sandbox · 59m');
    assert.equal(m.warning, false);
    assert.match(m.tooltip, /arn:aws:iam::111111111111:role\/s3-Full-Access/);
    assert.match(m.tooltip, /Session name: test-user/);
    assert.match(m.tooltip, /Expires: 2026-11-23T13:00:00.000Z/);
    assert.equal(m.ariaLabel, 'AWS role s3-Full-Access in account seeds-sandbox, 59 minutes left');
  });

  it('falls back to the account id and warns under the threshold', () => {
    const m = statusModel({ session: session({}, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now: now + 3600_000 - 4 * 60_000, formatTime: fmt });
    assert.equal(m.text, '$(shield) s3-Full-Access · 111111111111 · 4m');
    assert.equal(m.warning, true);
  });

  it('shows the base identity, or nothing, without a session', () => {
    const shown = statusModel({ depth: 0, baseIdentity: 'arn:aws:iam::111111111111:user/test-user', showBaseIdentity: true, warningMinutes: 5, now });
    assert.equal(shown.visible, true);
    assert.match(shown.tooltip, /test-user/);
    const hidden = statusModel({ depth: 0, showBaseIdentity: false, warningMinutes: 5, now });
    assert.equal(hidden.visible, false);
  });

  it('formats remaining time', () => {
    assert.deepEqual([0, 30_000, 60_000, 3600_000, 5400_000].map(formatRemaining), ['expired', '<1m', '1m', '1h', '1h 30m']);
  });

  it('mentions a chain', () => {
    const m = statusModel({ session: session({}, now), depth: 2, showBaseIdentity: true, warningMinutes: 5, now, formatTime: fmt });
    assert.match(m.tooltip, /chain of 2/);
  });

  it('says a chained session is capped at 1 hour, and when the MFA session was used; not otherwise', () => {
    const plain = statusModel({ session: session({}, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now, formatTime: fmt });
    assert.doesNotMatch(plain.tooltip, /Chained session|MFA:/);
    const m = statusModel({ session: session({ chained: true, viaMfaSession: true }, now), depth: 1, showBaseIdentity: true, warningMinutes: 5, now, formatTime: fmt });
    assert.match(m.tooltip, /Chained session: assumed with a role session, so AWS caps it at 1 hour/);
    assert.match(m.tooltip, /MFA: assumed with your MFA session/);
  });
});
