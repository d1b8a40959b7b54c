// Writes dist/README.md, the README that goes into the .vsix (package.json "vsce".readmePath).
// README.md links the repository's own files relatively (the screenshot, docs/*.md), which reads well
// where the repository is browsed. Inside a .vsix those links lead nowhere, and without a public
// repository URL vsce refuses them (there is nothing to rewrite them against). So the packaged copy
// keeps every word and turns each relative link into its text plus the path, and each relative image
// into its alt text; absolute links stay as they are.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isRelative = (target) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target);

/** The README for the package: relative images -> their alt text, relative links -> `text (path)`. */
export function packagedReadme(markdown) {
  return markdown
    .replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (m, alt, target) => (isRelative(target) ? `*${alt}* (in the repository: \`${target}\`)` : m))
    .replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (m, text, target) => (isRelative(target) ? `${text} (\`${target}\`)` : m));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(root, 'dist', 'README.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, packagedReadme(readFileSync(join(root, 'README.md'), 'utf8')));
}
