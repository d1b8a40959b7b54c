// A slice of the differential test of src/core/trust.ts against @cloud-copilot/iam-simulate (the full
// run, 10,000+ cases: `npm run fuzz`). Fixed seed; see test/fuzz/trust.ts for what each verdict claims.
import * as assert from 'node:assert/strict';
import { evaluateTrust, withVerdict } from '../../src/core/trust';
import { runTrustDifferential, TRUST_SEED, type Evaluate } from '../fuzz/trust';

describe('trust: differential against @cloud-copilot/iam-simulate', function () {
  this.timeout(60_000);

  it('agrees with the simulator on 400 generated trust policies and callers (fixed seed)', async () => {
    const lines: string[] = [];
    const r = await runTrustDifferential({ seed: TRUST_SEED, cases: 400, log: (l) => lines.push(l) });
    assert.deepStrictEqual({ disagreements: r.disagreements.length, output: lines }, { disagreements: 0, output: [] });
    assert.equal(r.cases, 400);
    // the slice exercises every verdict a trust policy can give, and most cases are real comparisons
    for (const k of ['assumable', 'needsMfa', 'needsExternalId', 'needsPermission', 'notTrusted', 'undecidable']) {
      assert.ok((r.kinds[k] ?? 0) > 0, `no ${k} case: ${JSON.stringify(r.kinds)}`);
    }
    assert.ok(r.agreed >= 0.85 * r.cases, JSON.stringify(r));
  });

  it('catches an evaluator that is wrong', async () => {
    // "needs your IAM permission" reported as plain "assumable": the simulator denies those without one.
    const lenient: Evaluate = (p, role, caller) => {
      const ev = evaluateTrust(p, role, caller);
      return ev.verdict.kind === 'needsPermission' && ev.trustVerdict.kind === 'assumable'
        ? withVerdict(ev, ev.trustVerdict, { grantVia: 'arn' as const })
        : ev;
    };
    const r = await runTrustDifferential({ seed: TRUST_SEED, cases: 200, evaluate: lenient });
    assert.ok(r.disagreements.length > 0);
    // and MFA that is not asked for
    const noMfa: Evaluate = (p, role, caller) => {
      const ev = evaluateTrust(p, role, caller);
      return ev.verdict.kind === 'needsMfa' ? withVerdict(ev, { kind: 'assumable', reason: 'Wrong.' }) : ev;
    };
    assert.ok((await runTrustDifferential({ seed: TRUST_SEED, cases: 400, evaluate: noMfa })).disagreements.length > 0);
  });
});
