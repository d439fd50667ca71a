// Generated from entry-core's `ErrorCode` (crates/entry-core/src/codes.rs) by
// `ENTRY_BLESS=1 cargo test -p entry-core --test error_codes`. Do not edit: change the Rust list.

/** Every failure the SDK reports, as a stable code a web developer can branch on. */
export const ErrorCode = {
  /** No enrolled user matches the face. */
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  /** The capture did not pass the liveness check (spoof, static input, challenge, changed face). */
  LIVENESS_CHECK_FAILED: 'LIVENESS_CHECK_FAILED',
  /** The face does not match the user it was checked against. */
  FACE_MATCH_FAILED: 'FACE_MATCH_FAILED',
  /** The face is close to the enrolled one but not close enough for this use: ask for another factor. */
  FALLBACK_REQUIRED: 'FALLBACK_REQUIRED',
  /** No face was found where one was needed. */
  NO_FACE_DETECTED: 'NO_FACE_DETECTED',
  /** More than one person is in view. */
  MULTIPLE_FACES_DETECTED: 'MULTIPLE_FACES_DETECTED',
  /** The face is too small, dark, blurred or turned to be used. */
  POOR_QUALITY: 'POOR_QUALITY',
  /** The person or the browser refused camera access. */
  CAMERA_ACCESS_DENIED: 'CAMERA_ACCESS_DENIED',
  /** No camera is available. */
  CAMERA_NOT_FOUND: 'CAMERA_NOT_FOUND',
  /** Another program holds the camera. */
  CAMERA_IN_USE: 'CAMERA_IN_USE',
  /** The browser lacks something Entry needs (module workers, OffscreenCanvas, wasm SIMD, randomness). */
  DEVICE_NOT_SUPPORTED: 'DEVICE_NOT_SUPPORTED',
  /** The person cancelled the capture. */
  USER_CANCELLED: 'USER_CANCELLED',
  /** Too many failed checks of this user: verification is refused until the lock expires. */
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  /** Another capture is still running on this SDK instance. */
  CAPTURE_IN_PROGRESS: 'CAPTURE_IN_PROGRESS',
  /** Not enough usable frames arrived in time. */
  TIMEOUT_ERROR: 'TIMEOUT_ERROR',
  /** The session token has expired. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** An option, policy, manifest or argument is invalid. */
  INVALID_CONFIGURATION: 'INVALID_CONFIGURATION',
  /** A model file could not be fetched or loaded. */
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  /** A model file does not have the sha256 the manifest pins. */
  MODEL_INTEGRITY: 'MODEL_INTEGRITY',
  /** A frame's size or bytes are invalid. */
  INVALID_FRAME: 'INVALID_FRAME',
  /** An image could not be decoded. */
  INVALID_IMAGE: 'INVALID_IMAGE',
  /** The template store failed. */
  STORAGE_ERROR: 'STORAGE_ERROR',
  /** Fewer captures than needed (e.g. an embedding asked of a capture that has not succeeded). */
  NOT_ENOUGH_CAPTURES: 'NOT_ENOUGH_CAPTURES',
  /** A model failed to run or gave an output of the wrong shape. */
  INFERENCE_FAILED: 'INFERENCE_FAILED',
  /** A sealed template does not open: altered, truncated or not a template. */
  TEMPLATE_TAMPERED: 'TEMPLATE_TAMPERED',
  /** A sealed template's key is not available: dated after today (a clock set back, or an edited header), or sealed under a master version the server no longer holds. */
  TEMPLATE_KEY_EXPIRED: 'TEMPLATE_KEY_EXPIRED',
  /** A template or embedding belongs to another model or has another size. */
  TEMPLATE_MISMATCH: 'TEMPLATE_MISMATCH',
  /** A session token is malformed or forged. */
  SESSION_INVALID: 'SESSION_INVALID',
  /** A session token was already used. */
  SESSION_REPLAYED: 'SESSION_REPLAYED',
  /** The audit log's hash chain does not verify. */
  AUDIT_TAMPERED: 'AUDIT_TAMPERED',
  /** An identity document could not be read (a check digit, a field, the format). */
  DOCUMENT_INVALID: 'DOCUMENT_INVALID',
  /** The identity document has expired. */
  DOCUMENT_EXPIRED: 'DOCUMENT_EXPIRED',
  /** The request's origin is not among the app's allowed origins. */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /** The client's address is outside the app's IP allow-list. */
  IP_NOT_ALLOWED: 'IP_NOT_ALLOWED',
  /** The server could not be reached or answered with a server error. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** Anything else. */
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes where trying again (better light, another attempt, the network back) can succeed. */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.LIVENESS_CHECK_FAILED,
  ErrorCode.FACE_MATCH_FAILED,
  ErrorCode.FALLBACK_REQUIRED,
  ErrorCode.NO_FACE_DETECTED,
  ErrorCode.MULTIPLE_FACES_DETECTED,
  ErrorCode.POOR_QUALITY,
  ErrorCode.CAMERA_IN_USE,
  ErrorCode.USER_CANCELLED,
  ErrorCode.CAPTURE_IN_PROGRESS,
  ErrorCode.TIMEOUT_ERROR,
  ErrorCode.SESSION_EXPIRED,
  ErrorCode.MODEL_LOAD_FAILED,
  ErrorCode.NETWORK_ERROR,
]);
