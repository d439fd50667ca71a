// The messages between the page and the engine worker. Every request carries an id; the worker
// answers it once with a result or an error (name = stable code). Progress while loading models
// arrives as separate `progress` messages. The types mirror entry-core's `login` module, whose serde
// names (camelCase) they use.
import type { ModelProgress } from '../models.js';
import type { StoredUser } from '../store/template-store.js';
import type { EntryUser } from '../user.js';

/** What the core's capture session reports after each frame (see entry-core `CaptureUpdate`). */
export type CaptureUpdate =
  | { state: 'collecting'; guidance: Guidance; progress: number; face: BoundingBox | null }
  | { state: 'challenge'; action: ChallengeAction; step: number; steps: number; remaining_ms: number; face: BoundingBox | null }
  | { state: 'captured'; frames: number; liveness_score: number | null }
  | { state: 'failed'; code: string; message: string; failure: { reason: string; [detail: string]: unknown } };

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

/** Device signals the page collects (the worker has no `screen`); entry-core `DeviceSignals`. */
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
  webglRenderer: string | null;
}

export interface DocumentInput {
  /** `mrz`: the machine-readable zone of a passport, ID card or visa; `aamva`: a US/Canadian licence barcode text. */
  kind: 'mrz' | 'aamva';
  text: string;
  /** The document's portrait (JPEG or PNG): when given, the captured face must match it. */
  photo?: Uint8Array;
}

/** An age rule by name: `coppa`, `alcohol`, `gambling`, or `eu-digital-consent` with a country. */
export interface AgeRuleName {
  name: 'coppa' | 'alcohol' | 'gambling' | 'eu-digital-consent';
  country?: string;
}

/** entry-core `AttemptRequest`: what one attempt is for. */
export interface AttemptRequest {
  purpose: { kind: 'identify'; registerIfNotFound: boolean } | { kind: 'verify'; entryUserId: string };
  useCase: UseCase;
  document?: DocumentInput;
  ageRule?: AgeRuleName;
}

/** entry-core `DeviceLoginConfig` (omitted fields take the core's defaults). */
export interface DeviceLoginConfig {
  appId: string;
  transformVersion?: number;
  graceDays?: number;
  sessionLifetimeSeconds?: number;
  guardianFlow?: boolean;
}

/** What to persist after a step: audit entries to append, the lockout state when it changed. */
export interface StateChanges {
  auditLines: string;
  lockoutState: string | null;
}

export type StoreChange = { op: 'put'; user: StoredUser } | { op: 'delete'; entryUserId: string };

/** A decided attempt: the user or the error, the store writes, and the state to persist. */
export interface Finished extends StateChanges {
  user: EntryUser | null;
  error: { code: string; message: string } | null;
  changes: StoreChange[];
}

/** Request name -> [arguments, result]. */
export interface WorkerApi {
  init: [
    {
      modelsUrl: string;
      masterSecret: Uint8Array;
      config: DeviceLoginConfig;
      /** The audit log (JSON Lines, verified before anything is appended) and lockout counters saved by the last page load. */
      saved: { auditLog: string | null; lockoutState: string | null };
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
  /** Starts an attempt; refuses unknown or locked users and bad documents before the camera opens. Returns the device id. */
  begin: [
    { request: AttemptRequest; user: StoredUser | null; signals: DeviceSignals; policy: Record<string, unknown>; nonce: Uint8Array; now: number },
    string,
  ];
  frame: [{ bitmap: ImageBitmap; timestamp: number }, CaptureUpdate];
  /** Decides the attempt after its capture succeeded. */
  finish: [{ users: StoredUser[]; now: number }, Finished];
  /** Ends the attempt without a decision (capture failed, cancelled, camera lost): audited, maybe counted. */
  abandon: [{ code: string; message: string; now: number }, StateChanges];
  recordDeletion: [{ entryUserId: string; now: number }, StateChanges];
}

export type Request<K extends keyof WorkerApi = keyof WorkerApi> = { id: number; name: K; args: WorkerApi[K][0] };
export type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string } }
  | { progress: ModelProgress };
