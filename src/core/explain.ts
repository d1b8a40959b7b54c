// Explain Access: a Markdown report on whether the caller can assume a role, and what to change.
// The report is shown in a Markdown preview / webview, so every piece of text that comes from AWS or a
// policy (Sids, descriptions, ARNs typed by the user, error messages) is escaped: no raw HTML can get
// through, and policy JSON is printed with <, >, & and ` as \u escapes (the same JSON, no markup).
// It only ever receives ARNs, policies and an error code/message: no credentials.

import type { SimulationResult } from './gateway';
import {
  combineWithSimulation,
  evaluateTrust,
  splitRoleArn,
  statementLabel,
  type CallerContext,
  type StatementResult,
  type TrustEvaluation,
} from './trust';
import type { Verdict } from './types';
import { verdictPresentation } from './verdictText';

export interface ExplainInput {
  readonly caller: CallerContext;
  readonly roleArn: string;
  /** The role's trust policy (decoded JSON text), when it could be read. */
  readonly trustPolicy?: string;
  /** A ready evaluation (from discovery); computed from `trustPolicy` otherwise. */
  readonly evaluation?: TrustEvaluation & { readonly simulation?: SimulationResult['decision'] };
  /** iam:SimulatePrincipalPolicy for sts:AssumeRole on the role, when it was run. */
  readonly simulation?: SimulationResult;
  /** The role's description, when known. */
  readonly roleDescription?: string;
  /** The last AssumeRole error for this role (already redacted by the host). */
  readonly error?: { readonly code: string; readonly message: string };
}

