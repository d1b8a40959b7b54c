// Lets unit tests `import * as vscode from 'vscode'` and get the hand-written fake.
const Module = require('node:module');
const path = require('node:path');
const target = path.join(__dirname, 'vscode.ts');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return original.call(this, target, ...rest);
  return original.call(this, request, ...rest);
};
