import { strict as assert } from 'node:assert';
import { translateError } from '../../src/core/errorText';
import { CancelledError, ConfigError } from '../../src/core/errors';

const awsError = (name: string, message = '', status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts: 3 } });
const ctx = { roleLabel: 's3-Full-Access', roleArn: 'arn:aws:iam::111111111111:role/s3-Full-Access', callerArn: 'arn:aws:iam::111111111111:user/test-user' };

describe('translateError', () => {
  it('names both conditions for AccessDenied', () => {
    const t = translateError(awsError('AccessDenied', `User: ${ctx.callerArn} is not authorized to perform: sts:AssumeRole on resource: ${ctx.roleArn}`, 403), ctx)!;
    assert.equal(t.kind, 'accessDenied');
    assert.match(t.message, /sts:AssumeRole on arn:aws:iam::111111111111:role\/s3-Full-Access by an IAM policy/);
    assert.match(t.message, /trust policy must name you or your account/);
    assert.match(t.message, /arn:aws:iam::111111111111:user\/test-user/);
    assert.deepEqual(t.actions, ['explain', 'copyCallerArn']);
  });

  it('says which condition is likely missing when the trust policy is known', () => {
    assert.match(translateError(awsError('AccessDenied'), { ...ctx, trustVerdict: 'notTrusted' })!.message, /Likely missing: \(2\)/);
    assert.match(translateError(awsError('AccessDenied'), { ...ctx, trustVerdict: 'delegates' })!.message, /Likely missing: \(1\)/);
  });

  it('recognizes a wrong MFA code', () => {
    const t = translateError(awsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403), ctx)!;
    assert.equal(t.kind, 'mfa');
    assert.match(t.message, /MFA code was not accepted/);
  });

  it('explains expired base credentials with the login flow', () => {
    const t = translateError(awsError('ExpiredToken', 'The security token included in the request is expired'), { ...ctx, baseProfile: 'corp', baseIsSso: true })!;
    assert.equal(t.kind, 'expiredBase');
    assert.match(t.message, /your base credentials have expired/);
    assert.match(t.message, /aws sso login --profile corp/);
  });

  it('names the failing hop of a chain', () => {
    const t = translateError(awsError('AccessDenied'), { ...ctx, hop: { index: 1, count: 2, profile: 'chained-deploy', roleArn: 'arn:aws:iam::222222222222:role/chained-deploy' } })!;
    assert.match(t.message, /at hop 2 of 2 \(profile "chained-deploy", arn:aws:iam::222222222222:role\/chained-deploy\)/);
  });

  it('distinguishes throttling, network, timeouts, server errors and bad responses', () => {
    assert.equal(translateError(awsError('Throttling', 'Rate exceeded'))!.kind, 'throttled');
    assert.equal(translateError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))!.kind, 'network');
    assert.equal(translateError(Object.assign(new Error('no answer within 10 s'), { name: 'TimeoutError' }))!.kind, 'timeout');
    assert.equal(translateError(awsError('InternalFailure', 'boom', 500))!.kind, 'server');
    assert.equal(translateError(awsError('ServiceUnavailable', '', 503))!.kind, 'server');
    assert.equal(translateError(awsError('MalformedResponse', 'no creds', 200))!.kind, 'malformed');
    assert.equal(translateError(awsError('RegionDisabledException', 'STS is not activated', 403), { region: 'ap-east-1' })!.kind, 'regionDisabled');
    assert.equal(translateError(awsError('InvalidClientTokenId', '', 403))!.kind, 'invalidKey');
  });

  it('is silent for cancellation', () => {
    assert.equal(translateError(new CancelledError()), undefined);
  });

  it('passes config errors through with their file and line', () => {
    const t = translateError(new ConfigError('bad', { file: '/h/.aws/config', line: 3 }), ctx)!;
    assert.equal(t.kind, 'config');
    assert.match(t.message, /line 3/);
    assert.deepEqual(t.actions, ['openConfig']);
  });
});
