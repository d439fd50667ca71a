// Device mode's key custody, run in the worker: with the default device secret, every sealed
// template is wrapped again (AES-256-GCM) under a per-app key this browser generates as a
// non-extractable WebCrypto key and keeps in its own database (`entry-sdk-keys`), so no bytes page
// script can read open a stored template: the device master secret opens only the inner layer.
// Page script can still use the key in place while it runs (docs/security.md says what that
// means). The format is entry-core's (`WrapParams`, `WrappedParts`); only the AES-GCM runs here.
import { wrapParams, wrappedParts } from '../../wasm/entry_wasm.js';
import type { StoreChange, UserRecord, WrapParams, WrappedParts } from '../core-types.js';
import { getOrCreate, WRAPPING_KEYS } from './idb.js';

export interface WrappingKeyRecord {
  appId: string;
  /** The key version wrapped templates name in their header. */
  version: number;
  key: CryptoKey;
}

/** Bytes from wasm or IndexedDB (never shared memory), as WebCrypto's types want them. */
const bytes = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

/** The version a new app's wrapping key gets. */
const FIRST_VERSION = 1;

/** The app's wrapping key, generated on first use (non-extractable: encrypt and decrypt only). */
export function wrappingKey(appId: string): Promise<WrappingKeyRecord> {
  return getOrCreate<WrappingKeyRecord>(WRAPPING_KEYS, appId, async () => ({
    appId,
    version: FIRST_VERSION,
    key: await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
  }));
}

/**
 * `users` with their templates unwrapped for the core (`wrapping`: the app's key, from `wrappingKey`). A template that does not unwrap (its bytes
 * altered, or wrapped in another browser profile) is handed on as stored, and the core refuses and
 * audits it as TEMPLATE_TAMPERED; a template sealed before wrapping existed is handed on as it is.
 */
export async function unwrapUsers({ appId, version, key }: WrappingKeyRecord, users: UserRecord[]): Promise<UserRecord[]> {
  return Promise.all(
    users.map(async (user) => {
      if (!user.sealedTemplate) return user;
      try {
        const parts = wrappedParts(user.sealedTemplate, appId, user.entryUserId) as WrappedParts | null;
        if (!parts || parts.keyVersion !== version) return user;
        const { iv, additionalData, ciphertext } = parts;
        const aes = { name: 'AES-GCM', iv: bytes(iv), additionalData: bytes(additionalData) };
        const sealed = await crypto.subtle.decrypt(aes, key, bytes(ciphertext));
        return { ...user, sealedTemplate: new Uint8Array(sealed) };
      } catch {
        return user;
      }
    }),
  );
}

/** The core's store writes with every sealed template wrapped. */
export async function wrapChanges({ appId, version, key }: WrappingKeyRecord, changes: StoreChange[]): Promise<StoreChange[]> {
  return Promise.all(
    changes.map(async (change) => {
      if (change.op !== 'put' || !change.user.sealedTemplate) return change;
      const { header, iv, additionalData } = wrapParams(appId, change.user.entryUserId, version) as WrapParams;
      const aes = { name: 'AES-GCM', iv: bytes(iv), additionalData: bytes(additionalData) };
      const ciphertext = await crypto.subtle.encrypt(aes, key, bytes(change.user.sealedTemplate));
      const wrapped = new Uint8Array(header.length + ciphertext.byteLength);
      wrapped.set(header);
      wrapped.set(new Uint8Array(ciphertext), header.length);
      return { ...change, user: { ...change.user, sealedTemplate: wrapped } };
    }),
  );
}
