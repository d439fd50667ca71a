// entry-face-sdk: on-device face login. Start with `EntrySDK.getInstance(appName, options)`.
export { EntrySDK } from './sdk.js';
export type { EntryEventMap, EntryState } from './sdk.js';
export type { CaptureOptions, EntrySDKOptions, IdentifyOptions, LivenessMode } from './options.js';
export { EntrySDKError, ErrorCode } from './errors.js';
export { missingFeatures } from './support.js';
export type { BrowserFeature } from './support.js';
export type { TemplateStore, StoredUser } from './store/template-store.js';
export { IndexedDBTemplateStore } from './store/indexeddb-store.js';
export { en, de, stringsFor } from './overlay/strings.js';
export type { OverlayStrings } from './overlay/strings.js';
// Every type that crosses from the core, generated from its Rust definition.
export type * from './core-types.js';

// Lower-level building blocks, for apps that build their own flow on the main thread.
export { FaceEngine, loadWasm } from './engine.js';
export type { FaceEngineOptions } from './engine.js';
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
