// The SDK's IndexedDB databases. `entry-sdk`: enrolled users, the device secret and signing keys,
// the audit log and lockout state. `entry-sdk-keys`: device mode's template wrapping keys, apart
// from the records they protect (an export or backup of the users store carries no key).
import { EntrySDKError, ErrorCode } from '../errors.js';

export const USERS = 'users';
export const DEVICE_KEYS = 'device-keys';
/** Server mode: each app's ECDSA P-256 signing key of this browser profile. */
export const SIGNING_KEYS = 'signing-keys';
export const AUDIT = 'audit';
export const LOCKOUT = 'lockout';
/** Device mode: each app's non-extractable AES-GCM key that wraps its sealed templates. */
export const WRAPPING_KEYS = 'wrapping-keys';

interface Schema {
  name: string;
  version: number;
  upgrade(db: IDBDatabase): void;
}

const has = (db: IDBDatabase, name: string) => db.objectStoreNames.contains(name);

const SDK_DB: Schema = {
  name: 'entry-sdk',
  version: 3,
  upgrade(db) {
    if (!has(db, USERS)) db.createObjectStore(USERS, { keyPath: ['appId', 'entryUserId'] }).createIndex('byApp', 'appId');
    for (const name of [DEVICE_KEYS, SIGNING_KEYS, AUDIT, LOCKOUT]) if (!has(db, name)) db.createObjectStore(name, { keyPath: 'appId' });
  },
};

const KEYS_DB: Schema = {
  name: 'entry-sdk-keys',
  version: 1,
  upgrade(db) {
    if (!has(db, WRAPPING_KEYS)) db.createObjectStore(WRAPPING_KEYS, { keyPath: 'appId' });
  },
};

const DATABASE_OF: Record<string, Schema> = {
  [USERS]: SDK_DB,
  [DEVICE_KEYS]: SDK_DB,
  [SIGNING_KEYS]: SDK_DB,
  [AUDIT]: SDK_DB,
  [LOCKOUT]: SDK_DB,
  [WRAPPING_KEYS]: KEYS_DB,
};

const opened = new Map<string, Promise<IDBDatabase>>();

export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function database(schema: Schema): Promise<IDBDatabase> {
  let db = opened.get(schema.name);
  if (db) return db;
  db = new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      return reject(new EntrySDKError(ErrorCode.STORAGE_ERROR, 'IndexedDB is not available (private mode?)'));
    }
    const open = indexedDB.open(schema.name, schema.version);
    open.onupgradeneeded = () => schema.upgrade(open.result);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(new EntrySDKError(ErrorCode.STORAGE_ERROR, `IndexedDB ${schema.name}: ${open.error?.message}`, open.error));
  }).catch((e: unknown) => {
    opened.delete(schema.name);
    throw EntrySDKError.from(e, ErrorCode.STORAGE_ERROR);
  });
  opened.set(schema.name, db);
  return db;
}

/** Runs `body` in a transaction over `store`, mapping failures to STORAGE_ERROR. */
export async function withStore<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => Promise<T>): Promise<T> {
  try {
    const db = await database(DATABASE_OF[store]!);
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
