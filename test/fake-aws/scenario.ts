/**
 * Scenario documents: the state the fake AWS starts from (accounts, users, keys, MFA devices, roles,
 * policies, organization). The format is documented in ./README.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { prng } from '../helpers/prng';
import { type IdentityCenterDoc, generateIdentityCenter, validateIdentityCenter } from './ssoScenario';

export type PolicyDocument = Record<string, unknown>;

export interface AccessKeyDoc {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface MfaDeviceDoc {
  /** arn:aws:iam::<acct>:mfa/<name> */
  serialNumber: string;
  /** One-time codes the fake accepts for this device (6 digits each). */
  codes: string[];
}

export interface UserDoc {
  name: string;
  path?: string;
  /** AIDA… unique id; derived from the ARN when omitted. */
  userId?: string;
  accessKeys?: AccessKeyDoc[];
  /** policy name -> policy document */
  inlinePolicies?: Record<string, PolicyDocument>;
  /** managed policy ARNs (account `managedPolicies` or `awsManagedPolicies`) */
  attachedPolicies?: string[];
  mfaDevices?: MfaDeviceDoc[];
  tags?: Record<string, string>;
  createDate?: string;
}

export interface RoleDoc {
  name: string;
  path?: string;
  /** AROA… unique id; derived from the ARN when omitted. */
  roleId?: string;
  description?: string;
  /** 3600..43200, default 3600 */
  maxSessionDuration?: number;
  createDate?: string;
  /** The trust policy (AssumeRolePolicyDocument). */
  trustPolicy: PolicyDocument;
  inlinePolicies?: Record<string, PolicyDocument>;
  attachedPolicies?: string[];
  tags?: Record<string, string>;
}

export interface AccountDoc {
  id: string;
  /** 'aws' (default), 'aws-cn' or 'aws-us-gov': the partition in the account's ARNs. */
  partition?: string;
  alias?: string;
  /** Organizations account name */
  name?: string;
  email?: string;
  /** Long-term keys of the account root user (it can never assume roles). */
  rootAccessKeys?: AccessKeyDoc[];
  /** customer managed policies: name -> document; ARN arn:aws:iam::<id>:policy/<name> */
  managedPolicies?: Record<string, PolicyDocument>;
  users?: UserDoc[];
  roles?: RoleDoc[];
}

export interface OrganizationDoc {
  id: string;
  managementAccountId: string;
  /** Accounts listed by ListAccounts; defaults to every scenario account. */
  accountIds?: string[];
}

export interface ScenarioDoc {
  description?: string;
  accounts: AccountDoc[];
  organization?: OrganizationDoc;
  /** AWS managed policies: name -> document; ARN arn:aws:iam::aws:policy/<name>. A few are built in. */
  awsManagedPolicies?: Record<string, PolicyDocument>;
  /** IAM Identity Center instance(s): start URLs, accounts, permission sets, users (./ssoScenario.ts). */
  identityCenter?: IdentityCenterDoc | IdentityCenterDoc[];
}

export const BUILTIN_AWS_MANAGED: Record<string, PolicyDocument> = {
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  AmazonS3FullAccess: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }],
  },
  ReadOnlyAccess: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'organizations:List*', 'organizations:Describe*', 's3:Get*', 's3:List*'], Resource: '*' }],
  },
};

export const DEFAULT_SCENARIO_PATH = path.join(__dirname, 'scenarios', 'seeds.json');

export function loadScenario(src: string | ScenarioDoc | undefined): ScenarioDoc {
  if (src === undefined) src = DEFAULT_SCENARIO_PATH;
  const doc: ScenarioDoc = typeof src === 'string' ? (JSON.parse(readFileSync(src, 'utf8')) as ScenarioDoc) : structuredClone(src);
  validateScenario(doc);
  return doc;
}

export function validateScenario(doc: ScenarioDoc): void {
  if (!doc || !Array.isArray(doc.accounts)) throw new Error('scenario: "accounts" must be an array');
  const keys = new Set<string>();
  for (const a of doc.accounts) {
    if (!/^\d{12}$/.test(a.id)) throw new Error(`scenario: bad account id ${a.id}`);
    const allKeys = [...(a.rootAccessKeys ?? []), ...(a.users ?? []).flatMap((u) => u.accessKeys ?? [])];
    for (const k of allKeys) {
      if (!/^AKIA[A-Z0-9]{12,124}$/.test(k.accessKeyId)) throw new Error(`scenario: access key ${k.accessKeyId} must start with AKIA`);
      if (keys.has(k.accessKeyId)) throw new Error(`scenario: duplicate access key ${k.accessKeyId}`);
      keys.add(k.accessKeyId);
    }
    for (const r of a.roles ?? []) {
      if (!r.name || !r.trustPolicy) throw new Error(`scenario: role in ${a.id} needs name and trustPolicy`);
      const max = r.maxSessionDuration ?? 3600;
      if (max < 3600 || max > 43200) throw new Error(`scenario: role ${r.name} maxSessionDuration out of 3600..43200`);
    }
  }
  validateIdentityCenter(doc);
}

