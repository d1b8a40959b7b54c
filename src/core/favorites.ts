// Favorites (pinned roles) and recents (the last roles switched to), as role ids only. Pure: the host
// hands in a persistence port (globalState). Role ids are `profile:<name>`, `settings:<arn>`,
// `discovered:<arn>`, `org:<arn>`, `sso:<portal>:<account>:<role>`: never a secret, and anything that
// does not look like one is neither stored nor returned.

/** Where the lists live: a key-value store such as vscode.Memento. */
export interface FavoritesPort {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

export const FAVORITES_KEY = 'roleSwitcher.favorites';
export const RECENTS_KEY = 'roleSwitcher.recents';
export const MAX_RECENTS = 10;
const MAX_FAVORITES = 500;

const ROLE_ID = /^(?:profile|settings|discovered|org|organization|sso):[^\p{Cc}]{1,1000}$/u;

/** Whether `id` has the shape of a role id (and nothing else, so nothing else reaches the store). */
export function isRoleId(id: unknown): id is string {
  return typeof id === 'string' && ROLE_ID.test(id);
}

/**
 * What this window last wrote under each key, per store. VS Code's globalState can hand back an older
 * value for a moment after an update: its extension host replaces its whole copy when the workbench
 * echoes a storage change, and around startup such an echo can carry the state from before the update
 * (microsoft/vscode#171827). What the user pinned in this window therefore stays pinned here whatever
 * the store says meanwhile, and every later write carries the whole list again. The price: a change
 * made in another window shows here after a reload once this window has written that key itself.
 */
const entries = new WeakMap<FavoritesPort, Map<string, { written?: readonly string[]; raw?: unknown; ids?: readonly string[] }>>();

function entry(port: FavoritesPort, key: string): { written?: readonly string[]; raw?: unknown; ids?: readonly string[] } {
  let byKey = entries.get(port);
  if (!byKey) entries.set(port, (byKey = new Map()));
  let e = byKey.get(key);
  if (!e) byKey.set(key, (e = {}));
  return e;
}

/** What this window wrote, else the stored list (the same raw value is parsed once). */
function readIds(port: FavoritesPort, key: string, max: number): readonly string[] {
  const e = entry(port, key);
  if (e.written) return e.written;
  const v = port.get(key);
  if (e.ids && e.raw === v) return e.ids;
  const out: string[] = [];
  if (Array.isArray(v)) {
    const seen = new Set<string>();
    for (const x of v) {
      if (!isRoleId(x) || seen.has(x)) continue;
      seen.add(x);
      out.push(x);
      if (out.length >= max) break;
    }
  }
  e.raw = v;
  e.ids = out;
  return out;
}

async function writeIds(port: FavoritesPort, key: string, ids: readonly string[]): Promise<void> {
  entry(port, key).written = ids;
  await port.update(key, ids);
}

/** `id` first, the rest after it without duplicates, at most `max`. */
export function pushRecent(list: readonly string[], id: string, max = MAX_RECENTS): string[] {
  return [id, ...list.filter((x) => x !== id)].slice(0, max);
}

/** Pinned role ids (in pin order) and recent ones (newest first). */
export class Favorites {
  constructor(private readonly port: FavoritesPort) {}

  /** Pinned ids in pin order (a shared list: copy it before changing it). */
  pinned(): readonly string[] {
    return readIds(this.port, FAVORITES_KEY, MAX_FAVORITES);
  }

  isPinned(id: string): boolean {
    return this.pinned().includes(id);
  }

  /** Pins `id` (at the end); false if it is not a role id or already pinned. */
  async pin(id: string): Promise<boolean> {
    const list = this.pinned();
    if (!isRoleId(id) || list.includes(id) || list.length >= MAX_FAVORITES) return false;
    await writeIds(this.port, FAVORITES_KEY, [...list, id]);
    return true;
  }

  async unpin(id: string): Promise<boolean> {
    const list = this.pinned();
    if (!list.includes(id)) return false;
    await writeIds(this.port, FAVORITES_KEY, list.filter((x) => x !== id));
    return true;
  }

  /** The last `limit` (at most 10) roles switched to, newest first. */
  recents(limit = MAX_RECENTS): string[] {
    return readIds(this.port, RECENTS_KEY, MAX_RECENTS).slice(0, limit);
  }

  /** Records a switch to `id`; nothing for anything that is not a role id. */
  async touch(id: string): Promise<void> {
    if (!isRoleId(id)) return;
    const list = this.recents();
    if (list[0] === id) return;
    await writeIds(this.port, RECENTS_KEY, pushRecent(list, id));
  }
}

/**
 * The order a role picker shows: favorites (pin order), then recents not pinned (newest first), then
 * the rest (as given). Ids not in `items` are skipped. One pass over `items`: no O(n²) work.
 */
export function sectionByFavorites<T>(items: readonly T[], idOf: (t: T) => string, pinned: readonly string[], recents: readonly string[]): { favorites: T[]; recent: T[]; rest: T[] } {
  if (pinned.length === 0 && recents.length === 0) return { favorites: [], recent: [], rest: items.slice() };
  const pinIndex = new Map(pinned.map((id, i) => [id, i]));
  const recentIndex = new Map(recents.map((id, i) => [id, i]));
  const favorites: (T | undefined)[] = new Array(pinned.length);
  const recent: (T | undefined)[] = new Array(recents.length);
  const rest: T[] = [];
  for (const it of items) {
    const id = idOf(it);
    const p = pinIndex.get(id);
    if (p !== undefined) {
      if (favorites[p] === undefined) favorites[p] = it;
      continue;
    }
    const r = recentIndex.get(id);
    if (r !== undefined) {
      if (recent[r] === undefined) recent[r] = it;
      continue;
    }
    rest.push(it);
  }
  return { favorites: favorites.filter((x): x is T => x !== undefined), recent: recent.filter((x): x is T => x !== undefined), rest };
}
