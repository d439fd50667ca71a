import { AUDIT, request, withStore } from './idb.js';

interface AuditRecord {
  appId: string;
  jsonLines: string;
}

/** The app's hash-chained audit log (JSON Lines), as last persisted on this device. */
export async function loadAuditLog(appId: string): Promise<string | null> {
  const record = await withStore(AUDIT, 'readonly', (s) => request(s.get(appId) as IDBRequest<AuditRecord | undefined>));
  return record?.jsonLines ?? null;
}

export async function saveAuditLog(appId: string, jsonLines: string): Promise<void> {
  await withStore(AUDIT, 'readwrite', (s) => request(s.put({ appId, jsonLines } satisfies AuditRecord)));
}
