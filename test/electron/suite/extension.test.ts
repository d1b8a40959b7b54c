// In-host tests: run inside the extension host of desktop VS Code (npm run test:electron).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'role-switcher.role-switcher-aws';

describe('Role Switcher in the extension host', function () {
  this.timeout(30_000);

  it('is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'contributed commands without a handler');
  });

  it('contributes the Roles view in the Role Switcher container', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const container = pkg.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'roleSwitcher');
    assert.equal(container?.title, 'Role Switcher');
    assert.ok(pkg.contributes.views.roleSwitcher.some((v: { id: string; name: string }) => v.id === 'roleSwitcher.roles' && v.name === 'Roles'));
  });
});
