// Two bundles: dist/extension.js (activation: tree, status bar, config parsing, commands) and
// dist/aws.js (the SDK clients), which extension.js loads with a plain require on the first AWS call.
// Plus two small ones: dist/credential-process.js (run by terminals' SDKs and CLI) and
// dist/endpoint.js (the credential endpoint, required on the first endpoint-mode session), and
// dist/role-terminals.js (per-terminal roles, required when the first role terminal is opened).
import * as esbuild from 'esbuild';
import { writeFileSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const analyze = process.argv.includes('--analyze');
const production = !watch;

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  // Prefer the SDK's ESM builds so esbuild can tree-shake what we don't use.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode', './aws.js'] },
  { ...common, entryPoints: { aws: 'src/aws/index.ts' }, outdir: 'dist', external: ['vscode'] },
  // What the window needs after activation without the SDK (commands, restore, renewal, …), required on
  // first use (src/host/featuresLoader.ts).
  { ...common, entryPoints: { features: 'src/host/features.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { 'credential-process': 'src/credentialProcess.ts' }, outdir: 'dist' },
  // The credential endpoint (terminal.mode = endpoint), required by the host on first need.
  { ...common, entryPoints: { endpoint: 'src/core/credentialEndpoint.ts' }, outdir: 'dist' },
  // Per-terminal roles (New Terminal as Role…, the AWS role terminal profile), required on first use.
  { ...common, entryPoints: { 'role-terminals': 'src/host/roleTerminals.ts' }, outdir: 'dist', external: ['vscode'] },
];

mkdirSync('dist', { recursive: true });
if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('esbuild: watching src/ ...');
} else {
  // Each bundle builds even when another fails (the build still exits non-zero).
  for (const b of builds) {
    const name = Object.keys(b.entryPoints)[0];
    try {
      const result = await esbuild.build(b);
      writeFileSync(`dist/${name}.meta.json`, JSON.stringify(result.metafile));
      if (analyze) console.log(await esbuild.analyzeMetafile(result.metafile, { verbose: false }));
    } catch {
      console.error(`esbuild: dist/${name}.js failed (errors above)`);
      process.exitCode = 1;
    }
  }
}
