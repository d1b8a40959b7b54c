// Shared shapes of the pure core. No vscode, no SDK runtime.

export type RoleOrigin = 'profile' | 'settings' | 'discovered' | 'organization';

/** One `sts:AssumeRole` step of a switch. */
export interface AssumeHop {
  readonly roleArn: string;
  /** Profile this hop comes from, for messages ("hop 2 of 3, profile 'deploy'"). */
  readonly profile?: string;
  readonly externalId?: string;
  readonly mfaSerial?: string;
  readonly durationSeconds?: number;
  readonly roleSessionName?: string;
}

/** Where the first hop gets its credentials. Mirrors gateway.ts BaseCredentialSource without static keys. */
export type BaseSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'profile'; readonly profile: string }
  | { readonly kind: 'environment' };

export interface RoleDefinition {
  /** Stable id: `profile:<name>`, `settings:<arn>`, `discovered:<arn>`, `org:<arn>`. */
  readonly id: string;
  readonly origin: RoleOrigin;
  readonly label: string;
  readonly roleArn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly roleName: string;
  readonly region?: string;
  readonly color?: string;
  /** The hops to assume, in order; the last one is this role. */
  readonly hops: readonly AssumeHop[];
  readonly base: BaseSource;
  /** Set by discovery (issue 5). */
  readonly verdict?: Verdict;
  /** Profile name, when origin is 'profile'. */
  readonly profile?: string;
  /** Account display name, when known (organization candidates carry the Organizations account name). */
  readonly accountName?: string;
}

export type VerdictKind = 'assumable' | 'needsMfa' | 'needsExternalId' | 'notTrusted' | 'unknown' | 'unverified';

export interface Verdict {
  readonly kind: VerdictKind;
  /** One sentence that names the statement that decided it. */
  readonly reason: string;
}

/** An active assumed-role session. Secrets live only here, in memory. */
export interface Session {
  readonly role: RoleDefinition;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly assumedRoleArn: string;
  readonly sessionName: string;
  /** The identity that made the last hop's call (ARN). */
  readonly sourceIdentityArn: string;
  readonly region?: string;
  readonly accountAlias?: string;
}
