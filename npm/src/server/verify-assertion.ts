/**
 * `verifyAssertion`: what an app's backend runs on the `assertion` its page received from
 * entry-server. WebCrypto Ed25519 only (Node 20+, Deno, Bun, Workers): no dependency, no key
 * material but the server's public keys.
 */
import { ErrorCode } from '../error-codes.js';
import { EntrySDKError } from '../errors.js';
import type { AssertionClaims } from '../server-types.js';

/** Where the server's public keys come from, and what the assertion must say. */
export interface VerifyAssertionOptions {
  /** The server's JWKS, e.g. `https://entry.example/.well-known/jwks.json` (cached; refetched once for an unknown `kid`). */
  jwksUrl?: string;
  /** Or the keys themselves: a JWKS (`{ keys }`) or its `keys` list. */
  keys?: { keys: JsonWebKey[] } | JsonWebKey[];
  /** The app id the assertion must be for (`aud`). */
  audience: string;
  /** The nonce of the attempt your page started: checked when given (recommended). */
  nonce?: string;
  /** Refuse assertions issued longer ago than this, seconds. Default: only `exp` is checked. */
  maxAge?: number;
  /** The issuer (`iss`). Default `entry-server`. */
  issuer?: string;
  /** Clock difference tolerated, seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** The time to check against, Unix milliseconds. Default `Date.now()`. */
  now?: number;
}

/** A verified assertion: its claims, and the key that signed it. */
export interface VerifiedAssertion {
  /** The claims (see `AssertionClaims`). */
  claims: AssertionClaims;
  /** The `kid` of the server key that signed it. */
  kid: string;
}

interface Jwk extends JsonWebKey {
  kid?: string;
}

const JWKS_REFRESH_MS = 30_000;
const jwksCache = new Map<string, { keys: Jwk[]; fetched: number }>();

function invalid(message: string): EntrySDKError {
  return new EntrySDKError(ErrorCode.SESSION_INVALID, message);
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw invalid('the assertion is not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function parseJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(part)));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (e) {
    if (e instanceof EntrySDKError) throw e;
  }
  throw invalid(`the assertion's ${what} is not a JSON object`);
}

async function fetchKeys(url: string, force: boolean): Promise<Jwk[]> {
  const cached = jwksCache.get(url);
  if (cached && (!force || Date.now() - cached.fetched < JWKS_REFRESH_MS)) return cached.keys;
  let answer: Response;
  try {
    answer = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (e) {
    throw new EntrySDKError(ErrorCode.NETWORK_ERROR, `cannot fetch ${url}`, e);
  }
  if (!answer.ok) throw new EntrySDKError(ErrorCode.NETWORK_ERROR, `${url} answered ${answer.status}`);
  const body = (await answer.json()) as { keys?: Jwk[] };
  const keys = Array.isArray(body.keys) ? body.keys : [];
  jwksCache.set(url, { keys, fetched: Date.now() });
  return keys;
}

async function keyFor(kid: string, options: VerifyAssertionOptions): Promise<Jwk> {
  if (options.keys) {
    const keys: Jwk[] = Array.isArray(options.keys) ? options.keys : options.keys.keys;
    const key = keys.find((k) => k.kid === kid);
    if (!key) throw invalid(`no key ${kid} among the given keys`);
    return key;
  }
  if (!options.jwksUrl) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'give jwksUrl or keys');
  const key =
    (await fetchKeys(options.jwksUrl, false)).find((k) => k.kid === kid) ??
    // A rotation may have published a key since the last fetch.
    (await fetchKeys(options.jwksUrl, true)).find((k) => k.kid === kid);
  if (!key) throw invalid(`the server publishes no key ${kid}`);
  return key;
}

/**
 * Verifies an entry-server assertion: an EdDSA compact JWS by one of the server's published keys,
 * for `audience`, not expired, from the expected issuer, with the attempt's nonce when given.
 * Throws an `EntrySDKError`: SESSION_INVALID (malformed, unknown key, bad signature, another app,
 * another issuer or nonce), SESSION_EXPIRED (past `exp` or older than `maxAge`), NETWORK_ERROR
 * (the JWKS could not be fetched; retryable), INVALID_CONFIGURATION (no keys given).
 */
export async function verifyAssertion(jws: string, options: VerifyAssertionOptions): Promise<VerifiedAssertion> {
  if (typeof jws !== 'string') throw invalid('the assertion is not a string');
  const parts = jws.split('.');
  if (parts.length !== 3) throw invalid('the assertion is not a compact JWS');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(headerPart, 'header');
  if (header.alg !== 'EdDSA') throw invalid(`the assertion's algorithm is ${String(header.alg)}, not EdDSA`);
  if (typeof header.kid !== 'string') throw invalid('the assertion names no key');
  const jwk = await keyFor(header.kid, options);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw invalid(`key ${header.kid} is not an Ed25519 key`);
  }
  const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  const signed = new TextEncoder().encode(`${headerPart}.${claimsPart}`);
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64Url(signaturePart), signed);
  if (!ok) throw invalid('the assertion signature does not verify');

  const claims = parseJson(claimsPart, 'claims') as unknown as AssertionClaims;
  const now = (options.now ?? Date.now()) / 1000;
  const tolerance = options.clockToleranceSeconds ?? 30;
  if (claims.iss !== (options.issuer ?? 'entry-server')) throw invalid(`the assertion was issued by ${claims.iss}`);
  if (claims.aud !== options.audience) throw invalid(`the assertion is for ${claims.aud}, not ${options.audience}`);
  if (typeof claims.exp !== 'number' || now > claims.exp + tolerance) {
    throw new EntrySDKError(ErrorCode.SESSION_EXPIRED, 'the assertion has expired');
  }
  if (typeof claims.iat !== 'number' || claims.iat > now + tolerance) throw invalid('the assertion is from the future');
  if (options.maxAge !== undefined && now - claims.iat > options.maxAge + tolerance) {
    throw new EntrySDKError(ErrorCode.SESSION_EXPIRED, `the assertion is older than ${options.maxAge} s`);
  }
  if (options.nonce !== undefined && claims.nonce !== options.nonce) {
    throw invalid('the assertion is for another attempt (nonce)');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('the assertion names no user');
  return { claims, kid: header.kid };
}
