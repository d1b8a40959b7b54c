/**
 * In-memory state built from a scenario: accounts, users, roles, long-term keys and issued sessions.
 */
import { randomBytes } from 'node:crypto';
import type { NamedPolicy } from './policy';
import { BUILTIN_AWS_MANAGED, type PolicyDocument, type ScenarioDoc, uniqueId } from './scenario';

export interface UserState {
  account: string;
  name: string;
  path: string;
  arn: string;
  userId: string;
  inline: Map<string, PolicyDocument>;
  attached: string[];
  mfa: Map<string, Set<string>>; // serial -> codes
  tags: Record<string, string>;
  createDate: string;
}

export interface RoleState {
  account: string;
  name: string;
  path: string;
  arn: string;
  roleId: string;
  description?: string;
  maxSessionDuration: number;
  createDate: string;
  trust: PolicyDocument;
  inline: Map<string, PolicyDocument>;
  attached: string[];
  tags: Record<string, string>;
}

export interface AccountState {
  id: string;
  /** 'aws' unless the scenario says 'aws-cn' or 'aws-us-gov'; used in every ARN of the account. */
  partition: string;
  alias?: string;
  name: string;
  email: string;
  managed: Map<string, PolicyDocument>; // policy ARN -> document
  users: Map<string, UserState>;
  roles: RoleState[]; // sorted by name
  rolesByArn: Map<string, RoleState>;
  rolesByName: Map<string, RoleState>;
}

export type LongTermKey = { kind: 'user'; secret: string; user: UserState } | { kind: 'root'; secret: string; account: AccountState };

export interface Session {
  kind: 'role' | 'session-token';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ms since epoch on the fake's clock */
  expiration: number;
  issuedAt: number;
  /** role sessions */
  role?: RoleState;
  sessionName?: string;
  /** GetSessionToken sessions (of a user or the root user) */
  user?: UserState;
  rootAccount?: AccountState;
  mfa: boolean;
  mfaAuthTime?: number;
  sourceIdentity?: string;
  sessionPolicies: NamedPolicy[];
  /**
   * Role sessions: AssumeRole set DurationSeconds while the caller signed with temporary credentials
   * (role chaining, an MFA session). The federation endpoint refuses these (test/fake-aws/federation.ts).
   */
  durationWithTemporarySigner?: boolean;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function randomKeyId(prefix: string): string {
  const b = randomBytes(16);
  let s = prefix;
  for (let i = 0; i < 16; i++) s += B32[b[i] % 32];
  return s;
}
export function randomSecret(): string {
  return randomBytes(30).toString('base64');
}
export function randomSessionToken(): string {
  return 'IQoJb3JpZ2luX2VjEFAKE' + randomBytes(420).toString('base64');
}

export function isoNoMillis(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function normPath(p: string | undefined): string {
  if (!p) return '/';
  let s = p.startsWith('/') ? p : '/' + p;
  if (!s.endsWith('/')) s += '/';
  return s;
}

export class FakeState {
  readonly accounts = new Map<string, AccountState>();
  readonly longTermKeys = new Map<string, LongTermKey>();
  readonly sessions = new Map<string, Session>();
  readonly awsManaged = new Map<string, PolicyDocument>();
  readonly issued: string[] = [];

  constructor(readonly doc: ScenarioDoc) {
    for (const [name, d] of Object.entries({ ...BUILTIN_AWS_MANAGED, ...(doc.awsManagedPolicies ?? {}) })) {
      this.awsManaged.set(`arn:aws:iam::aws:policy/${name}`, d);
    }
    for (const a of doc.accounts) {
      const acct: AccountState = {
        id: a.id,
        partition: a.partition ?? 'aws',
        alias: a.alias,
        name: a.name ?? a.alias ?? a.id,
        email: a.email ?? `aws+${a.id}@example.invalid`,
        managed: new Map(Object.entries(a.managedPolicies ?? {}).map(([n, d]) => [`arn:aws:iam::${a.id}:policy/${n}`, d])),
        users: new Map(),
        roles: [],
        rolesByArn: new Map(),
        rolesByName: new Map(),
      };
      this.accounts.set(a.id, acct);
      for (const k of a.rootAccessKeys ?? []) this.longTermKeys.set(k.accessKeyId, { kind: 'root', secret: k.secretAccessKey, account: acct });
      for (const u of a.users ?? []) {
        const path = normPath(u.path);
        const arn = `arn:${acct.partition}:iam::${a.id}:user${path}${u.name}`;
        const user: UserState = {
          account: a.id,
          name: u.name,
          path,
          arn,
          userId: u.userId ?? uniqueId('AIDA', arn),
          inline: new Map(Object.entries(u.inlinePolicies ?? {})),
          attached: [...(u.attachedPolicies ?? [])],
          mfa: new Map((u.mfaDevices ?? []).map((m) => [m.serialNumber, new Set(m.codes)])),
          tags: { ...(u.tags ?? {}) },
          createDate: u.createDate ?? '2025-01-01T00:00:00Z',
        };
        acct.users.set(u.name, user);
        for (const k of u.accessKeys ?? []) this.longTermKeys.set(k.accessKeyId, { kind: 'user', secret: k.secretAccessKey, user });
      }
      for (const r of a.roles ?? []) {
        const path = normPath(r.path);
        const arn = `arn:${acct.partition}:iam::${a.id}:role${path}${r.name}`;
        const role: RoleState = {
          account: a.id,
          name: r.name,
          path,
          arn,
          roleId: r.roleId ?? uniqueId('AROA', arn),
          description: r.description,
          maxSessionDuration: r.maxSessionDuration ?? 3600,
          createDate: r.createDate ?? '2025-01-01T00:00:00Z',
          trust: r.trustPolicy,
          inline: new Map(Object.entries(r.inlinePolicies ?? {})),
          attached: [...(r.attachedPolicies ?? [])],
          tags: { ...(r.tags ?? {}) },
        };
        acct.roles.push(role);
        acct.rolesByArn.set(arn, role);
        acct.rolesByName.set(r.name, role);
      }
      acct.roles.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    }
  }

  findUser(name: string): UserState | undefined {
    for (const a of this.accounts.values()) {
      const u = a.users.get(name);
      if (u) return u;
    }
    return undefined;
  }

  findRoleByArn(arn: string): RoleState | undefined {
    const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(arn);
    return m ? this.accounts.get(m[1])?.rolesByArn.get(arn) : undefined;
  }

  resolveManaged(arn: string): PolicyDocument | undefined {
    if (this.awsManaged.has(arn)) return this.awsManaged.get(arn);
    const m = /^arn:aws:iam::(\d{12}):policy\//.exec(arn);
    return m ? this.accounts.get(m[1])?.managed.get(arn) : undefined;
  }

  identityPolicies(of: UserState | RoleState): NamedPolicy[] {
    const out: NamedPolicy[] = [];
    for (const [name, document] of of.inline) out.push({ id: name, type: 'IAM Policy', document });
    for (const arn of of.attached) {
      const document = this.resolveManaged(arn);
      if (document) out.push({ id: arn, type: 'IAM Policy', document });
    }
    return out;
  }

  recordIssued(...secrets: string[]): void {
    this.issued.push(...secrets);
  }
}
