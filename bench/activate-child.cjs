// One fresh process: require + activate() dist/extension.js under the vscode stub, then (mode
// "switch") run the first switch through the extension's own Assume Role command, at once or (mode
// "idle") after the window sat idle for BENCH_IDLE_MS, as a user's first click usually comes.
// Prints one JSON line. Run with --expose-gc. Inputs come from the environment:
//   BENCH_EXTENSION  path of dist/extension.js      BENCH_MODE  activate | switch | idle (switch after BENCH_IDLE_MS)
//   BENCH_ENDPOINT   fake AWS endpoint (setting)    BENCH_PICK  role ARN to pick in the quick pick
//   BENCH_STORAGE    scratch directory
'use strict';
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createVscodeStub, installVscodeStub, createContext } = require('./vscode-stub.cjs');

// The SDK's Node-version notice is noise here.
const emit = process.emitWarning;
process.emitWarning = function (w, ...rest) {
  if (String(w).startsWith('NodeVersionSupportWarning')) return;
  return emit.call(this, w, ...rest);
};

const SDK_RE = /[\\/]node_modules[\\/]@(aws-sdk|smithy)[\\/]|[\\/]dist[\\/]aws\.js$/;
const sdkLoads = [];
const origLoad = Module._load;
Module._load = function (request, parent, ...rest) {
  const result = origLoad.call(this, request, parent, ...rest);
  try {
    if (request !== 'vscode') {
      const file = Module._resolveFilename(request, parent);
      if (SDK_RE.test(file)) sdkLoads.push(path.basename(file));
    }
  } catch {
    /* builtins and the stub */
  }
  return result;
};

const settle = () => new Promise((r) => setTimeout(r, 50));
const heap = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
};

async function main() {
  const extension = process.env.BENCH_EXTENSION;
  const mode = process.env.BENCH_MODE || 'activate';
  const pickArn = process.env.BENCH_PICK || '';
  const stub = createVscodeStub({
    settings: process.env.BENCH_ENDPOINT ? { 'roleSwitcher.endpointUrl': process.env.BENCH_ENDPOINT, 'roleSwitcher.region': 'us-east-1' } : {},
    pick: (items) => items.find((i) => i.detail === pickArn || (i.role && i.role.roleArn === pickArn)) ?? items[0],
    inputBox: '123456',
  });
  installVscodeStub(stub.vscode);
  const { context } = createContext({ extensionPath: path.dirname(path.dirname(extension)), storageDir: process.env.BENCH_STORAGE || '/tmp' });

  const h0 = heap();
  const t0 = performance.now();
  const ext = require(extension);
  await ext.activate(context);
  const t1 = performance.now();
  await settle();
  const h1 = heap();
  const sdkCached = Object.keys(require.cache).filter((k) => SDK_RE.test(k));
  const out = {
    activateMs: t1 - t0,
    heapAfterActivate: h1 - h0,
    loadsSdk: sdkLoads.length > 0 || sdkCached.length > 0,
    sdkModules: [...new Set([...sdkLoads, ...sdkCached.map((k) => path.basename(k))])].slice(0, 5),
    commands: stub.state.commands.size,
  };
  if (mode === 'switch' || mode === 'idle') {
    const cmd = stub.state.commands.get('roleSwitcher.assumeRole');
    if (!cmd) throw new Error('roleSwitcher.assumeRole is not registered');
    // "idle": the window sat idle (BENCH_IDLE_MS) after activation before the first click.
    if (mode === 'idle') await new Promise((r) => setTimeout(r, Number(process.env.BENCH_IDLE_MS || 2000)));
    out.sdkLoadedBeforeSwitch = Object.keys(require.cache).some((k) => SDK_RE.test(k));
    const t2 = performance.now();
    await cmd();
    out.firstSwitchMs = performance.now() - t2;
    if (mode === 'idle') {
      // The second click in the same fresh process: what is left once everything ran once.
      await new Promise((r) => setTimeout(r, 20));
      const t3 = performance.now();
      await cmd();
      out.secondSwitchMs = performance.now() - t3;
    }
    await settle();
    out.heapAfterFirstSwitch = heap() - h0;
    out.switchErrors = stub.state.errors;
    out.statusText = stub.state.statusBarItems.map((i) => i.text).filter(Boolean);
    out.terminalVars = [...createdVars(context)];
  }
  for (const d of context.subscriptions) {
    try {
      d.dispose();
    } catch {
      /* ignore */
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

function* createdVars(context) {
  const c = context.environmentVariableCollection;
  const names = [];
  c.forEach((k) => names.push(k));
  yield* names;
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String((e && e.stack) || e) }) + '\n');
  process.exit(1);
});
