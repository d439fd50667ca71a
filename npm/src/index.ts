// entry-face-sdk: on-device face login. Start with `EntrySDK.getInstance(appName, options)`.
export { EntrySDK } from './sdk.js';
export type { EntryEventMap, EntryState } from './sdk.js';
export type { CaptureOptions, EntrySDKOptions, IdentifyOptions, LivenessMode } from './options.js';
export type { EntryUser } from './user.js';
export { EntrySDKError, ErrorCode } from './errors.js';
export type { TemplateStore, StoredUser, UserProfile } from './store/template-store.js';
export { IndexedDBTemplateStore } from './store/indexeddb-store.js';
export { en, de, stringsFor } from './overlay/strings.js';
export type { OverlayStrings } from './overlay/strings.js';
export type {
  AgeRuleName,
  CaptureUpdate,
  ChallengeAction,
  DocumentInput,
  Guidance,
  UseCase,
} from './worker/protocol.js';

// Lower-level building blocks, for apps that build their own flow on the main thread.
export { FaceEngine, loadWasm } from './engine.js';
export type { BoundingBox, Detection, DocumentMatch, Face, FaceEngineOptions, QualityIssue, QualityReport } from './engine.js';
export {
  AccessPolicy,
  AuditLog,
  DeviceLogin,
  Keyring,
  LivenessSession,
  LockoutTracker,
  SessionVerifier,
  TemplateProtector,
  ageRule,
  checkAge,
  isKnownDevice,
  parseAamva,
  parseMrz,
} from '../wasm/entry_wasm.js';
export { loadModels } from './models.js';
export type { ModelProgress } from './models.js';
export { openCamera, releaseCamera, FrameGrabber } from './camera.js';
