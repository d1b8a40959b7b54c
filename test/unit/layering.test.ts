import * as assert from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

// Enforces the layering rules of docs/architecture.md:
//   - src/core/** and src/aws/** never import `vscode`;
//   - src/core/** never imports a runtime value from @aws-sdk/* or @smithy/* (type-only is fine);
//   - src/core/** imports nothing, not even a type, from src/aws or src/host: the core owns its ports.

const ROOT = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(?:[cm]?ts|[cm]?js|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface ImportRef {
  readonly specifier: string;
  readonly typeOnly: boolean;
  readonly line: number;
}

/**
 * Every module reference, from the TypeScript AST: import/export … from (type-only when the whole
 * clause or every specifier is `type`), side-effect imports, `import x = require()`, `import()` and
 * `require()` calls. Comments and strings cannot hide or fake one.
 */
export function importsOf(source: string, fileName = 'x.ts'): ImportRef[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (spec && ts.isStringLiteralLike(spec)) out.push({ specifier: spec.text, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      let typeOnly = false;
      if (c) {
        const named = c.namedBindings;
        typeOnly = c.isTypeOnly || (!c.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      }
      add(node.moduleSpecifier, typeOnly, node);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause;
      const typeOnly = node.isTypeOnly || (!!named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, typeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly, node);
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) add(node.arguments[0], false, node);
    } else if (ts.isImportTypeNode(node)) {
      // `import('x').T` in a type position loads nothing at runtime.
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal as ts.Expression, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function violations(dir: string, bad: (ref: ImportRef, file: string) => boolean): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, dir))) {
    for (const ref of importsOf(readFileSync(file, 'utf8'))) {
      if (bad(ref, file)) out.push(`${path.relative(ROOT, file)}:${ref.line} imports ${ref.specifier}${ref.typeOnly ? ' (type)' : ''}`);
    }
  }
  return out;
}

const isVscode = (r: ImportRef) => r.specifier === 'vscode' || r.specifier.startsWith('vscode/');
/** A relative import that leaves src/core for src/aws or src/host (resolved against the importing file). */
function leavesCore(file: string) {
  return (r: ImportRef) => {
    if (!r.specifier.startsWith('.')) return false;
    const target = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(file), r.specifier));
    return /^(?:aws|host)(?:[\\/]|$)/.test(target) || target === 'extension' || target.startsWith('..');
  };
}

const isSdkValue = (r: ImportRef) => !r.typeOnly && /^@(?:aws-sdk|smithy)\//.test(r.specifier);

describe('layering', () => {
  it('finds the source files it checks', () => {
    assert.ok(sourceFiles(path.join(ROOT, 'src', 'core')).some((f) => f.endsWith('profiles.ts')));
    assert.ok(sourceFiles(path.join(ROOT, 'src', 'aws')).length > 0);
  });

  it('src/core and src/aws never import vscode', () => {
    assert.deepStrictEqual([...violations('src/core', isVscode), ...violations('src/aws', isVscode)], []);
  });

  it('src/core imports nothing from @aws-sdk/* or @smithy/* at runtime', () => {
    assert.deepStrictEqual(violations('src/core', isSdkValue), []);
  });

  it('src/core imports nothing from src/aws or src/host, not even types', () => {
    assert.deepStrictEqual(violations('src/core', (r, file) => leavesCore(file)(r)), []);
  });

  it('the core-boundary check flags upward imports and passes sibling ones', () => {
    const file = path.join(ROOT, 'src', 'core', 'switcher.ts');
    const check = leavesCore(file);
    const refs = importsOf(["import type { AwsModule } from '../aws/lazy';", "import { x } from './gateway';", "import type { T } from '../host/tree';", "import { y } from '../extension';", "import { z } from 'node:fs';"].join('\n'));
    assert.deepStrictEqual(refs.filter(check).map((r) => r.specifier), ['../aws/lazy', '../host/tree', '../extension']);
  });

  it('the import scanner catches every form (so the checks above can fail)', () => {
    const src = [
      "import * as vscode from 'vscode';",
      "import type { X } from '@aws-sdk/client-sts';",
      "import { type A, type B } from '@smithy/types';",
      "import { fromIni } from '@aws-sdk/credential-providers';",
      "import { type A, b } from '@smithy/core';",
      "export { c } from '@smithy/x';",
      "import '@aws-sdk/side-effect';",
      "const m = require('@smithy/shared-ini-file-loader');",
      "const l = await import('vscode');",
      "// import { no } from 'vscode';",
      "const s = '/* import { no } from \\'vscode\\' */';",
      "type T = import('@aws-sdk/types').Credentials;",
      "import {\n  multi,\n  line,\n} from '@aws-sdk/multi';",
    ].join('\n');
    assert.deepStrictEqual(importsOf(src).filter((r) => isVscode(r) || isSdkValue(r)).map((r) => [r.specifier, r.line]), [
      ['vscode', 1],
      ['@aws-sdk/credential-providers', 4],
      ['@smithy/core', 5],
      ['@smithy/x', 6],
      ['@aws-sdk/side-effect', 7],
      ['@smithy/shared-ini-file-loader', 8],
      ['vscode', 9],
      ['@aws-sdk/multi', 13],
    ]);
  });
});
