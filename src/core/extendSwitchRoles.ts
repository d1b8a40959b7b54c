// The configuration format of the browser extension "AWS Extend Switch Roles" (tilfinltd), pure: read it
// with line numbers and turn it into roleSwitcher.accounts entries (label, nearest theme-safe color) and,
// on request, roleSwitcher.roles items.
//
// The format, as the extension reads it: INI-like blocks `[profile NAME]` or `[NAME]`; `key = value`
// lines; `;` and `#` start a comment line. A target role is `role_arn`, or `aws_account_id` plus
// `role_name`. `color` is an RGB hex value without `#` (ffaa22). Optional: `region`, `image`, and for
// people who sign in to one account and switch from there, a base block with `aws_account_id` +
// `target_role_name` (no role_name) whose name other blocks give as `source_profile`; a block with
// `source_profile` and no `role_name` switches to the base's `target_role_name`.

import type { AccountColor, AccountSettings } from './accounts';

export interface EsrProfile {
  readonly name: string;
  /** 1-based line of the `[…]` header. */
  readonly line: number;
  readonly accountId: string;
  readonly roleName: string;
  /** role_arn as written, else arn:aws:iam::<aws_account_id>:role/<role_name>. */
  readonly roleArn: string;
  readonly color?: AccountColor;
  /** The color as written (`ffaa22`), for the preview. */
  readonly hex?: string;
  readonly region?: string;
  readonly sourceProfile?: string;
}

export interface EsrError {
  readonly line: number;
  readonly message: string;
}

export interface EsrImport {
  readonly profiles: readonly EsrProfile[];
  /** Problems with a line number; the block in question is skipped, the rest imported. */
  readonly errors: readonly EsrError[];
  /** Not errors: base (sign-in) blocks skipped, gray colors left without a theme color. */
  readonly notes: readonly string[];
}

const HEADER = /^\[\s*(?:profile\s+)?([^\]]*?)\s*\]$/i;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@/-]{1,512}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@/-]+)$/;
const HEX = /^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/;
const REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}$/;

interface Block {
  name: string;
  line: number;
  keys: Map<string, { value: string; line: number }>;
}

/** Parses the text; never throws. */
export function parseExtendSwitchRoles(text: string): EsrImport {
  const errors: EsrError[] = [];
  const notes: string[] = [];
  const blocks: Block[] = [];
  let current: Block | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) return;
    if (line.startsWith('[')) {
      const m = HEADER.exec(line);
      if (!m || !m[1]) {
        errors.push({ line: n, message: `line ${n}: "${line.slice(0, 60)}" is not a section header such as [profile production]` });
        current = undefined;
        return;
      }
      current = { name: m[1], line: n, keys: new Map() };
      blocks.push(current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push({ line: n, message: `line ${n}: expected key = value, found "${line.slice(0, 60)}"` });
      return;
    }
    if (!current) {
      errors.push({ line: n, message: `line ${n}: "${line.slice(0, eq).trim()}" comes before any [profile …] header` });
      return;
    }
    current.keys.set(line.slice(0, eq).trim().toLowerCase(), { value: line.slice(eq + 1).trim(), line: n });
  });

  const byName = new Map(blocks.map((b) => [b.name, b]));
  const profiles: EsrProfile[] = [];
  for (const b of blocks) {
    const get = (k: string) => b.keys.get(k)?.value || undefined;
    const lineOf = (k: string) => b.keys.get(k)?.line ?? b.line;
    let accountId = get('aws_account_id');
    let roleName = get('role_name');
    const arn = get('role_arn');
    if (arn) {
      const m = ROLE_ARN.exec(arn);
      if (!m) {
        errors.push({ line: lineOf('role_arn'), message: `line ${lineOf('role_arn')}: [${b.name}] role_arn "${arn.slice(0, 80)}" is not a role ARN such as arn:aws:iam::123456789012:role/Admin` });
        continue;
      }
      accountId = m[1];
      roleName = m[2];
    }
    const source = get('source_profile');
    if (!roleName && source) roleName = byName.get(source)?.keys.get('target_role_name')?.value || undefined;
    if (!roleName && !accountId) {
      errors.push({ line: b.line, message: `line ${b.line}: [${b.name}] needs role_arn, or aws_account_id and role_name` });
      continue;
    }
    if (!accountId || !ACCOUNT_ID.test(accountId)) {
      const l = lineOf('aws_account_id');
      errors.push({ line: l, message: `line ${l}: [${b.name}] aws_account_id must be 12 digits${accountId ? `, found "${accountId.slice(0, 20)}"` : ''}` });
      continue;
    }
    if (!roleName) {
      // A sign-in (base) account: the blocks that name it as source_profile are the targets.
      if (get('target_role_name')) notes.push(`[${b.name}] (line ${b.line}) is the account you sign in to (target_role_name without role_name): not imported as a target.`);
      else errors.push({ line: b.line, message: `line ${b.line}: [${b.name}] has aws_account_id but no role_name` });
      continue;
    }
    if (!ROLE_NAME.test(roleName)) {
      const l = lineOf('role_name');
      errors.push({ line: l, message: `line ${l}: [${b.name}] role_name "${roleName.slice(0, 60)}" is not a valid role name` });
      continue;
    }
    const hexRaw = get('color');
    let color: AccountColor | undefined;
    let hex: string | undefined;
    if (hexRaw) {
      const m = HEX.exec(hexRaw);
      if (!m) {
        const l = lineOf('color');
        errors.push({ line: l, message: `line ${l}: [${b.name}] color "${hexRaw.slice(0, 20)}" is not an RGB hex value such as ffaa22; imported without a color` });
      } else {
        hex = m[1].toLowerCase();
        color = nearestThemeColor(hex);
        if (!color) notes.push(`[${b.name}] (line ${lineOf('color')}): ${hex} is gray, close to no theme color; imported without a color.`);
      }
    }
    const region = get('region');
    profiles.push({
      name: b.name,
      line: b.line,
      accountId,
      roleName,
      roleArn: arn ?? `arn:aws:iam::${accountId}:role/${roleName}`,
      ...(color ? { color } : {}),
      ...(hex ? { hex } : {}),
      ...(region && REGION.test(region) ? { region } : {}),
      ...(source ? { sourceProfile: source } : {}),
    });
  }
  errors.sort((x, y) => x.line - y.line);
  return { profiles, errors, notes };
}

