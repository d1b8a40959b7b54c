import { strict as assert } from 'node:assert';
import { computeTerminalEnv, credentialProcessCommand, exportLines, SHIM_PROFILE } from '../../src/core/terminalEnv';
import { session } from '../helpers/builders';

const shim = { configFile: '/tmp/rs/config', credentialProcess: 'env ELECTRON_RUN_AS_NODE=1 "/n" "/s.js"' };

describe('computeTerminalEnv', () => {
  it('is empty without a session', () => {
    assert.deepEqual(computeTerminalEnv(undefined, { inherited: {} }), { variables: [], description: '' });
  });

  it('sets the three key variables and the expiration, plus region when known', () => {
    const s = session({ region: 'eu-west-1' });
    const plan = computeTerminalEnv(s, { inherited: {}, shim });
    assert.deepEqual(plan.variables, [
      ['AWS_ACCESS_KEY_ID', s.accessKeyId],
      ['AWS_SECRET_ACCESS_KEY', s.secretAccessKey],
      ['AWS_SESSION_TOKEN', s.sessionToken],
      ['AWS_CREDENTIAL_EXPIRATION', s.expiration.toISOString()],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ]);
    assert.equal(plan.shimConfig, undefined);
  });

  it('overrides an inherited AWS_PROFILE with the secret-free shim profile', () => {
    const s = session();
    const plan = computeTerminalEnv(s, { inherited: { AWS_PROFILE: 'dev' }, shim });
    const vars = Object.fromEntries(plan.variables);
    assert.equal(vars.AWS_PROFILE, SHIM_PROFILE);
    assert.equal(vars.AWS_CONFIG_FILE, '/tmp/rs/config');
    assert.ok(plan.shimConfig?.includes(`[profile ${SHIM_PROFILE}]`));
    assert.ok(plan.shimConfig?.includes('credential_process = env ELECTRON_RUN_AS_NODE=1'));
    assert.ok(!plan.shimConfig?.includes(s.secretAccessKey));
    assert.ok(!plan.shimConfig?.includes(s.sessionToken));
  });

  it('leaves AWS_PROFILE alone when it is unset or empty', () => {
    for (const inherited of [{}, { AWS_PROFILE: '' }]) {
      const names = computeTerminalEnv(session(), { inherited, shim }).variables.map(([k]) => k);
      assert.ok(!names.includes('AWS_PROFILE'));
    }
  });

  it('keeps secrets out of the description', () => {
    const s = session();
    const plan = computeTerminalEnv(s, { inherited: {}, shim });
    assert.ok(!plan.description.includes(s.secretAccessKey));
    assert.ok(!plan.description.includes(s.sessionToken));
    assert.match(plan.description, /s3-Full-Access/);
  });

  it('quotes the credential_process command for both a shell and shlex', () => {
    assert.equal(credentialProcessCommand('/opt/My Code/node', '/x/dist/credential-process.js'), 'env ELECTRON_RUN_AS_NODE=1 "/opt/My Code/node" "/x/dist/credential-process.js"');
    assert.equal(credentialProcessCommand('/a"b', '/s'), 'env ELECTRON_RUN_AS_NODE=1 "/a\\"b" "/s"');
  });

  it('renders export lines for posix shells', () => {
    const s = session();
    const lines = exportLines(s).split('\n');
    assert.equal(lines[0], `export AWS_ACCESS_KEY_ID='${s.accessKeyId}'`);
    assert.equal(lines.length, 4);
  });
});

describe('computeTerminalEnv for terminals on a remote (this extension on the local side)', () => {
  it('no shim: its file is a local path, and the remote\'s own AWS_PROFILE is not what the local environment says', () => {
    const plan = computeTerminalEnv(session(), { inherited: { AWS_PROFILE: 'dev' }, shim, remote: 'ssh-remote' });
    const names = plan.variables.map(([k]) => k);
    assert.ok(!names.includes('AWS_PROFILE') && !names.includes('AWS_CONFIG_FILE'), names.join());
    assert.equal(plan.shimConfig, undefined);
  });

  it('endpoint mode gives the keys instead, and says why in the hover text (the endpoint is on the local loopback)', () => {
    const s = session();
    const plan = computeTerminalEnv(s, { inherited: {}, shim, mode: 'endpoint', endpoint: { url: 'http://127.0.0.1:1/x', token: 't' }, remote: 'dev-container' });
    const vars = Object.fromEntries(plan.variables);
    assert.equal(vars.AWS_SECRET_ACCESS_KEY, s.secretAccessKey);
    assert.equal(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined);
    assert.match(plan.description, /the dev container get the keys: this computer's credential endpoint is not reachable/);
    assert.ok(!plan.description.includes(s.secretAccessKey));
  });
});
