// "Prod looks like prod" (issue 13): the roleSwitcher.accounts setting, pure. An account ID maps to a
// label, one of six theme-safe colors, whether to confirm before assuming a role in it, and a
// read-only hint. This file validates the setting and holds the rules that turn an account's entry
// into what the status bar, the tree, role terminals and the confirm step show. No vscode here: the
// host turns the theme color ids below into ThemeColor objects (src/host/accountStyle.ts).

/** The theme-safe colors: each has a `charts.*` and a terminal ANSI color in every built-in theme. */
export const ACCOUNT_COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const;
export type AccountColor = (typeof ACCOUNT_COLORS)[number];

/** One entry of roleSwitcher.accounts, validated. */
export interface AccountSettings {
  readonly label?: string;
  readonly color?: AccountColor;
  readonly confirm?: boolean;
  readonly readOnlyHint?: boolean;
}

export interface AccountsConfig {
  /** Valid entries by 12-digit account ID. */
  readonly byId: ReadonlyMap<string, AccountSettings>;
  /** One sentence per problem, each naming the setting key (`roleSwitcher.accounts["…"]`). */
  readonly problems: readonly string[];
}

export const ACCOUNTS_SETTING = 'roleSwitcher.accounts';

/**
 * The sibling setting roleSwitcher.accounts.confirmByTyping: VS Code nests dotted keys into their
 * parent, so its value shows up as a property of roleSwitcher.accounts. It is not an account.
 */
export const CONFIRM_BY_TYPING_KEY = 'confirmByTyping';

export const EMPTY_ACCOUNTS: AccountsConfig = { byId: new Map(), problems: [] };

const ACCOUNT_ID = /^\d{12}$/;
const MAX_LABEL = 64;

export function isAccountColor(v: unknown): v is AccountColor {
  return typeof v === 'string' && (ACCOUNT_COLORS as readonly string[]).includes(v);
}

/**
 * Validates the raw setting. A key that is not a 12-digit account ID, or a value that is not an object,
 * drops that entry (it could never match a role). A bad field drops only that field, with a problem:
 * an unknown color must never cost the entry its `confirm`, which would silently remove a guardrail.
 * Everything valid is kept.
 */
