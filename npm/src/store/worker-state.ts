// Per-app records the worker's login state is rebuilt from on the next page load: the hash-chained
// audit log (verified when loaded) and the lockout counters.
import { AUDIT, LOCKOUT, request, withStore } from './idb.js';
import type { StateChanges } from '../core-types.js';

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

/** The app's audit log (JSON Lines) and lockout counters, as last persisted on this device. */
export async function loadSavedState(appId: string): Promise<{ auditLog: string | null; lockoutState: string | null }> {
  return { auditLog: await load(AUDIT, appId), lockoutState: await load(LOCKOUT, appId) };
}

export const loadAuditLog = (appId: string) => load(AUDIT, appId);
export const replaceAuditLog = (appId: string, jsonLines: string) => save(AUDIT, appId, jsonLines);
/** Keeps an audit log that failed verification, under its own key, for investigation. */
export const keepTamperedAuditLog = (appId: string, jsonLines: string) => save(AUDIT, `${appId}#tampered-${Date.now()}`, jsonLines);

/** Writes what a login step changed: new audit entries appended (in one transaction), the lockout state replaced. */
export async function persistState(appId: string, changes: StateChanges): Promise<void> {
  if (changes.auditLines) {
    await withStore(AUDIT, 'readwrite', async (s) => {
      const saved = await request(s.get(appId) as IDBRequest<TextRecord | undefined>);
      await request(s.put({ appId, text: (saved?.text ?? '') + changes.auditLines } satisfies TextRecord));
    });
  }
  if (changes.lockoutState !== null) await save(LOCKOUT, appId, changes.lockoutState);
}
