import * as assert from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
// @ts-expect-error: a plain .mjs build script without type declarations
import { packagedReadme } from '../../scripts/vsix-readme.mjs';

const README = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const RELATIVE_LINK = /!?\[[^\]]*\]\((?![a-z][a-z0-9+.-]*:|#)[^)]+\)/i;

describe('the packaged README (dist/README.md)', () => {
  it('README.md itself links the repository relatively (so the check below means something)', () => {
    assert.match(README, RELATIVE_LINK);
  });

  it('has no relative link or image left, which vsce would refuse without a repository URL', () => {
    assert.doesNotMatch(packagedReadme(README), RELATIVE_LINK);
  });

  it('keeps every heading and command, and the link text with its path', () => {
    const out: string = packagedReadme(README);
    const headings = (s: string) => s.split('\n').filter((l) => l.startsWith('#'));
    assert.deepStrictEqual(headings(out), headings(README));
    assert.ok(out.includes('npm install && npm start'));
    assert.strictEqual(packagedReadme('see [the docs](docs/a.md), [web](https://x.example/a) and [top](#top)'), 'see the docs (`docs/a.md`), [web](https://x.example/a) and [top](#top)');
    assert.strictEqual(packagedReadme('![A shot](docs/s.png) ![remote](https://x.example/s.png)'), '*A shot* (in the repository: `docs/s.png`) ![remote](https://x.example/s.png)');
  });
});
