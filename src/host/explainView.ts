import * as vscode from 'vscode';

/**
 * Shows the Explain Access report in a webview. The Markdown is rendered by VS Code's own Markdown
 * extension; the page allows no scripts, and the report escapes everything that came from a policy.
 */
export async function showExplainReport(markdown: string, title: string): Promise<void> {
  let body: string;
  try {
    body = String(await vscode.commands.executeCommand('markdown.api.render', markdown));
  } catch {
    body = `<pre>${escapeHtml(markdown)}</pre>`;
  }
  const panel = vscode.window.createWebviewPanel('roleSwitcher.explain', title, vscode.ViewColumn.Active, {
    enableScripts: false,
    enableCommandUris: false,
    localResourceRoots: [],
  });
  panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
 body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; line-height: 1.5; max-width: 60em; }
 code, pre { font-family: var(--vscode-editor-font-family); }
 pre { background: var(--vscode-textCodeBlock-background); padding: .75em; overflow-x: auto; }
 table { border-collapse: collapse; } td, th { border: 1px solid var(--vscode-panel-border); padding: .25em .6em; text-align: left; }
</style></head>
<body>${body}</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
