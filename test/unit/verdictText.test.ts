// Verdict words, icons and tooltips: one pure place (core/verdictText.ts) used by the tree, the QuickPick
// and the Explain report. The word "unknown" is never a verdict's text (issue 10, point 3).
import * as assert from 'node:assert/strict';
import { callerContext, combineWithSimulation, evaluateTrust } from '../../src/core/trust';
import type { Verdict, VerdictKind } from '../../src/core/types';
import { verdictLabel, verdictPresentation } from '../../src/core/verdictText';

const A = '111111111111';
const ROLE = `arn:aws:iam::${A}:role/Target`;
const CROSS = 'arn:aws:iam::222222222222:role/Target';
const USER = `arn:aws:iam::${A}:user/alice`;
const policy = (...st: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: st });
const allow = (principal: unknown, cond?: object) => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(cond ? { Condition: cond } : {}) });

const KINDS: Record<VerdictKind, true> = {
  assumable: true, needsMfa: true, needsExternalId: true, needsPermission: true, notTrusted: true, undecidable: true, unverified: true,
};

describe('verdictPresentation', () => {
  it('the two former "unknown" states get different words, icons and headlines', () => {
    const perm = verdictPresentation({ kind: 'needsPermission', reason: 'R.', trustedVia: 'account' });
    const cant = verdictPresentation({ kind: 'undecidable', reason: 'R.', dependsOn: 'aws:SourceIp' });
    assert.deepStrictEqual([perm.label, perm.icon], ['trusted via account — needs your IAM permission', 'law']);
    assert.deepStrictEqual([cant.label, cant.icon], ["can't tell: depends on aws:SourceIp", 'question']);
    assert.notEqual(perm.headline, cant.headline);
    assert.equal(perm.tooltip, 'trusted via account — needs your IAM permission: R.');
  });

  it('says how the trust policy covers you and what else it asks for', () => {
    const words = (v: Omit<Verdict, 'reason'>) => verdictPresentation({ ...v, reason: 'R.' }).label;
    assert.equal(words({ kind: 'needsPermission', trustedVia: 'any' }), 'trusted via "*" — needs your IAM permission');
    assert.equal(words({ kind: 'needsPermission', trustedVia: 'arn', alsoNeeds: ['MFA', 'ExternalId'] }), 'trusted by name — needs your IAM permission and MFA and an ExternalId');
    assert.equal(words({ kind: 'undecidable' }), "can't tell from here");
  });

  it('every kind has its own label, and the QuickPick words are the tree words', () => {
    const labels = (Object.keys(KINDS) as VerdictKind[]).map((kind) => verdictPresentation({ kind, reason: 'R.' }).label);
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
    assert.equal(verdictLabel(undefined), undefined);
    assert.equal(verdictLabel({ kind: 'needsMfa', reason: 'R.' }), 'needs MFA');
  });

  it('no text made from real evaluations says "unknown"', () => {
    const callers = [callerContext(USER), callerContext(`arn:aws:sts::${A}:assumed-role/Dev/s`), callerContext(`arn:aws:iam::${A}:root`)];
    const policies = [
      policy(allow({ AWS: A })),
      policy(allow('*')),
      policy(allow({ AWS: USER })),
      policy(allow({ AWS: `arn:aws:iam::${A}:role/Dev` })),
      policy(allow({ AWS: A }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:ExternalId': 'x' } })),
      policy(allow('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } })),
      policy(allow({ AWS: USER }, { StringEquals: { 'sts:ExternalId': 'x' } })),
      policy(allow({ AWS: USER }, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })),
      policy(allow({ AWS: USER }, { StringEquals: { 'aws:PrincipalTag/team': 'x' } })),
      policy(allow({ AWS: USER }), { Effect: 'Deny', NotPrincipal: { AWS: USER }, Action: 'sts:AssumeRole' }),
      policy({ Effect: 'Maybe', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }),
      '{"Statement": [',
      '{}',
    ];
    const seen = new Set<VerdictKind>();
    for (const caller of callers) {
      for (const p of policies) {
        for (const role of [ROLE, CROSS]) {
          const ev = evaluateTrust(p, role, caller);
          for (const sim of [undefined, 'allowed', 'implicitDeny', 'explicitDeny'] as const) {
            const v = combineWithSimulation(ev, sim, ev.sameAccount);
            seen.add(v.kind);
            const t = verdictPresentation(v);
            for (const text of [t.label, t.headline, t.tooltip, v.reason]) assert.doesNotMatch(text, /unknown/i, text);
          }
        }
      }
    }
    assert.deepStrictEqual([...seen].sort(), ['assumable', 'needsExternalId', 'needsMfa', 'needsPermission', 'notTrusted', 'undecidable']);
  });
});
