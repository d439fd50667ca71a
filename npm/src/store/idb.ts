// The SDK's IndexedDB database: enrolled users, the device keys, the audit log and lockout state.
import { EntrySDKError, ErrorCode } from '../errors.js';

const DB_NAME = 'entry-sdk';
const DB_VERSION = 3;
export const USERS = 'users';
export const DEVICE_KEYS = 'device-keys';
/** Server mode: each app's ECDSA P-256 signing key of this browser profile. */
export const SIGNING_KEYS = 'signing-keys';
export const AUDIT = 'audit';
export const LOCKOUT = 'lockout';

let opened: Promise<IDBDatabase> | undefined;

export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export function database(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      return reject(new EntrySDKError(ErrorCode.STORAGE_ERROR, 'IndexedDB is not available (private mode?)'));
    }
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      const has = (name: string) => db.objectStoreNames.contains(name);
      if (!has(USERS)) db.createObjectStore(USERS, { keyPath: ['appId', 'entryUserId'] }).createIndex('byApp', 'appId');
      for (const name of [DEVICE_KEYS, SIGNING_KEYS, AUDIT, LOCKOUT]) if (!has(name)) db.createObjectStore(name, { keyPath: 'appId' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(new EntrySDKError(ErrorCode.STORAGE_ERROR, `IndexedDB: ${open.error?.message}`, open.error));
  }).catch((e: unknown) => {
    opened = undefined;
    throw EntrySDKError.from(e, ErrorCode.STORAGE_ERROR);
  });
  return opened;
}

/** Runs `body` in a transaction over `store`, mapping failures to STORAGE_ERROR. */
export async function withStore<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => Promise<T>): Promise<T> {
  try {
    const db = await database();
    return await body(db.transaction(store, mode).objectStore(store));
  } catch (e) {
    throw EntrySDKError.from(e, ErrorCode.STORAGE_ERROR);
  }
}

/**
 * The record of `appId` in `store` (keyed by `appId`), made by `make` when there is none. Another
 * tab may make one at the same moment: this tab's `add` then fails with ConstraintError and the
 * other tab's record is used, so every tab ends up with the same key. Any other failure to keep the
 * record is a STORAGE_ERROR, never swallowed: a key that is not saved would seal templates (or bind
 * a device) that no later visit could open.
 */
export async function getOrCreate<R extends { appId: string }>(store: string, appId: string, make: () => Promise<R>): Promise<R> {
  const get = () => withStore(store, 'readonly', (s) => request(s.get(appId) as IDBRequest<R | undefined>));
  const existing = await get();
  if (existing) return existing;
  const record = await make();
  try {
    await withStore(store, 'readwrite', (s) => request(s.add(record)));
  } catch (e) {
    const cause = e instanceof EntrySDKError ? e.cause : e;
    if ((cause as { name?: string } | undefined)?.name !== 'ConstraintError') {
      throw new EntrySDKError(ErrorCode.STORAGE_ERROR, `the ${store} record of ${appId} could not be saved: ${String(cause)}`, cause);
    }
  }
  const kept = await get();
  if (!kept) throw new EntrySDKError(ErrorCode.STORAGE_ERROR, `the ${store} record of ${appId} was not kept`);
  return kept;
}
