// What identifyUser and verifyUser resolve with (entry-core `EntryUser`).
import type { UserProfile } from './store/template-store.js';

export interface EntryUser extends UserProfile {
  entryUserId: string;
  /** A template is stored: the user can be recognised next time. */
  isRegistrationComplete: boolean;
  /** Registered by this call. */
  isNewUser: boolean;
  isUnderAge: boolean;
  deviceId: string;
  /** Recognised on this device before (else a shop may ask for a step-up check). */
  isKnownDevice: boolean;
  /** Cosine score against the stored template (null for a new registration). */
  matchScore: number | null;
  livenessScore: number | null;
  /**
   * Single-use token (AES-GCM under the app's keys) for this page's own use. In device mode it is
   * minted in this browser, so a server must not trust it (see docs/security.md).
   */
  sessionToken: string | null;
  createdAt: string;
  updatedAt: string;
}
