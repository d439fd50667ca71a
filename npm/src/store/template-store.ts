// Where enrolled users live. The SDK only ever hands a store sealed templates (AES-256-GCM under
// the app's daily keys, bound to app, user and model) and document digests: a store, local or
// remote, never sees a face or an embedding.

import type { UserProfile, UserRecord } from '../core-types.js';

export type { UserProfile };
/** One enrolled user as a store keeps it (entry-core `UserRecord`). */
export type StoredUser = UserRecord;

/**
 * Implement this to keep templates somewhere else (your server, for cross-device login); the
 * default keeps them in this browser's IndexedDB. Methods may throw: the SDK reports STORAGE_ERROR.
 */
export interface TemplateStore {
  list(appId: string): Promise<StoredUser[]>;
  get(appId: string, entryUserId: string): Promise<StoredUser | undefined>;
  put(user: StoredUser): Promise<void>;
  /** True when a user was deleted. */
  delete(appId: string, entryUserId: string): Promise<boolean>;
}
