// The one redaction function. It sits in front of the log channel and of every message shown to
// the user, so a secret that slips into an error string (an SDK message, a stack, a response body)
// is removed before anyone can see or persist it.

const REDACTED = '«redacted»';

// Shapes of AWS secrets, matched conservatively so ARNs, ids and words survive:
// - secret access keys: 40 chars of base64 alphabet, bounded by non-base64 characters;
// - session tokens: long base64 runs (real STS tokens are hundreds of characters);
// - access key ids: AKIA/ASIA + 16 uppercase letters or digits (kept as a hint: prefix + last 4).
const SECRET_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const LONG_TOKEN = /[A-Za-z0-9/+=_-]{100,}/g;
const ACCESS_KEY_ID = /\b((?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12})([A-Z0-9]{4})\b/g;
// key=value forms, e.g. "aws_secret_access_key = ..." or "X-Amz-Security-Token: ..."
const ASSIGNMENT = /((?:secret[_-]?access[_-]?key|session[_-]?token|security[_-]?token|SecretAccessKey|SessionToken|aws_session_token|TokenCode|tokenCode)["']?\s*[:=]\s*["']?)([^\s"',;&<]+)/gi;

export class Redactor {
  /** Insertion-ordered (a re-added value moves to the end), so the oldest fall out first at the bound. */
  private readonly known = new Set<string>();

  /** @param capacity how many recent secret values to remember. Tokens and secret keys are also caught
   *   by shape, so this mainly serves short values such as MFA codes; small keeps each log line cheap. */
  constructor(private readonly capacity = 32) {}

  /**
   * Registers a live secret value (session secret, token, MFA code) so it is removed wherever it appears.
   * O(1) per value: nothing is sorted or compiled here (this runs on every switch).
   */
  add(...values: Array<string | undefined>): void {
    const known = this.known;
    for (const v of values) {
      if (!v || v.length < 4) continue;
      known.delete(v);
      known.add(v);
      if (known.size > this.capacity) known.delete(known.values().next().value as string);
    }
  }

  remove(...values: Array<string | undefined>): void {
    for (const v of values) if (v) this.known.delete(v);
  }

  clear(): void {
    this.known.clear();
  }

  redact(text: string): string {
    // `includes` is a fast substring search (a value longer than the text is rejected at once); a
    // compiled alternation of many long values was measured to be far slower. Nothing is built or
    // sorted unless a known value occurs: then the ones found are removed longest first, so a value
    // containing another is removed whole.
    let hits: string[] | undefined;
    for (const v of this.known) if (text.includes(v)) (hits ??= []).push(v);
    let out = text;
    if (hits) {
      if (hits.length > 1) hits.sort((a, b) => b.length - a.length);
      for (const v of hits) if (out.includes(v)) out = out.split(v).join(REDACTED);
    }
    return redactShapes(out);
  }
}

// Cheap pre-checks: most log lines have no run of 40 secret-alphabet characters, no secret keyword
// and no key id, so the full patterns run only where they can match.
const HAS_KEYWORD = /secret|token/i;
const HAS_KEY_ID = /AKIA|ASIA|AIDA|AROA/;

/** Characters of the secret alphabet ([A-Za-z0-9/+=_-]), by char code. */
const SECRET_CHAR = (() => {
  const t = new Uint8Array(128);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+=_-') t[c.charCodeAt(0)] = 1;
  return t;
})();

/**
 * Whether `text` has a run of 40 secret-alphabet characters (what LONG_TOKEN and SECRET_KEY need to
 * match). One pass over the text: the regex /[A-Za-z0-9/+=_-]{40}/ retries at every position and
 * cost more than the rest of the redaction of a typical log line.
 */
function hasLongRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && SECRET_CHAR[c] === 1) {
      if (++run >= 40) return true;
    } else run = 0;
  }
  return false;
}

/** Removes anything shaped like an AWS secret, without knowing the values. */
export function redactShapes(text: string): string {
  let out = text;
  if (HAS_KEYWORD.test(out)) out = out.replace(ASSIGNMENT, (_m, k: string) => `${k}${REDACTED}`);
  if (hasLongRun(out)) out = out.replace(LONG_TOKEN, REDACTED).replace(SECRET_KEY, REDACTED);
  if (HAS_KEY_ID.test(out)) out = out.replace(ACCESS_KEY_ID, (_m, head: string, tail: string) => `${head.slice(0, 4)}…${tail}`);
  return out;
}

export const REDACTION_MARK = REDACTED;
