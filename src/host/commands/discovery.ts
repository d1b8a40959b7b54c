// Discovery and Explain: list the account's roles with IAM and evaluate each trust policy against the
// caller; Refresh; the Explain Access report; the tree's assumable-only filter.
import * as vscode from 'vscode';
import { parseRoleArn } from '../../core/arn';
import type { DiscoveryResult } from '../../core/discovery';
import { showExplainReport } from '../explainView';
import type { Node } from '../tree';
import type { CommandContext, Handlers } from './context';

export function discoveryCommands(ctx: CommandContext): Handlers {
  return {
    'roleSwitcher.refresh': () => refresh(ctx),
    'roleSwitcher.discoverRoles': () => discover(ctx, true),
    'roleSwitcher.explainAccess': (arg?: string) => explain(ctx, typeof arg === 'string' ? arg : undefined),
    'roleSwitcher.explainItem': (n?: Node) => n?.kind === 'role' && explain(ctx, n.role.roleArn),
    'roleSwitcher.toggleAssumableOnly': () => toggleFilter(ctx),
  };
}

async function refresh(ctx: CommandContext): Promise<void> {
  ctx.discoveryCacheIfBuilt?.clear();
  ctx.d.resetAwsCaches();
  await ctx.d.catalog.reload();
  // Signed-in IAM Identity Center portals too; with no portal configured the SDK stays unloaded.
  const sso = ctx.d.sso?.();
  await Promise.all([sso && sso.portals().length ? sso.refresh() : undefined, ctx.d.catalog.discovery ? discover(ctx, false) : undefined]);
}

export async function discover(ctx: CommandContext, force: boolean): Promise<DiscoveryResult | undefined> {
  const { d } = ctx;
  const base = d.catalog.defaultBase;
  const call = ctx.callOptions(base);
  return vscode.window.withProgress({ location: { viewId: 'roleSwitcher.roles' }, title: 'Discovering roles…', cancellable: false }, async () => {
    try {
      const gateway = d.gateway();
      const caller = await gateway.getCallerIdentity(call);
      ctx.lastCallerArn = caller.arn;
      const cached = force ? undefined : ctx.discoveryCache.get(caller.arn);
      if (cached) {
        d.catalog.setDiscovered(cached);
        return cached;
      }
      const result = await d.aws().discoverRoles({
        gateway,
        call,
        base,
        organizationRoleNames: d.settings.organizationRoleNames,
        simulate: d.settings.simulatePolicies,
        onRoles: (roles) => d.catalog.addDiscovered(roles),
      });
      ctx.discoveryCache.set(caller.arn, result);
      d.catalog.setDiscovered(result);
      d.log.info(`discovered ${result.roles.length} roles for ${caller.arn}; skipped: ${result.skipped.length}`);
      return result;
    } catch (e) {
      const t = d.aws().translateError(e, { endpoint: call.endpoint });
      if (t) {
        d.log.error('discovery failed', e);
        void vscode.window.showErrorMessage(d.redactor.redact(t.message.replace(/^Could not assume the role: /, 'Discovery failed: ')));
      }
      return undefined;
    }
  });
}

export async function explain(ctx: CommandContext, roleArnArg?: string, error?: { code: string; message: string }): Promise<void> {
  let roleArn = roleArnArg;
  if (!roleArn) {
    roleArn = await vscode.window.showInputBox({
      title: 'Explain Access',
      prompt: 'Role ARN to explain',
      placeHolder: 'arn:aws:iam::111111111111:role/s3-Full-Access',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseRoleArn(v.trim());
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (!roleArn) return;
    roleArn = roleArn.trim();
  }
  const aws = ctx.d.aws();
  const result = ctx.discoveryCache.get(ctx.lastCallerArn ?? '') ?? (await discover(ctx, false));
  if (!result) return;
  const summary = result.summaries.get(roleArn);
  const report = aws.explainAccess({
    caller: result.caller ?? aws.callerContext(ctx.lastCallerArn ?? ''),
    roleArn,
    trustPolicy: summary?.trustPolicy,
    roleDescription: summary?.description,
    evaluation: result.evaluations.get(roleArn),
    error,
  });
  await showExplainReport(report, `Explain: ${roleArn.split('/').pop()}`);
}

function toggleFilter(ctx: CommandContext): void {
  ctx.assumableOnly = !ctx.assumableOnly;
  ctx.d.tree.refresh();
  vscode.window.setStatusBarMessage(ctx.assumableOnly ? 'Role Switcher: showing only assumable roles' : 'Role Switcher: showing all roles', 2500);
}