/** Deterministic IAM-style unique id: prefix + 17 chars of [A-Z2-7]. */
export function uniqueId(prefix: string, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const h = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < 17; i++) s += alphabet[h[i] % 32];
  return prefix + s;
}

/**
 * A large scenario for benchmarks and pagination tests: the seeds users, keys, MFA device and organization
 * (same as seeds.json) and exactly `roles` roles in total: the 10 seeds roles (kept when roles >= 10, so the
 * seeds profiles still work) plus generated `gen-<kind>-NNNNN` roles spread over 111111111111 (about 70 %)
 * and 222222222222, with mixed principals (root, account id, user ARNs, `*`, Service), conditions (MFA,
 * ExternalId, aws:PrincipalArn, aws:PrincipalAccount), explicit Deny and paths. Deterministic per seed.
 */
export function generateScenario(opts: { roles: number; seed?: number; identityCenter?: { accounts: number; permissionSets?: number } }): ScenarioDoc {
  const base = loadScenario(DEFAULT_SCENARIO_PATH);
  const rand = prng(opts.seed ?? 42);
  const acctA = base.accounts.find((a) => a.id === '111111111111')!;
  const acctB = base.accounts.find((a) => a.id === '222222222222')!;
  // Keep the seeds roles (so the seeds profiles still work) when they fit; generate the rest.
  const seedCount = (acctA.roles?.length ?? 0) + (acctB.roles?.length ?? 0);
  const keepSeeds = opts.roles >= seedCount;
  if (!keepSeeds) {
    acctA.roles = [];
    acctB.roles = [];
  }
  acctA.roles ??= [];
  acctB.roles ??= [];
  const toGenerate = keepSeeds ? opts.roles - seedCount : opts.roles;
  const paths = ['/', '/', '/', '/team/', '/apps/payments/', '/ops/'];
  const kinds = ['root', 'user', 'mfa', 'external', 'service', 'other-user', 'principal-arn', 'account-id', 'deny-user', 'wildcard'];
  const user = 'arn:aws:iam::111111111111:user/test-user';
  for (let i = 0; i < toGenerate; i++) {
    const inA = rand() < 0.7;
    const roles = inA ? acctA.roles : acctB.roles;
    const kind = kinds[Math.floor(rand() * kinds.length)];
    const rolePath = paths[Math.floor(rand() * paths.length)];
    const name = `gen-${kind}-${String(i).padStart(5, '0')}`;
    const root = 'arn:aws:iam::111111111111:root';
    let statement: Record<string, unknown>[];
    switch (kind) {
      case 'root': statement = [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole' }]; break;
      case 'user': statement = [{ Effect: 'Allow', Principal: { AWS: [user, 'arn:aws:iam::111111111111:user/limited-user'] }, Action: 'sts:AssumeRole' }]; break;
      case 'mfa': statement = [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]; break;
      case 'external': statement = [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': `ext-${i}` } } }]; break;
      case 'service': statement = [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]; break;
      case 'other-user': statement = [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:user/someone-else' }, Action: 'sts:AssumeRole' }]; break;
      case 'principal-arn': statement = [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/test-*' } } }]; break;
      case 'account-id': statement = [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]; break;
      case 'deny-user': statement = [
        { Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { AWS: user }, Action: 'sts:AssumeRole' },
      ]; break;
      default: statement = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } } }];
    }
    roles.push({
      name,
      path: rolePath,
      description: `generated ${kind} role ${i}`,
      maxSessionDuration: rand() < 0.2 ? 43200 : 3600,
      createDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      trustPolicy: { Version: '2012-10-17', Statement: statement.length === 1 ? statement[0] : statement },
    });
  }
  // identityCenter: replaces the seeds organization in Identity Center with a generated one (start URL https://bench-org.awsapps.com/start).
  if (opts.identityCenter) base.identityCenter = generateIdentityCenter(opts.identityCenter);
  base.description = `generated: ${opts.roles} roles, seed ${opts.seed ?? 42}`;
  return base;
}
