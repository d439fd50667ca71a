import { USERS, request, withStore } from './idb.js';
import type { StoredUser, TemplateStore } from './template-store.js';

/** The default store: sealed templates in this browser's IndexedDB, one record per app and user. */
export class IndexedDBTemplateStore implements TemplateStore {
  list(appId: string): Promise<StoredUser[]> {
    return withStore(USERS, 'readonly', (s) => request(s.index('byApp').getAll(appId) as IDBRequest<StoredUser[]>));
  }

  get(appId: string, entryUserId: string): Promise<StoredUser | undefined> {
    return withStore(USERS, 'readonly', (s) => request(s.get([appId, entryUserId]) as IDBRequest<StoredUser | undefined>));
  }

  async put(user: StoredUser): Promise<void> {
    await withStore(USERS, 'readwrite', (s) => request(s.put(user)));
  }

  delete(appId: string, entryUserId: string): Promise<boolean> {
    return withStore(USERS, 'readwrite', async (s) => {
      const key = [appId, entryUserId];
      if ((await request(s.count(key))) === 0) return false;
      await request(s.delete(key));
      return true;
    });
  }
}
