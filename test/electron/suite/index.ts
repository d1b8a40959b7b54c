// Entry for @vscode/test-electron's extensionTestsPath: runs the mocha suite inside the extension host.
// test/electron/run.mjs bundles this file (mocha stays external, resolved from the repo's node_modules).
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 30_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  // loaded after pre-require so describe/it are the globals mocha just installed
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./extension.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
  });
}
