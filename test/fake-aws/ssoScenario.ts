/**
 * The `identityCenter` block of a scenario (IAM Identity Center / AWS SSO): instances with start URLs,
 * permission sets, users and their account × permission-set assignments. `expandIdentityCenter` turns
 * every assigned permission set into the IAM role AWS provisions for it
 * (`/aws-reserved/sso.amazonaws.com/AWSReservedSSO_<PermissionSet>_<16 hex>`), so STS and IAM treat the
 * credentials GetRoleCredentials hands out as ordinary role sessions. Format: ./README.md.
 */
import { createHash } from 'node:crypto';
import type { AccountDoc, PolicyDocument, RoleDoc, ScenarioDoc } from './scenario';

export const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

export interface PermissionSetDoc {
  /** managed policy ARNs (AWS managed or customer managed in the target account) */
  managedPolicies?: string[];
  /** the permission set's inline policy */
  inlinePolicy?: PolicyDocument;
  /** seconds the role credentials last, 3600..43200, default 3600 */
  sessionDuration?: number;
  description?: string;
}

export interface SsoAssignmentDoc {
  accountId: string;
  permissionSets: string[];
}

export interface SsoUserDoc {
  /** the portal user name; it becomes the role session name (`assumed-role/<role>/<userName>`) */
  userName: string;
  email?: string;
  assignments: SsoAssignmentDoc[];
}

export interface SsoAccountDoc {
  id: string;
  name: string;
  email?: string;
  /** ordinary IAM roles of the account (e.g. one that trusts a permission set, for role chaining from SSO) */
  roles?: RoleDoc[];
}

export interface IdentityCenterDoc {
  /** default `arn:aws:sso:::instance/ssoins-<hash of the first start URL>` */
  instanceArn?: string;
  /** the Identity Center region (OIDC and portal), default us-east-1 */
  region?: string;
  /** one or more access-portal start URLs that reach this instance */
  startUrls: string[];
  /** accounts shown by the portal; ones missing from the top-level `accounts` are created */
  accounts: SsoAccountDoc[];
  permissionSets: Record<string, PermissionSetDoc>;
  users: SsoUserDoc[];
  /** access-token lifetime in seconds, default 28800 (8 h) */
  accessTokenLifetime?: number;
  /** refresh-token lifetime in seconds, default 7776000 (90 days) */
  refreshTokenLifetime?: number;
  /** device-code lifetime in seconds, default 600 */
  deviceCodeLifetime?: number;
  /** StartDeviceAuthorization `interval` in seconds, default 1 (as AWS answers) */
  interval?: number;
  /** approve every device code automatically, this many ms after StartDeviceAuthorization, as the first user */
  autoApproveAfterMs?: number;
}

export function identityCenters(doc: ScenarioDoc): IdentityCenterDoc[] {
  const ic = doc.identityCenter;
  if (!ic) return [];
  return Array.isArray(ic) ? ic : [ic];
}

/** AWS's provisioned role name: AWSReservedSSO_<permission set>_<16 hex>. Deterministic here. */
export function ssoRoleName(instanceArn: string, accountId: string, permissionSet: string): string {
  const hex = createHash('sha256').update(`${instanceArn}|${accountId}|${permissionSet}`).digest('hex').slice(0, 16);
  return `AWSReservedSSO_${permissionSet}_${hex}`;
}

export function instanceArnOf(ic: IdentityCenterDoc): string {
  return ic.instanceArn ?? `arn:aws:sso:::instance/ssoins-${createHash('sha256').update(ic.startUrls[0] ?? '').digest('hex').slice(0, 16)}`;
}

export function validateIdentityCenter(doc: ScenarioDoc): void {
  const urls = new Set<string>();
  for (const ic of identityCenters(doc)) {
    if (!Array.isArray(ic.startUrls) || !ic.startUrls.length) throw new Error('scenario: identityCenter.startUrls must be a non-empty array');
    for (const u of ic.startUrls) {
      if (!/^https:\/\/\S+$/.test(u)) throw new Error(`scenario: identityCenter start URL ${u} must be an https URL`);
      if (urls.has(u)) throw new Error(`scenario: identityCenter start URL ${u} is used twice`);
      urls.add(u);
    }
    const accounts = new Set<string>();
    for (const a of ic.accounts ?? []) {
      if (!/^\d{12}$/.test(a.id)) throw new Error(`scenario: identityCenter account id ${a.id} must be 12 digits`);
      accounts.add(a.id);
    }
    for (const [name, ps] of Object.entries(ic.permissionSets ?? {})) {
      if (!/^[\w+=,.@-]{1,32}$/.test(name)) throw new Error(`scenario: permission set name ${name} must be 1..32 of [\\w+=,.@-]`);
      const d = ps.sessionDuration ?? 3600;
      if (d < 900 || d > 43200) throw new Error(`scenario: permission set ${name} sessionDuration out of 900..43200`);
    }
    if (!Array.isArray(ic.users) || !ic.users.length) throw new Error('scenario: identityCenter.users must be a non-empty array');
    for (const u of ic.users) {
      if (!/^[\w+=,.@-]{2,64}$/.test(u.userName)) throw new Error(`scenario: identityCenter user ${u.userName} must be 2..64 of [\\w+=,.@-]`);
      for (const a of u.assignments ?? []) {
        if (!accounts.has(a.accountId)) throw new Error(`scenario: user ${u.userName} is assigned to ${a.accountId}, which is not in identityCenter.accounts`);
        for (const p of a.permissionSets) {
          if (!ic.permissionSets?.[p]) throw new Error(`scenario: user ${u.userName} is assigned permission set ${p}, which is not in identityCenter.permissionSets`);
        }
      }
    }
  }
}

