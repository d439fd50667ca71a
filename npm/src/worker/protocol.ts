// The messages between the page and the engine worker. Every request carries an id; the worker
// answers it once with a result or an error (name = stable code). Progress while loading models
// arrives as separate `progress` messages.
import type { ModelProgress } from '../models.js';

/** What the core's capture session reports after each frame (see entry-core `CaptureUpdate`). */
export type CaptureUpdate =
  | { state: 'collecting'; guidance: Guidance; progress: number; face: BoundingBox | null }
  | { state: 'challenge'; action: ChallengeAction; step: number; steps: number; remaining_ms: number; face: BoundingBox | null }
  | { state: 'captured'; frames: number; liveness_score: number | null }
  | { state: 'failed'; code: string; failure: { reason: string; [detail: string]: unknown } };

export type Guidance =
  | 'no_face'
  | 'one_face_only'
  | 'centre_face'
  | 'move_closer'
  | 'move_back'
  | 'more_light'
  | 'less_light'
  | 'look_straight'
  | 'hold_still'
  | 'good';

export type ChallengeAction = 'blink' | 'turn_left' | 'turn_right' | 'look_up' | 'look_down';

export interface BoundingBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export type UseCase = 'login' | 'account_recovery' | 'high_value_payment' | 'document_match';
export type Decision = 'accept' | 'fallback_required' | 'reject';

export interface SearchResult {
  best: { id: string; score: number } | null;
  unreadable: { user_id: string; code: string }[];
}

/** Device signals the page collects (the worker has no `screen`). */
export interface DeviceSignals {
  userAgent: string;
  platform: string;
  languages: string[];
  timeZone: string;
  screenWidth: number;
  screenHeight: number;
  colorDepth: number;
  hardwareConcurrency: number;
  maxTouchPoints: number;
}

export interface DocumentInput {
  /** `mrz`: the machine-readable zone of a passport, ID card or visa; `aamva`: a US/Canadian licence barcode text. */
  kind: 'mrz' | 'aamva';
  text: string;
  /** The document's portrait (JPEG or PNG): when given, the captured face must match it. */
  photo?: Uint8Array;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Profile fields read from a document; the number is only ever kept as a keyed digest. */
export interface DocumentProfile {
  document_type: 'passport' | 'id_card' | 'visa' | 'driver_licence';
  document_number_digest: string;
  date_of_birth: CalendarDate;
  expiry_date: CalendarDate;
  issuer: string;
  nationality: string | null;
}

/** An age rule by name: `coppa`, `alcohol`, `gambling`, or `eu-digital-consent` with a country. */
export interface AgeRuleName {
  name: 'coppa' | 'alcohol' | 'gambling' | 'eu-digital-consent';
  country?: string;
}

export interface AgeDecision {
  rule: string;
  age: number;
  meets: boolean;
  needs_guardian: boolean;
  may_store_template: boolean;
}

/** Request name -> [arguments, result]. */
export interface WorkerApi {
  init: [
    {
      modelsUrl: string;
      appId: string;
      masterSecret: Uint8Array;
      transformVersion: number;
      graceDays: number;
      /** The audit log so far (JSON Lines), verified before anything is appended. */
      auditLog: string | null;
      /** Failure counts and locks saved by the last page load. */
      lockoutState: string | null;
    },
    {
      embedderId: string;
      /**
       * Set when the saved audit log failed verification: a new chain was started whose first entry
       * records it; this is that new log (the caller keeps the old text aside).
       */
      restartedAuditLog: string | null;
    },
  ];
  startCapture: [{ policy: Record<string, unknown>; nonce: Uint8Array }, null];
  frame: [{ bitmap: ImageBitmap; timestamp: number }, CaptureUpdate];
  endCapture: [null, null];
  seal: [{ userId: string; now: number }, Uint8Array];
  search: [{ records: { userId: string; sealed: Uint8Array }[]; now: number }, SearchResult];
  /** Re-sealed bytes when the template's key day is not today's, else null. */
  refresh: [{ userId: string; sealed: Uint8Array; now: number }, Uint8Array | null];
  decide: [{ score: number; useCase: UseCase }, Decision];
  issueSession: [{ userId: string; deviceId: string; now: number; lifetime: number }, string];
  deviceId: [{ signals: DeviceSignals }, string];
  documentProfile: [{ document: DocumentInput; now: number }, DocumentProfile];
  matchDocument: [{ photo: Uint8Array }, { score: number; decision: Decision }];
  checkAge: [{ birthDate: CalendarDate; rule: AgeRuleName; now: number; guardianFlow: boolean }, AgeDecision];
  lockedUntil: [{ account: string; now: number }, number | null];
  /** Records a check's outcome; returns when a failure locked the account, and the state to persist. */
  recordAttempt: [{ account: string; now: number; success: boolean }, { lockedUntil: number | null; state: string }];
  /** Appends an event; returns the whole log as JSON Lines, to persist. */
  audit: [{ now: number; event: AuditEvent }, string];
}

export type Request<K extends keyof WorkerApi = keyof WorkerApi> = { id: number; name: K; args: WorkerApi[K][0] };
export type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string } }
  | { progress: ModelProgress };

/** Audit events (entry-core `AuditEvent`); ids only, never face data. */
export type AuditEvent =
  | { type: 'enroll'; user_id: string; device_id: string }
  | { type: 'identify'; user_id: string | null; device_id: string; matched: boolean }
  | { type: 'verify'; user_id: string; device_id: string; matched: boolean; use_case: string }
  | { type: 'failure'; user_id: string | null; device_id: string; code: string }
  | { type: 'delete'; user_id: string }
  | { type: 'lockout'; account: string; until: number }
  | { type: 'key_rotation'; resealed: number; key_day: number }
  | { type: 'under_age'; user_id: string | null; rule: string };
