// The activation bundle must not carry the AWS SDK: it reaches the SDK only through lazy.ts,
// which requires dist/aws.js at the first AWS call.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { awsLoaded, loadAwsModule } from '../../src/aws/lazy';

const root = path.resolve(__dirname, '..', '..');

describe('aws/lazy', () => {
  it('loads the gateway on first use, once', () => {
    const before = awsLoaded();
    const mod = loadAwsModule();
    assert.equal(typeof mod.createAwsGateway, 'function');
    assert.equal(awsLoaded(), true);
    assert.equal(loadAwsModule(), mod);
    // Nothing in this file's imports loaded it earlier.
    assert.equal(before, false);
  });

  describe('bundles', function () {
    this.timeout(120_000);

    before(function () {
      if (!existsSync(path.join(root, 'src', 'extension.ts'))) this.skip();
      execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'pipe' });
    });

    it('dist/extension.js contains no @aws-sdk or @smithy module', () => {
      const meta = JSON.parse(readFileSync(path.join(root, 'dist', 'extension.meta.json'), 'utf8')) as {
        inputs: Record<string, unknown>;
      };
      const sdk = Object.keys(meta.inputs).filter((p) => /node_modules\/@(aws-sdk|smithy)\//.test(p));
      assert.deepStrictEqual(sdk, []);
      const text = readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
      assert.ok(!/@aws-sdk\/|@smithy\//.test(text), 'extension.js mentions @aws-sdk/@smithy');
    });

    it('dist/features.js (commands, restore, renewal, terminals) contains no @aws-sdk or @smithy module either', () => {
      const meta = JSON.parse(readFileSync(path.join(root, 'dist', 'features.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
      const inputs = Object.keys(meta.inputs);
      assert.ok(inputs.some((p) => p.endsWith('src/host/sessionPersistence.ts')), 'restore after reload is in the features bundle');
      assert.deepStrictEqual(inputs.filter((p) => /node_modules\/@(aws-sdk|smithy)\//.test(p)), []);
    });

    it('activation carries only registrations: command implementations, restore, renewal and terminal plans are in dist/features.js', () => {
      type Meta = { outputs: Record<string, { inputs: Record<string, unknown> }> };
      const inputs = Object.keys((JSON.parse(readFileSync(path.join(root, 'dist', 'extension.meta.json'), 'utf8')) as Meta).outputs['dist/extension.js'].inputs);
      const lazy = ['host/commands/switching.ts', 'host/commands/config.ts', 'host/commands/discovery.ts', 'host/commands/identity.ts', 'host/sessionPersistence.ts', 'core/persist.ts', 'core/renewal.ts', 'host/terminalEnv.ts', 'core/terminalEnv.ts', 'host/workspaceRole.ts', 'core/verdictText.ts'];
      assert.deepStrictEqual(lazy.filter((f) => inputs.some((i) => i.endsWith(`src/${f}`))), []);
      assert.ok(inputs.some((i) => i.endsWith('src/host/commands/index.ts')), 'the registrations are');
    });

    it('dist/aws.js keeps only the service commands the gateway sends (tree-shaking works)', () => {
      type Meta = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
      const meta = JSON.parse(readFileSync(path.join(root, 'dist', 'aws.meta.json'), 'utf8')) as Meta;
      const kept = Object.entries(meta.outputs['dist/aws.js'].inputs)
        .filter(([p, v]) => /node_modules\/@aws-sdk\/client-[a-z]+\/dist-es\/commands\/[A-Z]/.test(p) && v.bytesInOutput > 0)
        .map(([p]) => p.split('/').pop()!.replace(/\.js$/, ''))
        .sort();
      assert.deepStrictEqual(kept, [
        'AssumeRoleCommand',
        'GetCallerIdentityCommand',
        // IAM Identity Center portal (src/aws/sso.ts); the sso-oidc commands are not matched by the pattern
        'GetRoleCredentialsCommand',
        'GetSessionTokenCommand',
        'ListAccountAliasesCommand',
        'ListAccountRolesCommand',
        'ListAccountsCommand', // sso
        'ListAccountsCommand', // organizations
        'ListRolesCommand',
        'LogoutCommand',
        'SimulatePrincipalPolicyCommand',
      ]);
    });

    it('neither bundle carries the AGPL policy simulator (@cloud-copilot/*, a dev dependency for tests only)', () => {
      for (const name of ['extension', 'aws']) {
        const meta = JSON.parse(readFileSync(path.join(root, 'dist', `${name}.meta.json`), 'utf8')) as { inputs: Record<string, unknown> };
        assert.ok(Object.keys(meta.inputs).length > 10, `${name}.meta.json lists its inputs`);
        assert.deepStrictEqual(Object.keys(meta.inputs).filter((p) => p.includes('@cloud-copilot')), [], `${name}.js inputs`);
        const text = readFileSync(path.join(root, 'dist', `${name}.js`), 'utf8');
        // the package name, and identifiers only the simulator's code has
        for (const marker of ['@cloud-copilot', 'iam-simulate', 'SessionRoleMatch', 'AccountLevelMatch']) {
          assert.ok(!text.includes(marker), `dist/${name}.js contains ${marker}`);
        }
      }
      // and no source file imports it, so no bundle can
      const src = path.join(root, 'src');
      const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => /\.[cm]?[jt]s$/.test(f));
      assert.ok(files.length > 10);
      assert.deepStrictEqual(files.filter((f) => readFileSync(path.join(src, f), 'utf8').includes('@cloud-copilot')), []);
    });

    it('dist/aws.js exports createAwsGateway', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(root, 'dist', 'aws.js')) as { createAwsGateway: unknown };
      assert.equal(typeof mod.createAwsGateway, 'function');
    });
  });
});