/**
 * The nearest of the six theme-safe colors to an RGB hex value, by hue: theme colors are drawn by each
 * theme in its own shade, so only the hue survives. Hue bands (degrees): red 345–15, orange 15–42,
 * yellow 42–70, green 70–165, blue 165–255, purple 255–345 (pinks count as purple, except the ones
 * close to red). A gray (saturation under 15%, or nearly black or white) has no hue: undefined.
 */
export function nearestThemeColor(hex: string): AccountColor | undefined {
  const h = hex.replace(/^#/, '');
  const full = h.length === 3 ? h.replace(/./g, (c) => c + c) : h;
  if (!/^[0-9a-fA-F]{6}$/.test(full)) return undefined;
  const r = parseInt(full.slice(0, 2), 16) / 255;
  const g = parseInt(full.slice(2, 4), 16) / 255;
  const b = parseInt(full.slice(4, 6), 16) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (s < 0.15 || l < 0.08 || l > 0.96) return undefined;
  let hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  hue = (hue * 60 + 360) % 360;
  if (hue >= 345 || hue < 15) return 'red';
  if (hue < 42) return 'orange';
  if (hue < 70) return 'yellow';
  if (hue < 165) return 'green';
  if (hue < 255) return 'blue';
  return 'purple';
}

/**
 * roleSwitcher.accounts entries from the profiles: one per account, labelled with the name of its first
 * profile and colored with the first profile that has a theme color. ESR colors a role; an account here
 * takes the first color its roles have (the roles keep their own when added to roleSwitcher.roles).
 */
export function accountsFromProfiles(profiles: readonly EsrProfile[]): Map<string, AccountSettings> {
  const out = new Map<string, AccountSettings>();
  for (const p of profiles) {
    const prev = out.get(p.accountId);
    if (!prev) out.set(p.accountId, { label: p.name.slice(0, 64), ...(p.color ? { color: p.color } : {}) });
    else if (!prev.color && p.color) out.set(p.accountId, { ...prev, color: p.color });
  }
  return out;
}

/** roleSwitcher.roles items for the profiles (the role's own color kept), skipping ARNs already listed. */
export function rolesFromProfiles(profiles: readonly EsrProfile[], existing: readonly unknown[]): Record<string, unknown>[] {
  const listed = new Set<string>();
  for (const e of existing) {
    const o = e as { roleArn?: unknown; accountId?: unknown; roleName?: unknown } | null;
    if (typeof o?.roleArn === 'string') listed.add(o.roleArn);
    else if (o && (typeof o.accountId === 'string' || typeof o.accountId === 'number') && typeof o.roleName === 'string') listed.add(`arn:aws:iam::${o.accountId}:role/${o.roleName}`);
  }
  const out: Record<string, unknown>[] = [];
  for (const p of profiles) {
    const roleArn = p.roleArn;
    if (listed.has(roleArn)) continue;
    listed.add(roleArn);
    out.push({ roleArn, label: p.name.slice(0, 100), ...(p.color ? { color: p.color } : {}), ...(p.region ? { region: p.region } : {}) });
  }
  return out;
}
