// Endpoint mode (issue 11), the pure parts: the terminal plan, the per-platform shim command, the
// Expiration policy, the Host rule, and the credential_process helper's endpoint answers.
import { strict as assert } from 'node:assert';
import { advertisedExpiration, isLoopbackHost, MAX_ADVERTISED_MS } from '../../src/core/credentialEndpoint';
import { computeTerminalEnv, endpointShim, SHIM_PROFILE } from '../../src/core/terminalEnv';
import { credentialsFromEndpoint, endpointFromEnv } from '../../src/credentialProcess';
import { session } from '../helpers/builders';

const endpoint = { url: 'http://127.0.0.1:40123/role-switcher/abc', token: 'tok-' + 'z'.repeat(39) };
const shim = { configFile: '/tmp/rs/endpoint-config', ...endpointShim('posix', '/n', '/s.js', '/tmp/rs') };

describe('endpoint mode terminal plan', () => {
  it('sets only the endpoint, its token, the shim profile, its file and the region: never a key', () => {
    const s = session({ region: 'eu-west-1' });
    const plan = computeTerminalEnv(s, { inherited: {}, mode: 'endpoint', endpoint, shim });
    assert.deepEqual(plan.variables, [
      ['AWS_CONTAINER_CREDENTIALS_FULL_URI', endpoint.url],
      ['AWS_CONTAINER_AUTHORIZATION_TOKEN', endpoint.token],
      ['AWS_PROFILE', SHIM_PROFILE],
      ['AWS_CONFIG_FILE', '/tmp/rs/endpoint-config'],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ]);
    const all = JSON.stringify(plan);
    for (const secret of [s.accessKeyId, s.secretAccessKey, s.sessionToken]) assert.ok(!all.includes(secret));
    assert.ok(!plan.description.includes(endpoint.token));
  });

  it('sets AWS_PROFILE even when nothing is inherited, so a [default] with keys cannot win', () => {
    const vars = Object.fromEntries(computeTerminalEnv(session(), { inherited: {}, mode: 'endpoint', endpoint, shim }).variables);
    assert.equal(vars.AWS_PROFILE, SHIM_PROFILE);
  });

  it('blanks inherited keys and container variables that some client would prefer', () => {
    const inherited = {
      AWS_ACCESS_KEY_ID: 'AKIAINHERITED0000001',
      AWS_SECRET_ACCESS_KEY: 'inherited',
      AWS_SESSION_TOKEN: 'inherited',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/token',
      AWS_PROFILE: 'dev',
      AWS_CREDENTIAL_EXPIRATION: '',
    };
    const vars = Object.fromEntries(computeTerminalEnv(session(), { inherited, mode: 'endpoint', endpoint, shim }).variables);
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']) {
      assert.equal(vars[k], '', k);
    }
    // Not inherited (or already empty): not touched.
    assert.ok(!('AWS_CREDENTIAL_EXPIRATION' in vars));
    assert.ok(!('AWS_SECURITY_TOKEN' in vars));
    assert.equal(vars.AWS_PROFILE, SHIM_PROFILE);
  });

  it('fails closed without an endpoint: no variables at all, certainly no keys', () => {
    assert.deepEqual(computeTerminalEnv(session(), { inherited: {}, mode: 'endpoint', shim }).variables, []);
    assert.deepEqual(computeTerminalEnv(session(), { inherited: {}, mode: 'endpoint', endpoint }).variables, []);
  });

  it('writes a secret-free shim profile that runs the helper with --endpoint', () => {
    const s = session();
    const plan = computeTerminalEnv(s, { inherited: {}, mode: 'endpoint', endpoint, shim });
    assert.match(plan.shimConfig ?? '', new RegExp(`^\\[profile ${SHIM_PROFILE}\\]$`, 'm'));
    assert.match(plan.shimConfig ?? '', /^credential_process = env ELECTRON_RUN_AS_NODE=1 "\/n" "\/s\.js" --endpoint$/m);
    assert.ok(!plan.shimConfig?.includes(endpoint.token));
    assert.ok(!plan.shimConfig?.includes(s.secretAccessKey));
  });

  it('env mode is unchanged when mode is env or absent', () => {
    const s = session();
    const legacy = { configFile: '/c', credentialProcess: 'x' };
    assert.deepEqual(
      computeTerminalEnv(s, { inherited: { AWS_PROFILE: 'dev' }, mode: 'env', endpoint, shim: legacy }),
      computeTerminalEnv(s, { inherited: { AWS_PROFILE: 'dev' }, shim: legacy }),
    );
  });
});

