// Per-app records the worker's state is rebuilt from on the next page load: the hash-chained audit
// log (verified when loaded) and the lockout counters.
import { AUDIT, LOCKOUT, request, withStore } from './idb.js';

interface TextRecord {
  appId: string;
  text: string;
}

async function load(store: string, appId: string): Promise<string | null> {
  const record = await withStore(store, 'readonly', (s) => request(s.get(appId) as IDBRequest<TextRecord | undefined>));
  return record?.text ?? null;
}

async function save(store: string, appId: string, text: string): Promise<void> {
  await withStore(store, 'readwrite', (s) => request(s.put({ appId, text } satisfies TextRecord)));
}

/** The app's audit log (JSON Lines), as last persisted on this device. */
export const loadAuditLog = (appId: string) => load(AUDIT, appId);
export const saveAuditLog = (appId: string, jsonLines: string) => save(AUDIT, appId, jsonLines);
/** Keeps an audit log that failed verification, under its own key, for investigation. */
export const keepTamperedAuditLog = (appId: string, jsonLines: string) => save(AUDIT, `${appId}#tampered-${Date.now()}`, jsonLines);
export const loadLockoutState = (appId: string) => load(LOCKOUT, appId);
export const saveLockoutState = (appId: string, json: string) => save(LOCKOUT, appId, json);
