// The one place that turns a verdict into words and an icon, for the tree, the QuickPick and the Explain
// report. Pure: no vscode (icons and colours are codicon / theme-colour ids the host wraps).
// The word "unknown" is never a verdict's text: "needs your IAM permission" and "can't tell" say what the
// person can do about it (issue 10, point 3; a unit test scans every text made here).

import type { Verdict, VerdictKind } from './types';

export interface VerdictPresentation {
  /** Short words for the tree row and the QuickPick, e.g. "trusted via account — needs your IAM permission". */
  readonly label: string;
  /** Codicon id, e.g. "pass". */
  readonly icon: string;
  /** Theme colour id for the icon, when it has one. */
  readonly color?: string;
  /** The Explain report's headline, one clause without the final full stop. */
  readonly headline: string;
  /** Plain-text tooltip: the label, then the reason. */
  readonly tooltip: string;
}

const ICON: Record<VerdictKind, { icon: string; color?: string }> = {
  assumable: { icon: 'pass', color: 'testing.iconPassed' },
  needsMfa: { icon: 'lock', color: 'charts.yellow' },
  needsExternalId: { icon: 'key', color: 'charts.yellow' },
  needsPermission: { icon: 'law', color: 'charts.yellow' },
  notTrusted: { icon: 'circle-slash', color: 'testing.iconFailed' },
  undecidable: { icon: 'question' },
  unverified: { icon: 'circle-large-outline' },
};

const VIA: Record<NonNullable<Verdict['trustedVia']>, string> = {
  account: 'trusted via account',
  any: 'trusted via "*"',
  arn: 'trusted by name',
};

function also(v: Verdict): string {
  const n = v.alsoNeeds ?? [];
  if (n.length === 0) return '';
  return ` and ${n.map((x) => (x === 'MFA' ? 'MFA' : 'an ExternalId')).join(' and ')}`;
}

function label(v: Verdict): string {
  switch (v.kind) {
    case 'assumable': return 'assumable';
    case 'needsMfa': return 'needs MFA';
    case 'needsExternalId': return 'needs ExternalId';
    case 'needsPermission': return `${VIA[v.trustedVia ?? 'account']} — needs your IAM permission${also(v)}`;
    case 'notTrusted': return 'not trusted';
    case 'undecidable': return v.dependsOn ? `can't tell: depends on ${v.dependsOn}` : "can't tell from here";
    case 'unverified': return 'unverified until assumed';
  }
}

function headline(v: Verdict): string {
  switch (v.kind) {
    case 'assumable': return 'You can assume this role';
    case 'needsMfa': return 'You can assume this role with MFA';
    case 'needsExternalId': return 'You can assume this role with an ExternalId';
    case 'needsPermission': return `The trust policy lets you in, but you also need an IAM policy allowing sts:AssumeRole on this role${also(v)}`;
    case 'notTrusted': return 'You cannot assume this role';
    case 'undecidable': return v.dependsOn
      ? `Can't tell from here whether you can assume this role: it depends on ${v.dependsOn}`
      : "Can't tell from here whether you can assume this role";
    case 'unverified': return 'Unverified until assumed';
  }
}

/** Words, icon and tooltip for a verdict. */
export function verdictPresentation(v: Verdict): VerdictPresentation {
  const l = label(v);
  const { icon, color } = ICON[v.kind];
  return { label: l, icon, ...(color !== undefined ? { color } : {}), headline: headline(v), tooltip: `${l}: ${v.reason}` };
}

/** The words for a verdict, when there is one (tree descriptions, QuickPick details). */
export function verdictLabel(v: Verdict | undefined): string | undefined {
  return v ? label(v) : undefined;
}
