import { strict as assert } from 'node:assert';
import { askMfaCode, RENEW_WITH_MFA } from '../../src/host/prompts';
import { fake } from '../helpers/vscode';

const hop = { index: 0, count: 1, roleArn: 'arn:aws:iam::111111111111:role/mfa-admin', profile: 'mfa-admin' };

describe('askMfaCode', () => {
  beforeEach(() => fake.reset());

  it('asks for a code right away when assuming', async () => {
    fake.inputs.push('123456');
    assert.equal(await askMfaCode('arn:aws:iam::111111111111:mfa/test-user', hop), '123456');
    assert.deepEqual(fake.messages, []);
  });

  it('for a renewal, first says how long is left; ignoring it asks for nothing and renews nothing', async () => {
    fake.inputs.push('123456');
    assert.equal(await askMfaCode('arn:aws:iam::111111111111:mfa/test-user', hop, { remainingMs: 4 * 60_000 }), undefined);
    assert.deepEqual(fake.messages.map((m) => [m.level, m.text, m.items]), [
      ['warning', 'Your AWS session for mfa-admin ends in 4 minutes. Enter an MFA code to renew it, or let it end.', [RENEW_WITH_MFA]],
    ]);
    assert.deepEqual(fake.inputs, ['123456'], 'no input box was shown');
  });

  it('for a renewal, the button leads to the code prompt', async () => {
    fake.nextMessageChoice = RENEW_WITH_MFA;
    fake.inputs.push(' 654321 ');
    assert.equal(await askMfaCode('arn:aws:iam::111111111111:mfa/test-user', hop, { remainingMs: 60_000 }), '654321');
  });
});
