/**
 * SigV4 verification: parse the Authorization header, re-sign the request with @smithy/signature-v4 over
 * exactly the listed SignedHeaders, and compare.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ParsedAuth {
  accessKeyId: string;
  date: string; // yyyymmdd
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string | undefined): ParsedAuth | 'missing' | 'malformed' {
  if (!header) return 'missing';
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) return 'malformed';
  const parts: Record<string, string> = {};
  for (const piece of m[1].split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return 'malformed';
    parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  const cred = parts.Credential?.split('/');
  if (!cred || cred.length !== 5 || cred[4] !== 'aws4_request' || !parts.SignedHeaders || !parts.Signature) return 'malformed';
  return {
    accessKeyId: cred[0],
    date: cred[1],
    region: cred[2],
    service: cred[3],
    signedHeaders: parts.SignedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
    signature: parts.Signature.toLowerCase(),
  };
}

/** yyyymmddThhmmssZ -> Date */
export function parseAmzDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface VerifyInput {
  method: string;
  /** path part of the URL, undecoded */
  path: string;
  /** raw query string without '?' */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  auth: ParsedAuth;
  secretAccessKey: string;
  signingDate: Date;
}

function parseQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!raw) return out;
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const v = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Returns true when the signature in the Authorization header is the one we compute. */
export async function verifySignature(input: VerifyInput): Promise<boolean> {
  const { auth } = input;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const v = input.headers[name];
    if (v === undefined) return false; // a signed header that is not there cannot verify
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  // A declared payload hash must be the real one (or UNSIGNED-PAYLOAD).
  const declared = headers['x-amz-content-sha256'];
  if (declared && declared !== 'UNSIGNED-PAYLOAD' && declared !== createHash('sha256').update(input.body).digest('hex')) return false;
  const token = headers['x-amz-security-token'];
  const hostHeader = headers.host ?? String(input.headers.host ?? 'localhost');
  let query: Record<string, string | string[]>;
  let path: string;
  try {
    query = parseQuery(input.rawQuery);
    path = decodeURIComponent(input.path);
  } catch {
    return false;
  }
  const request: HttpRequest = {
    method: input.method,
    protocol: 'http:',
    hostname: hostHeader.replace(/:\d+$/, ''),
    path,
    query,
    headers,
    body: input.body.length ? input.body : undefined,
  };
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: input.secretAccessKey, sessionToken: token },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  let signed: HttpRequest;
  try {
    signed = await signer.sign(request, {
      signingDate: input.signingDate,
      signingRegion: auth.region,
      signingService: auth.service,
      signableHeaders: new Set(auth.signedHeaders),
    });
  } catch {
    return false;
  }
  const parsed = parseAuthorization(String(signed.headers.authorization ?? signed.headers.Authorization));
  if (typeof parsed === 'string') return false;
  // The re-signed request must cover exactly the same header list.
  if (parsed.signedHeaders.join(';') !== [...auth.signedHeaders].sort().join(';')) return false;
  const a = Buffer.from(parsed.signature);
  const b = Buffer.from(auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
