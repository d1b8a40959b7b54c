// An in-memory STS for switcher and renewal tests: records every call, answers from a script.
import type { AssumeRoleParams, AwsGateway, CallOptions, SessionTokenParams } from '../../src/core/gateway';

/** An in-memory STS: records calls, answers from a script. */
export class FakeGateway implements Partial<AwsGateway> {
  calls: Array<{ op: string; creds: CallOptions['credentials']; params?: AssumeRoleParams; token?: SessionTokenParams }> = [];
  failNext: Error[] = [];
  failures: unknown[] = [];
  hold: Promise<void> | undefined;
  n = 0;
  callerArn = 'arn:aws:iam::111111111111:user/test-user';
  mfaCredentials: Array<{ accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date }> = [];
  now: () => number = Date.now;
  /** Seconds every AssumeRole session lasts, whatever was asked (a fake issuing short sessions). */
  durationOverride: number | undefined;
  async getCallerIdentity(o: CallOptions) {
    this.calls.push({ op: 'GetCallerIdentity', creds: o.credentials });
    return { arn: this.callerArn, account: '111111111111', userId: 'AIDA' };
  }
  async getSessionToken(o: CallOptions, token: SessionTokenParams) {
    this.calls.push({ op: 'GetSessionToken', creds: o.credentials, token });
    const i = this.mfaCredentials.length + 1;
    const c = { accessKeyId: `ASIAMFA${String(i).padStart(13, '0')}`, secretAccessKey: `mfa-secret-${i}`.padEnd(40, 'm'), sessionToken: `mfa-token-${i}`.padEnd(100, 'm'), expiration: new Date(this.now() + token.durationSeconds * 1000) };
    this.mfaCredentials.push(c);
    return { credentials: c };
  }
  async assumeRole(o: CallOptions, params: AssumeRoleParams) {
    this.calls.push({ op: 'AssumeRole', creds: o.credentials, params });
    if (this.hold) await this.hold;
    if (o.abortSignal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    const f = this.failNext.shift();
    if (f) {
      this.failures.push(f);
      throw f;
    }
    const i = ++this.n;
    const name = params.roleArn.split('/').pop();
    return {
      credentials: { accessKeyId: `ASIA${String(i).padStart(16, '0')}`, secretAccessKey: `secret-${i}`.padEnd(40, 's'), sessionToken: `token-${i}`.padEnd(120, 't'), expiration: new Date(this.now() + (this.durationOverride ?? params.durationSeconds ?? 3600) * 1000) },
      assumedRoleArn: `arn:aws:sts::${params.roleArn.split(':')[4]}:assumed-role/${name}/${params.roleSessionName}`,
      assumedRoleId: `AROA:${params.roleSessionName}`,
    };
  }
}


/** An in-memory sso:GetRoleCredentials for SwitcherDeps.ssoCredentials: records calls, answers from a script. */
export class FakeSsoCredentials {
  calls: Array<{ portalId: string; accountId: string; roleName: string }> = [];
  failNext: Error[] = [];
  /** Replaces the next answers as they are (malformed-answer tests). */
  answerNext: unknown[] = [];
  n = 0;
  now: () => number = Date.now;
  readonly get = async (ref: { portalId: string; accountId: string; roleName: string }) => {
    this.calls.push({ portalId: ref.portalId, accountId: ref.accountId, roleName: ref.roleName });
    const f = this.failNext.shift();
    if (f) throw f;
    if (this.answerNext.length) return this.answerNext.shift() as never;
    const i = ++this.n;
    return { accessKeyId: `ASIASSO${String(i).padStart(13, '0')}`, secretAccessKey: `sso-secret-${i}`.padEnd(40, 'x'), sessionToken: `sso-token-${i}`.padEnd(100, 'x'), expiration: new Date(this.now() + 3600_000) };
  };
}
