// Discovery: which roles can the current identity assume? Orchestrates the AwsGateway calls
// (GetCallerIdentity, paginated ListRoles, ListAccountAliases, SimulatePrincipalPolicy, ListAccounts),
// evaluates every trust policy once, page by page, and degrades to what the caller is allowed to do.
//
// Budget: evaluation of a 1,000-role page takes a few milliseconds; it runs while the next page is being
// fetched (the page iterator is advanced before the current page is evaluated), and yields to the event
// loop every `chunkSize` roles so no stretch of synchronous work is long.

import type { AwsGateway, CallOptions, CallerIdentity, IamRoleSummary, OrgAccount, SimulationResult } from './gateway';
import {
  callerContext,
  combineWithSimulation,
  evaluateTrust,
  parseTrustPolicy,
  splitRoleArn,
  undecidableEvaluation,
  withVerdict,
  type CallerContext,
  type ParsedPolicy,
  type TrustEvaluation,
} from './trust';
import { isCancelled } from './errors';
import type { BaseSource, RoleDefinition, Verdict } from './types';

export type SimulationDecision = SimulationResult['decision'];

export interface DiscoveryOptions {
  readonly gateway: AwsGateway;
  readonly call: CallOptions;
  /** Base credentials of the discovered roles' single hop (the identity discovery runs as). */
  readonly base: BaseSource;
  /** Candidate role names offered in each organization member account. */
  readonly organizationRoleNames: readonly string[];
  /** ListRoles MaxItems, 1..1000 (default 1000). */
  readonly pageSize?: number;
  /** Check identity policies with iam:SimulatePrincipalPolicy (default true). */
  readonly simulate?: boolean;
  /**
   * Progress: called once per ListRoles page with that page's roles (verdicts final), then once with the
   * organization candidates. A role may be delivered again later with the same id and a corrected verdict
   * (an assumed-role caller whose role path appeared on a later page): upsert by id.
   * Service roles are left out unless `includeServiceRoles`; the final result always has them.
   */
  readonly onRoles?: (roles: RoleDefinition[]) => void;
  readonly includeServiceRoles?: boolean;
  /** Clock for `discoveredAt` (ms). */
  readonly now?: () => number;
  /** When given, a fresh cached result for this caller is returned instead of calling IAM. */
  readonly cache?: DiscoveryCache;
  /** Ignore (and replace) the cached result. */
  readonly forceRefresh?: boolean;
  /** The caller, when the host already called GetCallerIdentity. */
  readonly callerIdentity?: CallerIdentity;
  /** Resource ARNs per SimulatePrincipalPolicy call (default 100). */
  readonly simulationBatchSize?: number;
  /** Roles evaluated between two yields to the event loop (default 250). */
  readonly chunkSize?: number;
}

export interface DiscoveryResult {
  readonly caller: CallerContext;
  readonly accountAlias?: string;
  /** origin 'discovered' (the caller's account, with verdict) and 'organization' (candidates, unverified). */
  readonly roles: RoleDefinition[];
  /**
   * Per discovered role ARN. `verdict` here is the final one (after simulation), `trustVerdict` what the
   * trust policy alone says, `simulation` the identity-policy decision when one was made.
   */
  readonly evaluations: Map<string, DiscoveredEvaluation>;
  /** ListRoles entries by role ARN (trust policy text, description), for Explain Access. */
  readonly summaries: Map<string, IamRoleSummary>;
  /** One line per part that was skipped, e.g. "Skipped listing roles: you are not allowed iam:ListRoles". */
  readonly skipped: string[];
  /** Organization member accounts, when organizations:ListAccounts is allowed. */
  readonly accounts: OrgAccount[];
  readonly discoveredAt: number;
}

export interface DiscoveredEvaluation extends TrustEvaluation {
  readonly simulation?: SimulationDecision;
}

/** Discovery results per caller ARN, for `ttlMs` milliseconds. */
export class DiscoveryCache {
  private readonly entries = new Map<string, { result: DiscoveryResult; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(callerArn: string): DiscoveryResult | undefined {
    const e = this.entries.get(callerArn);
    if (!e) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.entries.delete(callerArn);
      return undefined;
    }
    return e.result;
  }

  set(callerArn: string, result: DiscoveryResult): void {
    this.entries.set(callerArn, { result, at: this.now() });
  }

  delete(callerArn: string): void {
    this.entries.delete(callerArn);
  }