/**
 * Add the accounts and AWSReservedSSO_ roles the Identity Center block implies to `doc.accounts`
 * (in place; idempotent). Roles trust only the instance's SAML provider (as AWS provisions them), so no
 * IAM caller can AssumeRole into them; their identity policies are the permission set's.
 */
export function expandIdentityCenter(doc: ScenarioDoc): ScenarioDoc {
  for (const ic of identityCenters(doc)) {
    const arn = instanceArnOf(ic);
    const pairs = new Set<string>();
    for (const u of ic.users) for (const a of u.assignments ?? []) for (const p of a.permissionSets) pairs.add(`${a.accountId}|${p}`);
    for (const a of ic.accounts) {
      let acct: AccountDoc | undefined = doc.accounts.find((x) => x.id === a.id);
      if (!acct) {
        acct = { id: a.id, name: a.name, email: a.email };
        doc.accounts.push(acct);
      }
      acct.name ??= a.name;
      acct.email ??= a.email;
      acct.roles ??= [];
      for (const r of a.roles ?? []) if (!acct.roles.some((x) => x.name === r.name)) acct.roles.push(structuredClone(r));
      for (const [psName, ps] of Object.entries(ic.permissionSets)) {
        if (!pairs.has(`${a.id}|${psName}`)) continue;
        const name = ssoRoleName(arn, a.id, psName);
        if (acct.roles.some((r) => r.name === name)) continue;
        const role: RoleDoc = {
          name,
          path: SSO_ROLE_PATH,
          description: ps.description ?? `IAM Identity Center permission set ${psName}`,
          maxSessionDuration: Math.max(3600, ps.sessionDuration ?? 3600),
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${a.id}:saml-provider/AWSSSO_${arn.slice(-16)}_DO_NOT_DELETE` },
              Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
              Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
            }],
          },
          inlinePolicies: ps.inlinePolicy ? { AwsSSOInlinePolicy: ps.inlinePolicy } : {},
          attachedPolicies: [...(ps.managedPolicies ?? [])],
        };
        acct.roles.push(role);
      }
    }
  }
  return doc;
}

const ACCOUNT_WORDS = ['Production', 'Staging', 'Development', 'Sandbox', 'Security', 'Logging', 'Shared Services', 'Data', 'Analytics', 'Payments', 'Identity', 'Networking'];

/**
 * A large Identity Center organization for benchmarks: `accounts` accounts (ids 5000000NNNNN) with
 * `permissionSets` permission sets each (AdministratorAccess, ReadOnlyAccess, PowerUserAccess, then
 * Custom<N>), all assigned to `userName` (default demo-user), under start URL `startUrl`.
 */
export function generateIdentityCenter(opts: { accounts: number; permissionSets?: number; startUrl?: string; userName?: string }): IdentityCenterDoc {
  const psCount = opts.permissionSets ?? 3;
  const base = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess'];
  const names = Array.from({ length: psCount }, (_, i) => base[i] ?? `Custom${i + 1}`);
  const permissionSets: Record<string, PermissionSetDoc> = {};
  for (const n of names) permissionSets[n] = { managedPolicies: [`arn:aws:iam::aws:policy/${base.includes(n) ? n : 'ReadOnlyAccess'}`] };
  const accounts: SsoAccountDoc[] = [];
  for (let i = 0; i < opts.accounts; i++) {
    const id = `5${String(i + 1).padStart(11, '0')}`;
    const word = ACCOUNT_WORDS[i % ACCOUNT_WORDS.length];
    accounts.push({ id, name: `${word} ${String(i + 1).padStart(3, '0')}`, email: `aws+${id}@example.invalid` });
  }
  return {
    region: 'us-east-1',
    startUrls: [opts.startUrl ?? 'https://bench-org.awsapps.com/start'],
    accounts,
    permissionSets,
    users: [{ userName: opts.userName ?? 'demo-user', email: 'demo-user@example.invalid', assignments: accounts.map((a) => ({ accountId: a.id, permissionSets: names })) }],
  };
}
