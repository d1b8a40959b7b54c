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
  /** Insertion-ordered, so the oldest values fall out first once the bound is reached. */
  private readonly known = new Set<string>();
  private ordered: string[] | undefined;

  /** @param capacity how many recent secret values to remember. Tokens and secret keys are also caught
   *   by shape, so this mainly serves short values such as MFA codes; small keeps each log line cheap. */
  constructor(private readonly capacity = 32) {}

  /** Registers a live secret value (session secret, token, MFA code) so it is removed wherever it appears. */
  add(...values: Array<string | undefined>): void {
    for (const v of values) {
      if (!v || v.length < 4) continue;
      this.known.delete(v);
      this.known.add(v);
      this.ordered = undefined;
    }
    while (this.known.size > this.capacity) {
      this.known.delete(this.known.values().next().value as string);
      this.ordered = undefined;
    }
  }

  remove(...values: Array<string | undefined>): void {
    for (const v of values) if (v && this.known.delete(v)) this.ordered = undefined;
  }

  clear(): void {
    this.known.clear();
    this.ordered = undefined;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a value containing another is removed whole. `includes` is a fast substring
    // search; a compiled alternation of hundreds of long values was measured to be far slower.
    this.ordered ??= [...this.known].sort((a, b) => b.length - a.length);
    for (const v of this.ordered) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return redactShapes(out);
  }
}

// Cheap pre-checks: most log lines have no run of 40 secret-alphabet characters, no secret keyword
// and no key id, so the full patterns run only where they can match.
const HAS_LONG_RUN = /[A-Za-z0-9/+=_-]{40}/;
const HAS_KEYWORD = /secret|token/i;
const HAS_KEY_ID = /AKIA|ASIA|AIDA|AROA/;

/** Removes anything shaped like an AWS secret, without knowing the values. */
export function redactShapes(text: string): string {
  let out = text;
  if (HAS_KEYWORD.test(out)) out = out.replace(ASSIGNMENT, (_m, k: string) => `${k}${REDACTED}`);
  if (HAS_LONG_RUN.test(out)) out = out.replace(LONG_TOKEN, REDACTED).replace(SECRET_KEY, REDACTED);
  if (HAS_KEY_ID.test(out)) out = out.replace(ACCESS_KEY_ID, (_m, head: string, tail: string) => `${head.slice(0, 4)}…${tail}`);
  return out;
}

export const REDACTION_MARK = REDACTED;
