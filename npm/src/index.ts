export { EntrySDKError, ErrorCode } from './errors.js';
export { FaceEngine, loadWasm } from './engine.js';
export {
  AccessPolicy,
  AuditTrail,
  LivenessCapture,
  Lockout,
  TemplateVault,
  ageRule,
  checkAge,
  parseAamva,
  parseMrz,
} from '../wasm/entry_wasm.js';
export type {
  BoundingBox,
  Detection,
  DocumentMatch,
  Face,
  FaceEngineOptions,
  QualityIssue,
  QualityReport,
} from './engine.js';
export { loadModels } from './models.js';
export type { ModelProgress } from './models.js';
export { openCamera, releaseCamera, FrameGrabber } from './camera.js';