// ---------------------------------------------------------------------------------------------
// Escaping

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Inline text: HTML entities for &<>"' and a backslash before Markdown punctuation; one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-!|~]/g, (c) => `\\${c}`)
    .replace(/[&<>"']/g, (c) => HTML[c]!);
}

const SAFE_CODE = /^[A-Za-z0-9:/_+=,.@*?$-]+$/;

/** An inline code span when the text is plainly safe (ARNs, ids), escaped text otherwise. */
function code(text: string): string {
  return text !== '' && SAFE_CODE.test(text) ? `\`${text}\`` : escapeMarkdown(text);
}

/** JSON for a fenced block: valid, equivalent JSON with no character that Markdown or HTML could act on. */
function jsonBlock(value: unknown): string {
  const json = JSON.stringify(value, null, 2) ?? 'null';
  const safe = json.replace(/[<>&`]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `\`\`\`json\n${safe}\n\`\`\``;
}

// ---------------------------------------------------------------------------------------------

const KIND_TEXT: Record<CallerContext['kind'], string> = {
  user: 'IAM user',
  assumedRole: 'assumed-role session',
  role: 'IAM role',
  federatedUser: 'federated user (GetFederationToken)',
  root: 'root user of the account',
};

const OUTCOME_TEXT: Record<StatementResult['outcome'], string> = {
  allows: 'allows you',
  denies: 'denies you',
  noMatch: 'does not apply to you',
  needsMfa: 'applies depending on MFA',
  needsExternalId: 'applies depending on the ExternalId',
  unknown: 'cannot be decided here',
  service: 'is for a service or identity provider',
};

const CONDITION_TEXT: Record<string, string> = {
  met: 'true',
  unmet: 'false',
  needsMfa: 'depends on MFA',
  needsExternalId: 'depends on the ExternalId',
  unknown: "can't tell here",
};

/** Build the Markdown report. */
export function explainAccess(input: ExplainInput): string {
  const { caller, roleArn } = input;
  const role = splitRoleArn(roleArn);
  const sameAccount = role !== undefined && role.accountId === caller.accountId && role.partition === caller.partition;

  let parsedDoc: unknown;
  let policyInvalid = false;
  if (input.trustPolicy !== undefined) {
    try {
      parsedDoc = JSON.parse(input.trustPolicy);
    } catch {
      policyInvalid = true;
    }
  }
  const ev: (TrustEvaluation & { simulation?: SimulationResult['decision'] }) | undefined =
    input.evaluation ?? (input.trustPolicy !== undefined ? evaluateTrust(input.trustPolicy, roleArn, caller) : undefined);
  const sim = input.simulation?.decision ?? ev?.simulation;
  const verdict: Verdict | undefined = ev ? (sim !== undefined ? combineWithSimulation(ev, sim, sameAccount) : ev.verdict) : undefined;
  const cannotAssumeAtAll = caller.kind === 'root' || caller.kind === 'federatedUser';

  const out: string[] = [];
  out.push(`# Explain Access: ${escapeMarkdown(role?.roleName ?? roleArn)}`, '');
  if (verdict) out.push(`**${escapeMarkdown(verdictPresentation(verdict).headline)}.** ${escapeMarkdown(verdict.reason)}`, '');
  else out.push("**Can't tell from here whether you can assume this role.** The trust policy is not available (reading it needs iam:GetRole or iam:ListRoles).", '');

  // ---- caller and role
  out.push('## You', '');
  out.push(`- Identity: ${code(caller.arn)} (${KIND_TEXT[caller.kind]})`);
  if (caller.principalArn !== caller.arn || caller.kind === 'assumedRole') {
    const note = caller.pathKnown === false ? ' (the path of your role is not known, so "/" is assumed)' : '';
    out.push(`- Trust policies match you as: ${code(caller.principalArn)}${escapeMarkdown(note)}`);
  }
  out.push(`- Account: ${code(caller.accountId)}`, '');

  out.push('## The role', '');
  out.push(`- ARN: ${code(roleArn)}`);
  if (role) out.push(`- Account: ${code(role.accountId)} (${sameAccount ? 'your own account' : 'another account'})`);
  if (input.roleDescription) out.push(`- Description: ${escapeMarkdown(input.roleDescription)}`);
  out.push('');

  // ---- the two conditions
  const trustKind = ev?.trustVerdict.kind;
  const identityNeeded = ev ? ev.grantVia !== 'arn' || !sameAccount : true;
  out.push('## The two conditions', '', 'AWS lets you assume a role only when both hold, and no explicit Deny applies:', '');
  let identityStatus: string;
  if (cannotAssumeAtAll) identityStatus = `**Not met.** A ${KIND_TEXT[caller.kind]} cannot call sts:AssumeRole at all.`;
  else if (sim === 'explicitDeny') identityStatus = '**Not met.** Your IAM policy explicitly denies sts:AssumeRole on this role (iam:SimulatePrincipalPolicy).';
  else if (sim === 'allowed') identityStatus = '**Met.** Your IAM policy allows sts:AssumeRole on this role (iam:SimulatePrincipalPolicy).';
  else if (!identityNeeded) {
    identityStatus = sim === 'implicitDeny'
      ? '**Not needed here.** Your IAM policy does not allow it, but the trust policy names you directly and the role is in your own account.'
      : '**Not needed here.** The trust policy names you directly and the role is in your own account (an explicit Deny in your IAM policy would still block).';
  } else if (sim === 'implicitDeny') identityStatus = '**Not met.** Your IAM policy does not allow sts:AssumeRole on this role (iam:SimulatePrincipalPolicy).';
  else if (trustKind === 'assumable' || trustKind === 'needsMfa' || trustKind === 'needsExternalId') {
    identityStatus = '**Needs your IAM permission, not checked.** It depends on your IAM policy, which could not be checked (iam:SimulatePrincipalPolicy was not run or not allowed): see the statement to add under "What to change".';
  } else identityStatus = '**Not checked.** Your IAM policy could not be checked (iam:SimulatePrincipalPolicy was not run or not allowed).';
  out.push(`1. Your identity must be allowed \`sts:AssumeRole\` on this role (an IAM policy on the caller): ${identityStatus}`);

  let trustStatus: string;
  if (!ev) trustStatus = "**Can't tell here.** The trust policy is not available.";
  else {
    const tv = ev.trustVerdict;
    const head = tv.kind === 'assumable' ? '**Met.**'
      : tv.kind === 'needsMfa' ? '**Met only with MFA.**'
        : tv.kind === 'needsExternalId' ? '**Met only with an ExternalId.**'
          : tv.kind === 'notTrusted' ? '**Not met.**' : "**Can't tell here.**";
    trustStatus = `${head} ${escapeMarkdown(tv.reason)}`;
  }
  out.push(`2. The role's trust policy must name you (or your account): ${trustStatus}`, '');

  // ---- statements
  if (ev && ev.statements.length > 0) {
    out.push('## Trust policy statements', '');
    const rawStatements = statementsOf(parsedDoc);
    for (const st of ev.statements) {
      const label = statementLabel(st);
      out.push(`### ${escapeMarkdown(label.charAt(0).toUpperCase() + label.slice(1))}: ${st.effect}, ${OUTCOME_TEXT[st.outcome]}`, '');
      out.push(`- Principal: ${st.principalMatch === true ? 'covers you' : st.principalMatch === false ? 'does not cover you' : 'may cover you'}`);
      out.push(`- Action: ${st.actionMatch ? 'covers' : 'does not cover'} sts:AssumeRole`);
      for (const c of st.conditions) {
        out.push(`- Condition ${code(c.operator)} ${code(c.key)}: ${CONDITION_TEXT[c.outcome] ?? c.outcome}. ${escapeMarkdown(c.detail)}`);
      }
      out.push(`- Result: ${escapeMarkdown(st.detail)}`, '');
      const raw = rawStatements[st.index - 1];
      if (raw !== undefined) out.push(jsonBlock(raw), '');
    }
  }

  // ---- identity policy
  out.push('## Your IAM policy', '');
  if (sim !== undefined) {
    const text = sim === 'allowed' ? 'allowed' : sim === 'explicitDeny' ? 'explicitly denied' : 'not allowed (implicit deny)';
    out.push(`iam:SimulatePrincipalPolicy for sts:AssumeRole on this role: **${text}**.`, '');
  } else {
    out.push('Not checked: your identity policies were not simulated (iam:SimulatePrincipalPolicy was not run or not allowed).', '');
  }

  if (input.error) {
    out.push('## Last attempt', '', `${code(input.error.code)}: ${escapeMarkdown(input.error.message)}`, '');
  }

  // ---- what to change
  out.push('## What to change', '');
  const todo: string[] = [];
  const snippets: Array<{ text: string; json: unknown }> = [];
  if (cannotAssumeAtAll) {
    todo.push(`Sign in as an IAM user or role: a ${KIND_TEXT[caller.kind]} cannot assume roles.`);
  } else {
    if (trustKind === 'notTrusted' || trustKind === undefined) {
      const denied = ev?.statements.find((s) => s.outcome === 'denies');
      if (denied) {
        todo.push(escapeMarkdown(`The role's owner must change ${statementLabel(denied)}: it explicitly denies you.`));
      } else {
        todo.push(escapeMarkdown(`The role's trust policy must name you (or your account): ask the administrator of account ${role?.accountId ?? 'that owns the role'} to add a statement like this one.`));
        snippets.push({
          text: 'Trust policy statement:',
          json: { Effect: 'Allow', Principal: { AWS: caller.principalArn }, Action: 'sts:AssumeRole' },
        });
      }
    }
    if (trustKind === 'needsMfa') todo.push('Assume the role with your MFA device: set mfa_serial for it, or enter the MFA code when asked.');
    if (trustKind === 'needsExternalId' || ev?.requiresExternalId) todo.push('Assume the role with the ExternalId its owner gave you (external_id).');
    if (trustKind === 'undecidable') {
      const on = ev?.trustVerdict.dependsOn;
      todo.push(escapeMarkdown(`${ev?.decidedBy ? `${capital(ev.decidedBy)} depends` : 'The trust policy depends'} on ${on ?? 'something'} that this extension cannot see from here; try assuming the role to find out.`));
    }
    if (sim === 'explicitDeny') {
      todo.push('An explicit Deny in your IAM policies (or permissions boundary) blocks sts:AssumeRole on this role; it must be removed or narrowed.');
    } else if (identityNeeded && sim !== 'allowed') {
      todo.push(escapeMarkdown(`Your identity must be allowed sts:AssumeRole on this role (an IAM policy on the caller): ${
        sim === 'implicitDeny' ? 'ask' : 'if it is not already, ask'
      } your administrator to add the statement below (action sts:AssumeRole, resource ${roleArn}) to an IAM policy attached to ${caller.principalArn}.`));
      snippets.push({
        text: 'Identity policy statement to add (ready to copy):',
        json: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn },
      });
    }
  }
  if (todo.length === 0) todo.push('Nothing: both conditions hold.');
  for (const t of todo) out.push(`- ${t}`);
  out.push('');
  for (const s of snippets) out.push(s.text, '', jsonBlock(s.json), '');

  // ---- the policy itself
  if (input.trustPolicy !== undefined) {
    out.push('## Trust policy', '');
    if (policyInvalid) out.push('The trust policy is not valid JSON. Its text, as a JSON string:', '', jsonBlock(input.trustPolicy), '');
    else out.push(jsonBlock(parsedDoc), '');
  }
  return out.join('\n');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function statementsOf(doc: unknown): unknown[] {
  if (typeof doc !== 'object' || doc === null) return [];
  const st = (doc as { Statement?: unknown }).Statement;
  if (st === undefined) return [];
  return Array.isArray(st) ? st : [st];
}
