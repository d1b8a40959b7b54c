// How the Roles view groups roles (setting roleSwitcher.tree.groupBy): by account (the default), by
// organization unit (when discovery knows the accounts' OUs), or by label prefix (`team/…` → `team`).
// Pure; O(n) over the roles plus sorting the groups.
import { type AccountGroup, compareLabels } from './roles';
import type { RoleDefinition } from './types';

export type GroupBy = 'account' | 'organizationUnit' | 'labelPrefix';

export interface RoleGroup {
  /** Stable id (the tree item id, and the key of the remembered collapse state). */
  readonly id: string;
  readonly kind: 'account' | 'ou' | 'prefix';
  readonly label: string;
  /** Set for account groups. */
  readonly accountId?: string;
  readonly roles: readonly RoleDefinition[];
}

export interface Grouping {
  readonly groups: RoleGroup[];
  /** Why the grouping asked for was not possible (shown as an info row), if it wasn't. */
  readonly note?: string;
}

// The same order as the account groups (core/roles.ts builds the collator on first use, not at load).
const compare = compareLabels;

export function parseGroupBy(v: unknown): GroupBy {
  return v === 'organizationUnit' || v === 'labelPrefix' ? v : 'account';
}

/** `team/web-admin` → `team`; undefined without a non-empty prefix. */
export function labelPrefix(label: string): string | undefined {
  const i = label.indexOf('/');
  if (i <= 0) return undefined;
  const p = label.slice(0, i).trim();
  return p || undefined;
}

function byAccount(groups: readonly AccountGroup[]): RoleGroup[] {
  return groups.map((g) => ({ id: `account:${g.accountId}`, kind: 'account', label: g.label, accountId: g.accountId, roles: g.roles }));
}

/**
 * `accountGroups` is groupByAccount's output (deduplicated, sorted). `ouOf` names an account's
 * organization unit, when discovery knows it.
 */
export function groupRoles(accountGroups: readonly AccountGroup[], by: GroupBy, ouOf?: (accountId: string) => string | undefined): Grouping {
  if (by === 'labelPrefix') {
    const prefixed = new Map<string, RoleDefinition[]>();
    const rest: AccountGroup[] = [];
    for (const g of accountGroups) {
      const left: RoleDefinition[] = [];
      for (const r of g.roles) {
        const p = labelPrefix(r.label);
        if (p === undefined) left.push(r);
        else {
          const list = prefixed.get(p);
          if (list) list.push(r);
          else prefixed.set(p, [r]);
        }
      }
      if (left.length) rest.push(left.length === g.roles.length ? g : { ...g, roles: left });
    }
    const groups: RoleGroup[] = [...prefixed]
      .sort((a, b) => compare(a[0], b[0]))
      .map(([p, roles]) => ({ id: `prefix:${p}`, kind: 'prefix', label: p, roles: roles.sort((a, b) => compare(a.label, b.label) || compare(a.id, b.id)) }));
    // Roles without a prefix stay under their accounts, after the prefix groups.
    return { groups: [...groups, ...byAccount(rest)] };
  }
  if (by === 'organizationUnit') {
    const ous = new Map<string, RoleDefinition[]>();
    const rest: AccountGroup[] = [];
    for (const g of accountGroups) {
      const ou = ouOf?.(g.accountId);
      if (!ou) {
        rest.push(g);
        continue;
      }
      const list = ous.get(ou);
      if (list) list.push(...g.roles);
      else ous.set(ou, [...g.roles]);
    }
    if (ous.size === 0) {
      return { groups: byAccount(accountGroups), note: 'Grouped by account: discovery has no organization unit data for these accounts (setting roleSwitcher.tree.groupBy).' };
    }
    const groups: RoleGroup[] = [...ous].sort((a, b) => compare(a[0], b[0])).map(([ou, roles]) => ({ id: `ou:${ou}`, kind: 'ou', label: ou, roles }));
    return { groups: [...groups, ...byAccount(rest)] };
  }
  return { groups: byAccount(accountGroups) };
}