describe('endpoint shim per platform and shell', () => {
  // The terminal's shell never runs credential_process (the SDK or CLI does, see endpointShim), so
  // bash, zsh and fish share the POSIX plan, and PowerShell, cmd and Git Bash share the Windows one.
  const posixShells = ['bash', 'zsh', 'fish'];
  const windowsShells = ['powershell', 'pwsh', 'cmd', 'git-bash'];

  for (const shell of posixShells) {
    it(`POSIX (${shell}): env sets ELECTRON_RUN_AS_NODE for the one process, no file`, () => {
      const plan = endpointShim('posix', '/opt/My Code/code', '/ext/dist/credential-process.js', '/store/terminal');
      assert.equal(plan.credentialProcess, 'env ELECTRON_RUN_AS_NODE=1 "/opt/My Code/code" "/ext/dist/credential-process.js" --endpoint');
      assert.deepEqual(plan.files, []);
    });
  }

  for (const shell of windowsShells) {
    it(`Windows (${shell}): a .cmd wrapper, no env prefix, nothing set in the terminal itself`, () => {
      const node = 'C:\\Program Files\\Microsoft VS Code\\Code.exe';
      const script = 'C:\\Users\\me\\.vscode\\extensions\\rs\\dist\\credential-process.js';
      const plan = endpointShim('win32', node, script, 'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\globalStorage\\rs\\terminal');
      const wrapper = 'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\globalStorage\\rs\\terminal\\credential-process.cmd';
      assert.equal(plan.credentialProcess, `"${wrapper}"`);
      assert.ok(!plan.credentialProcess.startsWith('env '));
      assert.equal(plan.files.length, 1);
      assert.equal(plan.files[0].path, wrapper);
      assert.equal(plan.files[0].content, `@echo off\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${node}" "${script}" --endpoint\r\n`);
      const vars = computeTerminalEnv(session(), { inherited: {}, mode: 'endpoint', endpoint, shim: { configFile: 'C:\\c', ...plan } }).variables;
      assert.ok(!vars.some(([k]) => k === 'ELECTRON_RUN_AS_NODE'));
    });
  }

  it('Windows: a % in a path is doubled in the batch file (it would expand even inside quotes)', () => {
    const plan = endpointShim('win32', 'C:\\100%\\node.exe', 'C:\\s.js', 'C:\\d');
    assert.match(plan.files[0].content, /"C:\\100%%\\node\.exe" "C:\\s\.js" --endpoint/);
  });
});

describe('credential endpoint rules (pure)', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);

  it('advertises min(real expiration, now + 16 min)', () => {
    assert.equal(MAX_ADVERTISED_MS, 16 * 60_000);
    assert.equal(advertisedExpiration(new Date(now + 3600_000), now).getTime(), now + 16 * 60_000);
    assert.equal(advertisedExpiration(new Date(now + 120_000), now).getTime(), now + 120_000);
    assert.equal(advertisedExpiration(new Date(now + 3600_000), now, 60_000).getTime(), now + 60_000);
  });

  it('accepts only loopback Host headers with its own port', () => {
    for (const h of ['127.0.0.1:4000', 'localhost:4000', 'LOCALHOST:4000', '[::1]:4000']) assert.ok(isLoopbackHost(h, 4000), h);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:4001', 'evil.example:4000', 'localhost.evil.example:4000', '127.0.0.1.nip.io:4000', '0.0.0.0:4000']) {
      assert.ok(!isLoopbackHost(h, 4000), String(h));
    }
  });
});

describe('credential_process --endpoint (pure parts)', () => {
  it('reads the endpoint and token from the environment, plain http only to loopback', () => {
    const ok = endpointFromEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token });
    assert.ok('ok' in ok && ok.ok.url.href === endpoint.url && ok.ok.token === endpoint.token);
    for (const url of ['http://example.com/x', 'https://127.0.0.1:1/x', 'http://169.254.170.2/x', 'not a url']) {
      const r = endpointFromEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: endpoint.token });
      assert.ok('error' in r, url);
      assert.ok(!r.error.includes(endpoint.token));
    }
    assert.ok('error' in endpointFromEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url }));
    assert.ok('error' in endpointFromEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\r\nb' }));
  });

  it('turns the container JSON into credential_process JSON (Version 1, SessionToken, Expiration)', () => {
    const body = JSON.stringify({ AccessKeyId: 'ASIA1', SecretAccessKey: 'sec', Token: 'tok', Expiration: '2026-12-01T12:16:00Z' });
    assert.deepEqual(credentialsFromEndpoint(200, body), {
      ok: { Version: 1, AccessKeyId: 'ASIA1', SecretAccessKey: 'sec', SessionToken: 'tok', Expiration: '2026-12-01T12:16:00.000Z' },
    });
  });

  it('explains refusals and broken answers without echoing the body', () => {
    const secretBody = JSON.stringify({ AccessKeyId: 'ASIA1', SecretAccessKey: 'very-secret', Token: 'tok' });
    for (const [status, body, words] of [
      [503, '{}', /no role is active/],
      [401, '{}', /refused this terminal's token/],
      [404, '{}', /path is gone/],
      [500, 'very-secret', /HTTP 500/],
      [200, 'very-secret{', /not JSON/],
      [200, secretBody, /lacks/],
      [200, JSON.stringify({ AccessKeyId: 'a', SecretAccessKey: 'very-secret', Token: 't', Expiration: 'soon' }), /not a date/],
    ] as const) {
      const r = credentialsFromEndpoint(status, body);
      assert.ok('error' in r);
      assert.match(r.error, words);
      assert.ok(!r.error.includes('very-secret'));
    }
  });
});
