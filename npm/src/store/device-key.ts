// Server mode's device binding: each browser profile keeps one ECDSA P-256 key per app, generated
// here with a non-extractable private half and kept in IndexedDB. It signs every attempt the worker
// answers (entry-core's `deviceMessage`: the attempt id, nonce, app and origin), so the server
// knows a returning device by its key, not by a fingerprint of the user agent. Page script can ask
// the browser to sign with it but can never read it out.
import type { DeviceProof } from '../core-types.js';
import { request, SIGNING_KEYS, withStore } from './idb.js';

interface SigningKeyRecord {
  appId: string;
  keys: CryptoKeyPair;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function signingKeys(appId: string): Promise<CryptoKeyPair> {
  const get = () => withStore(SIGNING_KEYS, 'readonly', (s) => request(s.get(appId) as IDBRequest<SigningKeyRecord | undefined>));
  const existing = await get();
  if (existing) return existing.keys;
  const keys = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  // `add` fails if another tab created a key first; then that one is used.
  await withStore(SIGNING_KEYS, 'readwrite', (s) => request(s.add({ appId, keys } satisfies SigningKeyRecord))).catch(() => undefined);
  return (await get())?.keys ?? keys;
}

function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The proof for `message` (what the core's `deviceMessage` gives for the attempt). */
export async function deviceProof(appId: string, message: Uint8Array<ArrayBuffer>): Promise<DeviceProof> {
  const keys = await signingKeys(appId);
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, message);
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  return { publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! }, signature: base64url(signature) };
}
