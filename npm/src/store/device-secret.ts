// The default master secret for apps that keep templates on this device only: derived with HKDF
// from a non-extractable key that lives in IndexedDB. The key itself cannot be read out, but any
// script on the origin can run the same derivation and read its output, so templates sealed under
// it are wrapped again under a key no script can read (template-wrapping.ts, docs/security.md).
// Apps whose servers must trust a result use server mode.
import { DEVICE_KEYS, getOrCreate } from './idb.js';

interface DeviceKeyRecord {
  appId: string;
  key: CryptoKey;
}

const INFO = new TextEncoder().encode('entry/device-master-secret/v1');

async function deviceKey(appId: string): Promise<CryptoKey> {
  const record = await getOrCreate<DeviceKeyRecord>(DEVICE_KEYS, appId, async () => {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const key = await crypto.subtle.importKey('raw', seed, 'HKDF', false, ['deriveBits']);
    seed.fill(0);
    return { appId, key };
  });
  return record.key;
}

/** 32 bytes for `appId`, the same on every visit from this browser profile. */
export async function deviceMasterSecret(appId: string): Promise<Uint8Array> {
  const key = await deviceKey(appId);
  const salt = new TextEncoder().encode(appId);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: INFO }, key, 256));
}
