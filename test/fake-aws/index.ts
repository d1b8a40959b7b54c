/**
 * Public API of the local fake AWS (STS + IAM + Organizations over real wire protocols).
 * See ./README.md. Never imports from src/: it is an independent oracle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type CallRecord, type FaultSpec, FakeAwsServer } from './server';
import type { ScenarioDoc } from './scenario';
import type { FakeIdentityCenter } from './sso';

export type { FaultSpec, FaultKind, CallRecord } from './server';
export type { ScenarioDoc, AccountDoc, UserDoc, RoleDoc, PolicyDocument, OrganizationDoc, MfaDeviceDoc, AccessKeyDoc } from './scenario';
export { generateScenario, DEFAULT_SCENARIO_PATH, loadScenario } from './scenario';
export type { FakeIdentityCenter, SsoLoadSpec, PendingAuthorization, SsoService } from './sso';
export type { IdentityCenterDoc, PermissionSetDoc, SsoUserDoc, SsoAccountDoc, SsoAssignmentDoc } from './ssoScenario';
export { generateIdentityCenter, ssoRoleName, SSO_ROLE_PATH } from './ssoScenario';

/** The demo organization of seeds.json in IAM Identity Center. */
export const DEMO_SSO = { startUrl: 'https://demo-org.awsapps.com/start', region: 'us-east-1', user: 'demo-user', sessionName: 'demo' } as const;

export interface StartOptions {
  /** 0 = a free port (default) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** a scenario file path or document; default test/fake-aws/scenarios/seeds.json */
  scenario?: string | ScenarioDoc;
  /** default true for the library: set false to log one line per request to stderr */
  quiet?: boolean;
}

export interface FakeAws {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
  userKeys(userName: string): { accessKeyId: string; secretAccessKey: string };
  putUserPolicy(userName: string, policyName: string, document: object): void;
  deleteUserPolicy(userName: string, policyName: string): void;
  setIssuedCredentialLifetime(seconds: number | null): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  setClockSkew(ms: number): void;
  issuedSecrets(): string[];
  readonly calls: ReadonlyArray<CallRecord>;
  /** IAM Identity Center: approve/deny device codes, revoke tokens, remove assignments, throttling/latency, clock (./sso.ts). */
  readonly sso: FakeIdentityCenter;
}

export async function startFakeAws(opts: StartOptions = {}): Promise<FakeAws> {
  const server = new FakeAwsServer(opts);
  await server.listen();
  const api: FakeAws = {
    get endpoint() {
      return server.endpoint;
    },
    get port() {
      return server.port;
    },
    close: () => server.close(),
    userKeys: (u) => server.userKeys(u),
    putUserPolicy: (u, n, d) => server.putUserPolicy(u, n, d),
    deleteUserPolicy: (u, n) => server.deleteUserPolicy(u, n),
    setIssuedCredentialLifetime: (s) => server.setIssuedCredentialLifetime(s),
    injectFault: (f) => server.injectFault(f),
    clearFaults: () => server.clearFaults(),
    setClockSkew: (ms) => server.setClockSkew(ms),
    issuedSecrets: () => server.issuedSecrets(),
    get calls() {
      return server.calls;
    },
    sso: server.sso,
  };
  return api;
}

/** The profiles the E2E suite clicks; names matter. */
export const AWS_HOME_PROFILES: ReadonlyArray<{ name: string; lines: string[] }> = [
  { name: 's3-Full-Access', lines: ['role_arn = arn:aws:iam::111111111111:role/s3-Full-Access', 'source_profile = default'] },
  { name: 'mfa-admin', lines: ['role_arn = arn:aws:iam::111111111111:role/mfa-admin', 'source_profile = default', 'mfa_serial = arn:aws:iam::111111111111:mfa/test-user'] },
  { name: 'partner-access', lines: ['role_arn = arn:aws:iam::111111111111:role/partner-access', 'source_profile = default', 'external_id = demo-external-id'] },
  { name: 'cross-account-readonly', lines: ['role_arn = arn:aws:iam::222222222222:role/cross-account-readonly', 'source_profile = default'] },
  { name: 'chained-deploy', lines: ['role_arn = arn:aws:iam::222222222222:role/chained-deploy', 'source_profile = s3-Full-Access'] },
  { name: 'team-path-role', lines: ['role_arn = arn:aws:iam::111111111111:role/team/path-role', 'source_profile = default'] },
];

/**
 * Write `<dir>/.aws/credentials` ([default] = the user's long-term keys, test-user unless opts.user) and
 * `<dir>/.aws/config` ([default] region us-east-1 plus the scenario profiles). Returns the env a child
 * process needs to use them against the fake.
 */
export function writeAwsHome(dir: string, fake: FakeAws, opts: { user?: string; sso?: boolean } = {}): {
  home: string;
  configFile: string;
  credentialsFile: string;
  env: Record<string, string>;
} {
  const home = path.resolve(dir);
  const awsDir = path.join(home, '.aws');
  mkdirSync(awsDir, { recursive: true });
  const keys = fake.userKeys(opts.user ?? 'test-user');
  const credentialsFile = path.join(awsDir, 'credentials');
  const configFile = path.join(awsDir, 'config');
  writeFileSync(credentialsFile, `[default]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`, { mode: 0o600 });
  const config = ['[default]', 'region = us-east-1', ''];
  for (const p of AWS_HOME_PROFILES) config.push(`[profile ${p.name}]`, ...p.lines, 'region = us-east-1', '');
  if (opts.sso) config.push(...SSO_CONFIG_LINES);
  writeFileSync(configFile, config.join('\n'), { mode: 0o600 });
  return {
    home,
    configFile,
    credentialsFile,
    env: {
      HOME: home,
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_ENDPOINT_URL: fake.endpoint,
      AWS_REGION: 'us-east-1',
    },
  };
}

/**
 * `writeAwsHome(dir, fake, { sso: true })` adds these: the demo organization's `[sso-session demo]` and
 * profiles that use it (a permission set, and a role chained from it).
 */
export const SSO_CONFIG_LINES: readonly string[] = [
  `[sso-session ${DEMO_SSO.sessionName}]`,
  `sso_start_url = ${DEMO_SSO.startUrl}`,
  `sso_region = ${DEMO_SSO.region}`,
  'sso_registration_scopes = sso:account:access',
  '',
  '[profile staging-admin]',
  `sso_session = ${DEMO_SSO.sessionName}`,
  'sso_account_id = 400000000002',
  'sso_role_name = AdministratorAccess',
  'region = us-east-1',
  '',
  '[profile staging-deploy]',
  'role_arn = arn:aws:iam::400000000002:role/deploy',
  'source_profile = staging-admin',
  'region = us-east-1',
  '',
];