  clear(): void {
    this.entries.clear();
  }
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

function errorName(e: unknown): string {
  const o = e as { name?: unknown; Code?: unknown; code?: unknown } | null | undefined;
  for (const v of [o?.name, o?.Code, o?.code]) if (typeof v === 'string' && v !== '' && v !== 'Error') return v;
  return 'Error';
}

function isAccessDenied(e: unknown): boolean {
  return ACCESS_DENIED.has(errorName(e));
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function isPositive(kind: Verdict['kind']): boolean {
  return kind === 'assumable' || kind === 'needsMfa' || kind === 'needsExternalId';
}

/** The identity whose policies SimulatePrincipalPolicy evaluates, if there is one. */
function policySource(caller: CallerContext): string | undefined {
  switch (caller.kind) {
    case 'user':
    case 'role':
      return caller.principalArn;
    case 'assumedRole':
      return caller.pathKnown === false ? undefined : caller.principalArn;
    default:
      return undefined; // root and federated users can't assume roles at all
  }
}

interface Entry {
  summary: IamRoleSummary;
  evaluation: DiscoveredEvaluation;
  role: RoleDefinition;
  /** Evaluated before the caller's role path was known: kept parsed for the second evaluation. */
  pathPending: boolean;
  parsed?: ParsedPolicy;
}

export async function discoverRoles(opts: DiscoveryOptions): Promise<DiscoveryResult> {
  const { gateway, call } = opts;
  const signal = call.abortSignal;
  const now = opts.now ?? Date.now;
  const chunkSize = Math.max(1, opts.chunkSize ?? 250);
  const batchSize = Math.max(1, Math.min(opts.simulationBatchSize ?? 100, 1000));
  const simulate = opts.simulate ?? true;
  const emit = (roles: RoleDefinition[]): void => {
    if (!opts.onRoles) return;
    const shown = opts.includeServiceRoles ? roles : roles.filter((r) => !entries.get(r.roleArn)?.evaluation.serviceRole);
    if (shown.length > 0) opts.onRoles(shown);
  };

  const identity = opts.callerIdentity ?? (await gateway.getCallerIdentity(call));
  if (opts.cache && !opts.forceRefresh) {
    const hit = opts.cache.get(identity.arn);
    if (hit) {
      if (opts.onRoles) {
        const shown = opts.includeServiceRoles ? hit.roles : hit.roles.filter((r) => !hit.evaluations.get(r.roleArn)?.serviceRole);
        if (shown.length > 0) opts.onRoles(shown);
      }
      return hit;
    }
  }

  // Paths of the roles seen so far in the caller's account, to turn an assumed-role session into its role ARN.
  let caller = callerContext(identity.arn);
  const skipped = { roles: '', simulation: '', alias: '', accounts: '' };

  // Independent calls run alongside the listing.
  const aliasP = gateway.listAccountAliases(call).then(
    (a) => a[0],
    (e: unknown) => {
      if (isCancelled(e) || signal?.aborted) throw e;
      skipped.alias = isAccessDenied(e)
        ? 'Skipped the account alias: you are not allowed iam:ListAccountAliases'
        : `Skipped the account alias: iam:ListAccountAliases failed (${errorName(e)})`;
      return undefined;
    },
  );
  const accountsP = (async (): Promise<OrgAccount[]> => {
    const out: OrgAccount[] = [];
    try {
      for await (const page of gateway.listAccounts(call)) out.push(...page);
      return out;
    } catch (e) {
      if (isCancelled(e) || signal?.aborted) throw e;
      const name = errorName(e);
      skipped.accounts = isAccessDenied(e)
        ? 'Skipped listing organization accounts: you are not allowed organizations:ListAccounts'
        : name === 'AWSOrganizationsNotInUseException'
          ? 'Skipped listing organization accounts: your account is not in an organization'
          : `Skipped listing organization accounts: organizations:ListAccounts failed (${name})`;
      return [];
    }
  })();
  // Keep rejections handled while the listing runs; they are awaited below.
  aliasP.catch(() => undefined);
  accountsP.catch(() => undefined);

  const entries = new Map<string, Entry>();
  const simulations = new Map<string, SimulationDecision>();
  let simulationOff = !simulate;
  let emitChain: Promise<void> = Promise.resolve();

  /** Simulate the given role ARNs in batches; the first failure turns simulation off with one skipped line. */
  const runSimulation = async (arns: string[]): Promise<void> => {
    const source = policySource(caller);
    if (simulationOff || arns.length === 0 || !source) return;
    for (let i = 0; i < arns.length && !simulationOff; i += batchSize) {
      const batch = arns.slice(i, i + batchSize);
      try {
        const results = await gateway.simulateAssumeRole(call, source, batch);
        for (const r of results) simulations.set(r.resourceArn, r.decision);
      } catch (e) {
        if (isCancelled(e) || signal?.aborted) throw e;
        simulationOff = true;
        skipped.simulation = isAccessDenied(e)
          ? 'Skipped checking your IAM policy: you are not allowed iam:SimulatePrincipalPolicy'
          : `Skipped checking your IAM policy: iam:SimulatePrincipalPolicy failed (${errorName(e)})`;
      }
    }
  };

  const applySimulation = (entry: Entry): boolean => {
    const sim = simulations.get(entry.role.roleArn);
    if (sim === undefined) return false;
    const verdict = combineWithSimulation(entry.evaluation, sim, entry.evaluation.sameAccount);
    entry.evaluation = withVerdict(entry.evaluation, verdict, { simulation: sim });
    entry.role = { ...entry.role, verdict };
    return true;
  };

  const needsSimulation = (ev: TrustEvaluation): boolean =>
    !simulationOff && isPositive(ev.trustVerdict.kind) && ev.grantVia !== undefined && ev.verdict.kind !== 'notTrusted';

  // Many roles share a trust policy word for word (service roles, roles made from one template): each
  // distinct text is parsed once, and evaluated once per caller and same-account-or-not, which is all
  // evaluateTrust reads of the role ARN. Each role still gets its own evaluation object.
  const parsedPolicies = new Map<string, ParsedPolicy | null>();
  let evaluatedFor = caller;
  const evaluated = [new Map<string, TrustEvaluation>(), new Map<string, TrustEvaluation>()];

  const evaluate = (summary: IamRoleSummary, pathPending: boolean, parsedBefore?: ParsedPolicy): Entry => {
    let evaluation: TrustEvaluation;
    let parsed = parsedBefore;
    const trustPolicy = summary.trustPolicy;
    const parts = splitRoleArn(summary.arn);
    if (trustPolicy === undefined) {
      evaluation = undecidableEvaluation('IAM returned no trust policy for this role, so it cannot be evaluated.', parts?.accountId === caller.accountId);
    } else {
      // Parsed once per text; a malformed policy becomes "undecidable" with the reason inside evaluateTrust.
      if (!parsed) {
        const known = parsedPolicies.get(trustPolicy);
        if (known !== undefined) {
          parsed = known ?? undefined;
        } else {
          try {
            parsed = parseTrustPolicy(trustPolicy);
          } catch {
            parsed = undefined;
          }
          parsedPolicies.set(trustPolicy, parsed ?? null);
        }
      }
      if (evaluatedFor !== caller) {
        evaluatedFor = caller;
        for (const m of evaluated) m.clear();
      }
      // evaluateTrust's sameAccount, computed the same way.
      const sameAccount = parts !== undefined && parts.accountId === caller.accountId && parts.partition === caller.partition;
      const cache = evaluated[sameAccount ? 1 : 0]!;
      const prior = parsed ? cache.get(trustPolicy) : undefined;
      if (prior) {
        evaluation = withVerdict(prior, prior.verdict);
      } else {
        evaluation = evaluateTrust(parsed ?? trustPolicy, summary.arn, caller);
        if (parsed) cache.set(trustPolicy, evaluation);
      }
    }
    const role: RoleDefinition = {
      id: `discovered:${summary.arn}`,
      origin: 'discovered',
      label: summary.roleName,
      roleArn: summary.arn,
      accountId: parts?.accountId ?? caller.accountId,
      partition: parts?.partition ?? caller.partition,
      roleName: summary.roleName,
      hops: [{ roleArn: summary.arn }],
      base: opts.base,
      verdict: evaluation.verdict,
    };
    return pathPending && parsed ? { summary, evaluation, role, pathPending, parsed } : { summary, evaluation, role, pathPending };
  };

  const learnCallerPath = (page: readonly IamRoleSummary[]): void => {
    if (caller.kind !== 'assumedRole' || caller.pathKnown !== false) return;
    for (const r of page) {
      if (r.roleName === caller.name) {
        const path = r.path || splitRoleArn(r.arn)?.path || '/';
        caller = callerContext(identity.arn, () => path);
        return;
      }
    }
  };

  // ---- ListRoles, page by page
  const deferredSimulation: string[] = [];
  const iterator = gateway.listRoles(call, opts.pageSize ?? 1000)[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const res = await next;
      if (res.done) break;
      signal?.throwIfAborted();
      // Fetch the next page while this one is evaluated.
      next = iterator.next();
      next.catch(() => undefined);
      const page = res.value;
      learnCallerPath(page);
      const pathPending = caller.kind === 'assumedRole' && caller.pathKnown === false;
      const pageEntries: Entry[] = [];
      for (let i = 0; i < page.length; i += chunkSize) {
        if (i > 0) {
          await yieldToEventLoop();
          signal?.throwIfAborted();
        }
        const end = Math.min(page.length, i + chunkSize);
        for (let j = i; j < end; j++) {
          const entry = evaluate(page[j]!, pathPending);
          entries.set(entry.role.roleArn, entry);
          pageEntries.push(entry);
        }
      }
      const toSimulate = pageEntries.filter((e) => needsSimulation(e.evaluation)).map((e) => e.role.roleArn);
      if (pathPending) {
        deferredSimulation.push(...toSimulate);
        const batch = pageEntries.map((e) => e.role);
        emitChain = emitChain.then(() => emit(batch));
      } else {
        const simP = runSimulation(toSimulate);
        simP.catch(() => undefined);
        emitChain = emitChain.then(async () => {
          await simP;
          for (const e of pageEntries) applySimulation(e);
          emit(pageEntries.map((e) => e.role));
        });
      }
      await yieldToEventLoop();
    }
  } catch (e) {
    if (isCancelled(e) || signal?.aborted || !isAccessDenied(e)) {
      void iterator.return?.().catch(() => undefined);
      await Promise.allSettled([emitChain, aliasP, accountsP]);
      throw e;
    }
    skipped.roles = 'Skipped listing roles: you are not allowed iam:ListRoles';
  }
  await emitChain;

  // ---- roles evaluated before the caller's role path was known
  if (caller.kind === 'assumedRole' && caller.pathKnown !== false) {
    const pending = [...entries.values()].filter((e) => e.pathPending);
    const fresh: Entry[] = [];
    for (let i = 0; i < pending.length; i++) {
      if (i > 0 && i % chunkSize === 0) await yieldToEventLoop();
      const entry = evaluate(pending[i]!.summary, false, pending[i]!.parsed);
      entries.set(entry.role.roleArn, entry);
      fresh.push(entry);
    }
    await runSimulation(fresh.filter((e) => needsSimulation(e.evaluation)).map((e) => e.role.roleArn));
    const changed: RoleDefinition[] = [];
    fresh.forEach((entry, i) => {
      applySimulation(entry);
      const old = pending[i]!.role.verdict;
      if (old?.kind !== entry.role.verdict?.kind || old?.reason !== entry.role.verdict?.reason) changed.push(entry.role);
    });
    if (changed.length > 0) emit(changed);
  } else if (deferredSimulation.length > 0 && !simulationOff) {
    skipped.simulation ||= `Skipped checking your IAM policy: the path of your role ${caller.name ?? ''} is not known`;
  }

  const [accountAlias, accounts] = await Promise.all([aliasP, accountsP]);

  // ---- organization candidates
  const orgRoles: RoleDefinition[] = [];
  for (const account of accounts) {
    if (account.id === caller.accountId) continue; // its roles come from ListRoles
    if (account.status !== undefined && account.status !== 'ACTIVE') continue;
    for (const name of opts.organizationRoleNames) {
      const arn = `arn:${caller.partition}:iam::${account.id}:role/${name}`;
      if (entries.has(arn)) continue;
      orgRoles.push({
        id: `org:${arn}`,
        origin: 'organization',
        label: name,
        roleArn: arn,
        accountId: account.id,
        partition: caller.partition,
        roleName: name,
        accountName: account.name,
        hops: [{ roleArn: arn }],
        base: opts.base,
        verdict: {
          kind: 'unverified',
          reason: `A candidate from the organizationRoleNames setting in account ${account.name || account.id}: unverified until assumed.`,
        },
      });
    }
  }
  if (orgRoles.length > 0) opts.onRoles?.(orgRoles);

  const evaluations = new Map<string, DiscoveredEvaluation>();
  const summaries = new Map<string, IamRoleSummary>();
  const roles: RoleDefinition[] = [];
  for (const e of entries.values()) {
    roles.push(e.role);
    evaluations.set(e.role.roleArn, e.evaluation);
    summaries.set(e.role.roleArn, e.summary);
  }
  roles.push(...orgRoles);

  const result: DiscoveryResult = {
    caller,
    ...(accountAlias !== undefined ? { accountAlias } : {}),
    roles,
    evaluations,
    summaries,
    skipped: [skipped.roles, skipped.simulation, skipped.alias, skipped.accounts].filter((s) => s !== ''),
    accounts,
    discoveredAt: now(),
  };
  opts.cache?.set(identity.arn, result);
  return result;
}
