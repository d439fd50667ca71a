// The messages between the page and the engine worker. Every request carries an id; the worker
// answers it once with a result or an error (name = stable code). Progress while loading models
// arrives as separate `progress` messages. Every type that crosses is generated from entry-core
// (core-types.ts).
import type {
  AttemptBinding,
  AttemptRequest,
  CapturePolicy,
  CaptureUpdate,
  DeviceLoginConfig,
  DeviceSignals,
  FinishReport,
  SavedState,
  SealedEvidence,
  StateChanges,
  UserRecord,
} from '../core-types.js';
import type { ModelProgress } from '../models.js';

/** The core's `DeviceLoginConfig`: the app id, and whatever else the app set (the core has the defaults). */
export type DeviceLoginOptions = Pick<DeviceLoginConfig, 'appId'> & Partial<DeviceLoginConfig>;

/** The core's `CapturePolicy`: only what the app set (the core has the defaults). */
export type CapturePolicyOptions = Partial<Omit<CapturePolicy, 'livenessPolicy' | 'challenge'>> & {
  livenessPolicy?: Partial<CapturePolicy['livenessPolicy']>;
  challenge?: Partial<CapturePolicy['challenge']>;
};

/** A camera frame on its way to the worker (transferred; the worker closes it). */
export type CameraImage = ImageBitmap | VideoFrame;

/** Request name -> [arguments, result]. */
export interface WorkerApi {
  init: [
    {
      modelsUrl: string;
      /**
       * Device mode: the keys and saved state of the core's `DeviceLogin`. Absent in server mode,
       * where no secret that opens anything exists in the browser.
       */
      device: {
        masterSecret: Uint8Array;
        /**
         * The master secret is this browser's device secret: wrap sealed templates under the app's
         * non-extractable wrapping key (an app-given secret must open them elsewhere: not wrapped).
         */
        wrapTemplates: boolean;
        config: DeviceLoginOptions;
        /** The audit log (JSON Lines, verified before anything is appended) and lockout counters saved by the last page load. */
        saved: SavedState;
      } | null;
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
  /** Server mode: starts the capture for the server's attempt (its policy, nonce and evidence key). */
  beginEvidence: [{ binding: AttemptBinding; evidenceKey: string; policy: CapturePolicy }, void];
  /** Server mode: the kept crops sealed to the server, with this browser profile's device proof. */
  sealEvidence: [Record<string, never>, SealedEvidence];
  /**
   * Device mode: replaces the worker's lockout counters and audit log with the saved copies as they
   * are now (another tab may have written them). Returns the restarted audit log when the saved one
   * failed verification, else null. The page holds the app's login lock around it.
   */
  reload: [{ saved: SavedState; now: number }, string | null];
  /** Starts an attempt; refuses unknown or locked users and bad documents before the camera opens. Returns the device id. */
  begin: [
    { request: AttemptRequest; user: UserRecord | null; signals: DeviceSignals; policy: CapturePolicyOptions; nonce: Uint8Array; now: number },
    string,
  ];
  /** One camera frame for the running capture (device mode's attempt, or server mode's evidence). */
  frame: [{ image: CameraImage; timestamp: number }, CaptureUpdate];
  /** Decides the attempt after its capture succeeded. */
  finish: [{ users: UserRecord[]; now: number }, FinishReport];
  /** Ends the attempt without a decision (capture failed, cancelled, camera lost): audited, maybe counted. */
  abandon: [{ code: string; message: string; now: number }, StateChanges];
  recordDeletion: [{ entryUserId: string; now: number }, StateChanges];
}

export type Request<K extends keyof WorkerApi = keyof WorkerApi> = { id: number; name: K; args: WorkerApi[K][0] };
export type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string } }
  | { progress: ModelProgress };
