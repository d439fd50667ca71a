// Where enrolled users live. The SDK only ever hands a store sealed templates (AES-256-GCM under
// the app's daily keys, bound to app, user and model) and document digests: a store, local or
// remote, never sees a face or an embedding.

/** Profile fields from an identity document (see `EntrySDK.identifyUser`'s `document` option). */
export interface UserProfile {
  /** ISO date, e.g. "1974-08-12". */
  dateOfBirth: string | null;
  photoIdentityDocumentType: 'passport' | 'id_card' | 'visa' | 'driver_licence' | null;
  /** A keyed HMAC digest of the document number: comparable within the app, never reversible. */
  photoIdentityDocumentNumber: string | null;
  photoIdentityDocumentExpiry: string | null;
  photoIdentityDocumentIssuer: string | null;
  nationality: string | null;
}

export interface StoredUser {
  appId: string;
  entryUserId: string;
  /** The sealed template; null when none may be kept (an under-age user without a guardian flow). */
  sealedTemplate: Uint8Array | null;
  profile: UserProfile;
  /** Salted device ids this user has been recognised on. */
  knownDevices: string[];
  isUnderAge: boolean;
  createdAt: string;
  updatedAt: string;
}

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

export const EMPTY_PROFILE: UserProfile = {
  dateOfBirth: null,
  photoIdentityDocumentType: null,
  photoIdentityDocumentNumber: null,
  photoIdentityDocumentExpiry: null,
  photoIdentityDocumentIssuer: null,
  nationality: null,
};
