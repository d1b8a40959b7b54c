// The status bar as data: one immutable model, derived from the session and the clock in one place.

import { isPartition, PARTITIONS, partitionOfArn } from './partitions';
import type { Session } from './types';

export interface StatusInput {
  readonly session?: Session;
  readonly depth: number;
  /** Display of the base identity (caller ARN, or the credential source) when no session is active. */
  readonly baseIdentity?: string;
  readonly showBaseIdentity: boolean;
  readonly warningMinutes: number;
  readonly busy?: string;
  readonly now: number;
  /** Formats a date in the user's local time (injected so tests are stable). */
  readonly formatTime?: (d: Date) => string;
}

export interface StatusModel {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
  readonly ariaLabel: string;
  readonly warning: boolean;
  readonly expired: boolean;
}

export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '<1m';
  if (minutes < 60) return `${minutes}m`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h}h ${m}m` : `${h}h`;
}

/** Local date and time as `YYYY-MM-DD HH:MM:SS`, built by hand: Intl formatting costs about a tenth of a switch. */
export function formatLocal(d: Date): string {
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The model without a session (busy, or the base identity; `input.session` is not read): what the first paint needs. The host
 * (host/statusBar.ts) uses it directly and loads statusModel with dist/features.js once there is a session.
 */
export function baseStatusModel(input: StatusInput): StatusModel {
  if (input.busy) {
    return { visible: true, text: `$(sync~spin) ${input.busy}`, tooltip: input.busy, ariaLabel: input.busy, warning: false, expired: false };
  }
  if (!input.showBaseIdentity) return { visible: false, text: '', tooltip: '', ariaLabel: '', warning: false, expired: false };
  const who = input.baseIdentity ?? 'base credentials';
  return {
    visible: true,
    text: '$(account) AWS: base identity',
    tooltip: `No role assumed. AWS calls use ${who}.\nClick to switch role.`,
    ariaLabel: `AWS: no role assumed, using ${who}`,
    warning: false,
    expired: false,
  };
}

export function statusModel(input: StatusInput): StatusModel {
  const fmt = input.formatTime ?? formatLocal;
  const s = input.session;
  if (input.busy || !s) return baseStatusModel(input);
  const remaining = s.expiration.getTime() - input.now;
  const left = formatRemaining(remaining);
  const account = s.accountAlias ?? s.role.accountId;
  const chain = input.depth > 1 ? ` (chain of ${input.depth})` : '';
  const lines = [
    `Role: ${s.role.roleArn}${chain}`,
    `Session: ${s.assumedRoleArn}`,
    `Session name: ${s.sessionName}`,
    `Source identity: ${s.sourceIdentityArn}`,
    `Expires: ${fmt(s.expiration)} (${left} left)`,
    ...(s.chained ? ['Chained session: assumed with a role session, so AWS caps it at 1 hour'] : []),
    ...(s.viaMfaSession ? ['MFA: assumed with your MFA session (no new code until it ends)'] : []),
    ...partitionLines(s),
    '',
    'Click for the session menu.',
  ];
  const minutesLeft = Math.max(0, Math.floor(remaining / 60_000));
  return {
    visible: true,
    text: `$(shield) ${s.role.label} · ${account} · ${left}`,
    tooltip: lines.join('\n'),
    ariaLabel: `AWS role ${s.role.label} in account ${account}, ${remaining > 0 ? `${minutesLeft} minutes left` : 'expired'}`,
    warning: remaining < input.warningMinutes * 60_000,
    expired: remaining <= 0,
  };
}

/** aws-cn / aws-us-gov sessions: the partition, its region and its console host (aws needs no line). */
function partitionLines(s: Session): string[] {
  const p = partitionOfArn(s.assumedRoleArn) ?? s.role.partition;
  if (!isPartition(p) || p === 'aws') return [];
  return [`Partition: ${p}${s.region ? ` · region ${s.region}` : ''} · console ${PARTITIONS[p].consoleHost}`];
}
