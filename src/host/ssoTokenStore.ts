// IAM Identity Center tokens in VS Code's SecretStorage: one secret per portal id, the SsoTokenRecord as
// JSON with its dates revived on read. This is the only place a token is kept by the extension (never a
// setting, globalState, a log or a file; the AWS CLI cache is written only by the core's opt-in setting).
import type { SsoTokenRecord, SsoTokenStore } from '../core/ssoTypes';

/** The part of vscode.SecretStorage this store uses (tests pass a Map-backed fake). */
export interface SecretsLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** The SecretStorage key of a portal's record. */
export function ssoSecretKey(portalId: string): string {
  return `roleSwitcher.sso.token:${portalId}`;
}

export class SecretSsoTokenStore implements SsoTokenStore {
  constructor(
    private readonly secrets: SecretsLike,
    /** Told (without contents) when a stored record could not be read and was dropped. */
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async get(portalId: string): Promise<SsoTokenRecord | undefined> {
    const text = await this.secrets.get(ssoSecretKey(portalId));
    if (!text) return undefined;
    const record = reviveRecord(text, portalId);
    if (!record) {
      this.log(`the stored IAM Identity Center sign-in for ${portalId} was unreadable and was removed`);
      await this.secrets.delete(ssoSecretKey(portalId));
    }
    return record;
  }

  async set(record: SsoTokenRecord): Promise<void> {
    await this.secrets.store(ssoSecretKey(record.portalId), JSON.stringify(record));
  }

  async delete(portalId: string): Promise<void> {
    await this.secrets.delete(ssoSecretKey(portalId));
  }
}

/** Parses a stored record; anything malformed (or for another portal) is undefined. */
export function reviveRecord(text: string, portalId: string): SsoTokenRecord | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || raw.portalId !== portalId) return undefined;
  if (typeof raw.accessToken !== 'string' || !raw.accessToken || typeof raw.startUrl !== 'string' || typeof raw.region !== 'string') return undefined;
  const expiresAt = toDate(raw.expiresAt);
  if (!expiresAt) return undefined;
  const origin = raw.origin === 'cliCache' ? 'cliCache' : 'signIn';
  let registration: SsoTokenRecord['registration'];
  const reg = raw.registration as Record<string, unknown> | undefined;
  if (reg && typeof reg === 'object' && typeof reg.clientId === 'string' && typeof reg.clientSecret === 'string') {
    const regExpires = toDate(reg.expiresAt);
    if (regExpires) {
      registration = {
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        expiresAt: regExpires,
        ...(Array.isArray(reg.scopes) ? { scopes: reg.scopes.filter((s): s is string => typeof s === 'string') } : {}),
      };
    }
  }
  return {
    portalId,
    startUrl: raw.startUrl,
    region: raw.region,
    accessToken: raw.accessToken,
    expiresAt,
    ...(typeof raw.refreshToken === 'string' && raw.refreshToken ? { refreshToken: raw.refreshToken } : {}),
    ...(registration ? { registration } : {}),
    origin,
  };
}

function toDate(v: unknown): Date | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
