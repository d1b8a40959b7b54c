// The port through which the core talks to AWS: types only. The core owns it; src/aws/gateway.ts
// implements it with the AWS SDK v3 (bundled separately into dist/aws.js and loaded on first use), and
// the tests implement it with fakes. Nothing in src/core imports from src/aws.

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Absent for long-term keys. */
  readonly expiration?: Date;
}

/** Where the first hop's credentials come from. */
export type BaseCredentialSource =
  /** The SDK's default provider chain (env, ini default, sso, process, container, IMDS). */
  | { readonly kind: 'default' }
  /** A named profile of the shared config/credentials files (must not itself be a role profile). */
  | { readonly kind: 'profile'; readonly profile: string }
  /** `credential_source = Environment`: the AWS_ACCESS_KEY_ID family of this process. */
  | { readonly kind: 'environment' }
  /** Credentials already in hand (a previous hop's session). */
  | { readonly kind: 'static'; readonly credentials: AwsCredentials };

export interface CallOptions {
  readonly region: string;
  /** Explicit endpoint from the roleSwitcher.endpointUrl setting; otherwise the SDK's own resolution. */
  readonly endpoint?: string;
  readonly credentials: BaseCredentialSource;
  /** Per-attempt request timeout. */
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
}

export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

export interface AssumeRoleParams {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds?: number;
  readonly externalId?: string;
  readonly serialNumber?: string;
  readonly tokenCode?: string;
  readonly sourceIdentity?: string;
}

export interface AssumeRoleOutput {
  readonly credentials: Required<Pick<AwsCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>> & { readonly expiration: Date };
  /** arn:aws:sts::<acct>:assumed-role/<RoleName>/<session> */
  readonly assumedRoleArn: string;
  readonly assumedRoleId: string;
}

/** sts:GetSessionToken: an MFA session for an IAM user (900 to 129600 s). */
export interface SessionTokenParams {
  readonly durationSeconds: number;
  readonly serialNumber: string;
  readonly tokenCode: string;
}

export interface SessionTokenOutput {
  readonly credentials: AssumeRoleOutput['credentials'];
}

export interface IamRoleSummary {
  readonly arn: string;
  readonly roleName: string;
  readonly path: string;
  readonly roleId: string;
  /** Already URL-decoded JSON text; absent if IAM did not return one. */
  readonly trustPolicy?: string;
  readonly maxSessionDuration?: number;
  readonly description?: string;
}

export interface SimulationResult {
  readonly resourceArn: string;
  /** 'allowed' | 'explicitDeny' | 'implicitDeny' as IAM returns them. */
  readonly decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
}

export interface OrgAccount {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
}

/**
 * Errors from the gateway are the SDK's own errors, untouched: `name` is the AWS error code
 * (AccessDenied, ExpiredToken, ...), `$metadata.httpStatusCode` is set, `$retryable` may be set.
 * core/errorText.ts turns them into words.
 */
export interface AwsGateway {
  getCallerIdentity(opts: CallOptions): Promise<CallerIdentity>;
  assumeRole(opts: CallOptions, params: AssumeRoleParams): Promise<AssumeRoleOutput>;
  /** An MFA session of the caller (an IAM user); its credentials then assume MFA roles without a code. */
  getSessionToken(opts: CallOptions, params: SessionTokenParams): Promise<SessionTokenOutput>;
  /** Pages of ListRoles (Marker / IsTruncated), trust policies decoded. */
  listRoles(opts: CallOptions, pageSize?: number): AsyncIterable<IamRoleSummary[]>;
  listAccountAliases(opts: CallOptions): Promise<string[]>;
  /** iam:SimulatePrincipalPolicy for sts:AssumeRole, batched over resource ARNs. */
  simulateAssumeRole(opts: CallOptions, policySourceArn: string, roleArns: readonly string[]): Promise<SimulationResult[]>;
  /** organizations:ListAccounts, all pages. */
  listAccounts(opts: CallOptions): AsyncIterable<OrgAccount[]>;
  /** Drop cached clients (settings changed, or switch back). */
  reset(): void;
  /** Builds and caches the STS client (and credential provider) for `opts`, sending nothing: the warm-up. */
  warm?(opts: CallOptions): void;
  /** Number of cached SDK clients (tests and the benchmark). */
  clientCount?(): number;
}