export function parseAccounts(raw: unknown): AccountsConfig {
  if (raw === undefined || raw === null) return EMPTY_ACCOUNTS;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { byId: new Map(), problems: [`Setting ${ACCOUNTS_SETTING} must be an object that maps 12-digit account IDs to { label, color, confirm, readOnlyHint }; it is ignored.`] };
  }
  const byId = new Map<string, AccountSettings>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === CONFIRM_BY_TYPING_KEY) continue;
    const where = `Setting ${ACCOUNTS_SETTING}["${key.slice(0, 40)}"]`;
    if (!ACCOUNT_ID.test(key)) {
      problems.push(`${where}: the key must be a 12-digit account ID such as "123456789012"; the entry is ignored.`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${where}: the value must be an object such as { "label": "Production", "color": "red", "confirm": true }; the entry is ignored.`);
      continue;
    }
    const o = value as Record<string, unknown>;
    const entry: { -readonly [K in keyof AccountSettings]: AccountSettings[K] } = {};
    if (o.label !== undefined) {
      const label = typeof o.label === 'string' ? o.label.trim() : '';
      if (label && label.length <= MAX_LABEL && !/\p{Cc}/u.test(label)) entry.label = label;
      else problems.push(`${where}.label must be text of 1 to ${MAX_LABEL} characters; the label is ignored.`);
    }
    if (o.color !== undefined) {
      if (isAccountColor(o.color)) entry.color = o.color;
      else problems.push(`${where}.color "${String(o.color).slice(0, 20)}" is not one of ${ACCOUNT_COLORS.join(', ')}; the color is ignored.`);
    }
    for (const flag of ['confirm', 'readOnlyHint'] as const) {
      if (o[flag] === undefined) continue;
      if (typeof o[flag] === 'boolean') entry[flag] = o[flag];
      else problems.push(`${where}.${flag} must be true or false; it is ignored.`);
    }
    byId.set(key, entry);
  }
  return { byId, problems };
}

// ---------------------------------------------------------------------------------- the rules

/**
 * Status bar background for an account color: red → the error background; yellow and orange → the
 * warning background. VS Code themes define only these two status bar item backgrounds
 * (statusBarItem.errorBackground / warningBackground); an arbitrary color would be unreadable in some
 * themes. Orange is "careful", like yellow, not "danger", so it shares the warning background.
 * Green, blue and purple keep the default background.
 */
export function statusBarBackground(color: AccountColor | undefined): 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground' | undefined {
  if (color === 'red') return 'statusBarItem.errorBackground';
  if (color === 'yellow' || color === 'orange') return 'statusBarItem.warningBackground';
  return undefined;
}

/** Theme color id of a tree icon in this color (charts.* exists in every theme). */
export function treeIconColor(color: AccountColor): string {
  return `charts.${color}`;
}

/**
 * Theme color id of a terminal tab in this color. The terminal palette has no orange: orange uses
 * terminal.ansiBrightRed, which themes draw lighter than terminal.ansiRed, so it stays apart from both
 * red and yellow. Purple is terminal.ansiMagenta.
 */
export function terminalColor(color: AccountColor): string {
  switch (color) {
    case 'red':
      return 'terminal.ansiRed';
    case 'orange':
      return 'terminal.ansiBrightRed';
    case 'yellow':
      return 'terminal.ansiYellow';
    case 'green':
      return 'terminal.ansiGreen';
    case 'blue':
      return 'terminal.ansiBlue';
    case 'purple':
      return 'terminal.ansiMagenta';
  }
}

/**
 * Which color a role is drawn in (tree icon, terminal tab). The role's own color (RoleDefinition.color,
 * from roleSwitcher.roles) wins over its account's: it is the more specific choice. It is one of the
 * six names, or a theme color id / #hex as before. The status bar background does not follow this rule:
 * see `roleStatusBackground`.
 */
export function roleColor(roleColorValue: string | undefined, account: AccountSettings | undefined): { readonly name?: AccountColor; readonly themeId?: string } | undefined {
  if (roleColorValue) {
    if (isAccountColor(roleColorValue)) return { name: roleColorValue };
    if (!roleColorValue.startsWith('#')) return { themeId: roleColorValue };
  }
  return account?.color ? { name: account.color } : undefined;
}

const SEVERITY = { 'statusBarItem.errorBackground': 2, 'statusBarItem.warningBackground': 1 } as const;

/**
 * The status bar background of a session: the stronger of its account's and its role's color (red over
 * yellow/orange over none), and the expiry warning when nothing else applies. The background is the
 * safety signal, so a role's own calm color never hides its account's red.
 */
export function roleStatusBackground(roleColorValue: string | undefined, account: AccountSettings | undefined, expiring: boolean): 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground' | undefined {
  const a = statusBarBackground(account?.color);
  const r = isAccountColor(roleColorValue) ? statusBarBackground(roleColorValue) : undefined;
  const strongest = (a && r ? (SEVERITY[a] >= SEVERITY[r] ? a : r) : (a ?? r));
  return strongest ?? (expiring ? 'statusBarItem.warningBackground' : undefined);
}

/** `123456789012` → `1234…`: enough to tell accounts apart in a sentence. */
export function shortAccountId(accountId: string): string {
  return accountId.length > 4 ? `${accountId.slice(0, 4)}…` : accountId;
}

/** What the user confirms: "You are switching to PRODUCTION (1234…) as Admin". */
export function confirmText(accountId: string, account: AccountSettings | undefined, roleLabel: string): string {
  const who = account?.label ? `${account.label.toUpperCase()} (${shortAccountId(accountId)})` : `account ${accountId}`;
  return `You are switching to ${who} as ${roleLabel}`;
}

/** What must be typed with roleSwitcher.accounts.confirmByTyping: the account's label, else its ID. */
export function confirmWord(accountId: string, account: AccountSettings | undefined): string {
  return account?.label ?? accountId;
}

/** Whether a typed confirmation matches (surrounding spaces ignored, case-sensitive). */
export function confirmMatches(typed: string | undefined, word: string): boolean {
  return typed !== undefined && typed.trim() === word;
}

/** The tooltip line of a read-only account. */
export const READ_ONLY_HINT = 'Read-only account: look, don\u2019t change (roleSwitcher.accounts readOnlyHint).';

/** Tooltip lines an account adds (label, confirm, read-only hint). */
export function accountTooltipLines(accountId: string, account: AccountSettings | undefined): string[] {
  if (!account) return [];
  const lines: string[] = [];
  if (account.label) lines.push(`Account: ${account.label} (${accountId})`);
  if (account.readOnlyHint) lines.push(READ_ONLY_HINT);
  if (account.confirm) lines.push('Switching to this account asks for confirmation first.');
  return lines;
}

/** The account group's label in the tree: "Production (123456789012)" when the account has a label. */
export function accountGroupLabel(accountId: string, account: AccountSettings | undefined, fallback: string): string {
  return account?.label ? `${account.label} (${accountId})` : fallback;
}

/**
 * Merges imported entries into the current setting value (what the import command writes to user
 * settings): imported fields replace the same fields, other fields and accounts stay. Returns the new
 * value and one line per change, for the preview. `confirmByTyping` (VS Code's nesting of the sibling
 * setting) is never written back into the object.
 */
export function mergeAccounts(current: unknown, imported: ReadonlyMap<string, AccountSettings>): { value: Record<string, unknown>; changes: string[] } {
  const value: Record<string, unknown> = {};
  if (current && typeof current === 'object' && !Array.isArray(current)) {
    for (const [k, v] of Object.entries(current as Record<string, unknown>)) if (k !== CONFIRM_BY_TYPING_KEY) value[k] = v;
  }
  const changes: string[] = [];
  for (const [id, entry] of imported) {
    const before = value[id] && typeof value[id] === 'object' && !Array.isArray(value[id]) ? (value[id] as Record<string, unknown>) : undefined;
    const after: Record<string, unknown> = { ...(before ?? {}) };
    const diffs: string[] = [];
    for (const k of ['label', 'color', 'confirm', 'readOnlyHint'] as const) {
      if (entry[k] === undefined || after[k] === entry[k]) continue;
      diffs.push(after[k] === undefined ? `${k} ${JSON.stringify(entry[k])}` : `${k} ${JSON.stringify(after[k])} → ${JSON.stringify(entry[k])}`);
      after[k] = entry[k];
    }
    if (!diffs.length) continue;
    value[id] = after;
    changes.push(`${before ? 'update' : 'add'} ${id}: ${diffs.join(', ')}`);
  }
  return { value, changes };
}
