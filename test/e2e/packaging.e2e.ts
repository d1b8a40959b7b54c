// Packaging: vsce packages the bundled extension with only the files it needs; code-server installs the
// .vsix and the extension activates in the browser (the Role Switcher view lists the seed roles).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Instance, log, repoRoot } from './harness';

/** File names in a zip (a .vsix), from its central directory. */
export function zipEntries(buf: Buffer): string[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The vsce arguments of `npm run package` (so this test packages exactly like the script), without -o. */
function packageScriptArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const script: string = pkg.scripts?.package ?? '';
  const m = /vsce\s+package((?:\s+[^&|;]+)?)/.exec(script);
  const words = (m?.[1] ?? ' --no-dependencies').trim().split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let k = 0; k < words.length; k++) {
    if (words[k] === '-o' || words[k] === '--out') k++;
    else out.push(words[k]);
  }
  if (!out.includes('--no-dependencies')) out.push('--no-dependencies');
  // E2E_VSCE_EXTRA: extra vsce arguments for a local experiment (e.g. --baseImagesUrl …); unset in CI
  if (process.env.E2E_VSCE_EXTRA) out.push(...process.env.E2E_VSCE_EXTRA.trim().split(/\s+/));
  return out;
}

describe('Packaging (.vsix)', function () {
  let tmp: string;
  let vsix: string;
  let inst: Instance | undefined;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'rs-e2e-vsix-'));
    vsix = join(tmp, 'role-switcher-aws.vsix');
  });
  after(async () => {
    await inst?.close();
    rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && inst) await inst.saveFailure('11-packaging');
  });

  it('11 vsce package contains only dist/*.js, media/, package.json, readme, license, changelog', function () {
    this.timeout(120_000);
    const args = ['package', ...packageScriptArgs(), '-o', vsix];
    log(`vsce ${args.join(' ')}`);
    const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), args, { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
    const names = zipEntries(readFileSync(vsix)).sort();
    log(`vsix: ${names.join(', ')}`);
    const allowed = [
      /^extension\.vsixmanifest$/,
      /^\[Content_Types\]\.xml$/,
      /^extension\/package\.json$/,
      /^extension\/readme\.md$/i,
      /^extension\/changelog\.md$/i,
      /^extension\/LICENSE(\.txt)?$/i,
      /^extension\/dist\/[^/]+\.js$/,
      /^extension\/media\/.+/,
    ];
    const unexpected = names.filter((n) => !allowed.some((re) => re.test(n)));
    assert.deepEqual(unexpected, [], 'files that should not be packaged');
    for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/aws.js', 'extension/readme.md', 'extension/changelog.md']) {
      assert.ok(names.includes(needed), `${needed} is in the .vsix`);
    }
    assert.ok(names.some((n) => /^extension\/LICENSE/i.test(n)), 'a license is in the .vsix');
    assert.ok(names.some((n) => n.startsWith('extension/media/')), 'media/ is in the .vsix');
    assert.ok(!names.some((n) => /\.map$|\.meta\.json$|\.ts$|node_modules/.test(n)), 'no maps, metafiles, sources or node_modules');
  });

  it('12 code-server --install-extension installs the .vsix and it activates in the browser', async function () {
    this.timeout(180_000);
    assert.ok(existsSync(vsix), 'no .vsix: packaging (test 11) failed');
    inst = await Instance.start({ name: 'vsix', aws: 'seeds', extension: { vsix } });
    const installLog = readFileSync(join(inst.tmp, 'install-extension.log'), 'utf8');
    assert.match(installLog, /successfully installed/i, installLog);
    assert.ok(existsSync(join(inst.extsDir, 'role-switcher.role-switcher-aws-0.1.0', 'dist', 'extension.js')), 'installed under <publisher>.<name>-<version>');
    await inst.openRoleSwitcherView();
    await inst.roleRow('s3-Full-Access').waitFor({ state: 'visible' });
    await inst.roleStatus().first().waitFor({ state: 'visible' });
    await inst.shot('12-installed-from-vsix');
  });
});
