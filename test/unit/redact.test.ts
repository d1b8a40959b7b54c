import { strict as assert } from 'node:assert';
import { Redactor, redactShapes, REDACTION_MARK } from '../../src/core/redact';

describe('redaction', () => {
  it('removes secret-key-shaped and token-shaped strings', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = 'IQoJb3JpZ2luX2VjE' + 'A'.repeat(300);
    const out = redactShapes(`key ${secret} token ${token}.`);
    assert.ok(!out.includes(secret));
    assert.ok(!out.includes(token));
    assert.equal(out, `key ${REDACTION_MARK} token ${REDACTION_MARK}.`);
  });

  it('keeps only a hint of access key ids', () => {
    assert.equal(redactShapes('AKIAIOSFODNN7EXAMPLE'), 'AKIA…MPLE');
  });

  it('removes key=value secrets', () => {
    assert.equal(redactShapes('aws_secret_access_key = abc123'), `aws_secret_access_key = ${REDACTION_MARK}`);
    assert.equal(redactShapes('"SessionToken":"short"'), `"SessionToken":"${REDACTION_MARK}"`);
  });

  it('keeps ARNs, messages and paths intact', () => {
    const text = 'User: arn:aws:iam::111111111111:user/test-user is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/s3-Full-Access';
    assert.equal(redactShapes(text), text);
    assert.equal(redactShapes('/home/user/.aws/config line 12'), '/home/user/.aws/config line 12');
  });

  it('removes known live values of any shape', () => {
    const r = new Redactor();
    r.add('123456', 'short-secret');
    assert.equal(r.redact('code 123456 and short-secret'), `code ${REDACTION_MARK} and ${REDACTION_MARK}`);
    r.clear();
    assert.equal(r.redact('code 123456'), 'code 123456');
  });
});

describe('Redactor bounds', () => {
  it('escapes regex characters in known values', () => {
    const r = new Redactor();
    r.add('a+b(c)*[d]');
    assert.equal(r.redact('x a+b(c)*[d] y'), `x ${REDACTION_MARK} y`);
  });

  it('forgets the oldest values past its capacity', () => {
    const r = new Redactor(2);
    r.add('first-secret', 'second-secret', 'third-secret');
    assert.equal(r.redact('first-secret'), 'first-secret');
    assert.equal(r.redact('third-secret second-secret'), `${REDACTION_MARK} ${REDACTION_MARK}`);
  });

  it('prefers the longest overlapping value', () => {
    const r = new Redactor();
    r.add('abcd', 'abcdefgh');
    assert.equal(r.redact('abcdefgh'), REDACTION_MARK);
  });
});

describe('Redactor on the switch path', () => {
  it('finds a 40-character secret key wherever the run starts, and leaves 39 characters alone', () => {
    const key = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    for (const [pre, post] of [['', ''], ['é ', ' ü'], ['expires 2026-01-01T00:00:00Z ', '.'], ['a:b,', ';']]) {
      assert.equal(redactShapes(`${pre}${key}${post}`), `${pre}${REDACTION_MARK}${post}`);
    }
    assert.equal(redactShapes(`id ${key.slice(1)} end`), `id ${key.slice(1)} end`);
  });

  it('redacts every value still remembered after many adds, in every line', () => {
    const r = new Redactor(4);
    for (let i = 0; i < 50; i++) r.add(`secret-${i}-a`, `token-${i}-bb`);
    assert.equal(r.redact('secret-49-a token-49-bb secret-48-a token-48-bb'), `${REDACTION_MARK} ${REDACTION_MARK} ${REDACTION_MARK} ${REDACTION_MARK}`);
    r.add('secret-48-a');
    r.add('fresh-value');
    assert.equal(r.redact('secret-48-a fresh-value token-48-bb'), `${REDACTION_MARK} ${REDACTION_MARK} token-48-bb`);
    r.remove('fresh-value');
    assert.equal(r.redact('fresh-value'), 'fresh-value');
  });
});
