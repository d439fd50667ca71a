// Server mode's device binding: each browser profile keeps one ECDSA P-256 key per app, generated
// here with a non-extractable private half and kept in IndexedDB. It signs every attempt the worker
// answers (entry-core's `deviceMessage`: the attempt id, nonce, app and origin), so the server
// knows a returning device by its key, not by a fingerprint of the user agent. Page script can ask
// the browser to sign with it but can never read it out.
import type { DeviceProof } from '../core-types.js';
import { getOrCreate, SIGNING_KEYS } from './idb.js';

interface SigningKeyRecord {
  appId: string;
  keys: CryptoKeyPair;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function signingKeys(appId: string): Promise<CryptoKeyPair> {
  const record = await getOrCreate<SigningKeyRecord>(SIGNING_KEYS, appId, async () => ({
    appId,
    keys: await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']),
  }));
  return record.keys;
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
