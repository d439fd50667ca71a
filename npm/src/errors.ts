/** Every failure the SDK reports, as a stable code a web developer can branch on. */
export const ErrorCode = {
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  LIVENESS_CHECK_FAILED: 'LIVENESS_CHECK_FAILED',
  FACE_MATCH_FAILED: 'FACE_MATCH_FAILED',
  /** The face is close to the enrolled one but not close enough for this use: ask for another factor. */
  FALLBACK_REQUIRED: 'FALLBACK_REQUIRED',
  NO_FACE_DETECTED: 'NO_FACE_DETECTED',
  MULTIPLE_FACES_DETECTED: 'MULTIPLE_FACES_DETECTED',
  POOR_QUALITY: 'POOR_QUALITY',
  CAMERA_ACCESS_DENIED: 'CAMERA_ACCESS_DENIED',
  CAMERA_NOT_FOUND: 'CAMERA_NOT_FOUND',
  CAMERA_IN_USE: 'CAMERA_IN_USE',
  DEVICE_NOT_SUPPORTED: 'DEVICE_NOT_SUPPORTED',
  USER_CANCELLED: 'USER_CANCELLED',
  /** Too many failed checks of this user: verifyUser refuses until the lock expires (see message). */
  ACCOUNT_LOCKED: 'ACCOUNT_LOCKED',
  /** Another identifyUser / verifyUser is still running on this SDK instance. */
  CAPTURE_IN_PROGRESS: 'CAPTURE_IN_PROGRESS',
  TIMEOUT_ERROR: 'TIMEOUT_ERROR',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  INVALID_CONFIGURATION: 'INVALID_CONFIGURATION',
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  MODEL_INTEGRITY: 'MODEL_INTEGRITY',
  INVALID_FRAME: 'INVALID_FRAME',
  INVALID_IMAGE: 'INVALID_IMAGE',
  STORAGE_ERROR: 'STORAGE_ERROR',
  NOT_ENOUGH_CAPTURES: 'NOT_ENOUGH_CAPTURES',
  INFERENCE_FAILED: 'INFERENCE_FAILED',
  TEMPLATE_TAMPERED: 'TEMPLATE_TAMPERED',
  TEMPLATE_KEY_EXPIRED: 'TEMPLATE_KEY_EXPIRED',
  TEMPLATE_MISMATCH: 'TEMPLATE_MISMATCH',
  SESSION_INVALID: 'SESSION_INVALID',
  SESSION_REPLAYED: 'SESSION_REPLAYED',
  AUDIT_TAMPERED: 'AUDIT_TAMPERED',
  DOCUMENT_INVALID: 'DOCUMENT_INVALID',
  DOCUMENT_EXPIRED: 'DOCUMENT_EXPIRED',
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes where trying again (better light, another attempt, network back) can succeed. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.LIVENESS_CHECK_FAILED,
  ErrorCode.FACE_MATCH_FAILED,
  ErrorCode.FALLBACK_REQUIRED,
  ErrorCode.NO_FACE_DETECTED,
  ErrorCode.MULTIPLE_FACES_DETECTED,
  ErrorCode.POOR_QUALITY,
  ErrorCode.CAMERA_IN_USE,
  ErrorCode.USER_CANCELLED,
  ErrorCode.TIMEOUT_ERROR,
  ErrorCode.SESSION_EXPIRED,
  ErrorCode.MODEL_LOAD_FAILED,
  ErrorCode.CAPTURE_IN_PROGRESS,
]);

export class EntrySDKError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly timestamp: Date;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = 'EntrySDKError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.timestamp = new Date();
    this.cause = cause;
  }

  /** Wraps anything thrown (a wasm error carries its code in `name`) as an EntrySDKError. */
  static from(error: unknown, fallback: ErrorCode = ErrorCode.UNKNOWN_ERROR): EntrySDKError {
    if (error instanceof EntrySDKError) return error;
    if (error instanceof Error) {
      const code = (error.name in ErrorCode ? error.name : fallback) as ErrorCode;
      return new EntrySDKError(code, error.message, error);
    }
    return new EntrySDKError(fallback, String(error), error);
  }
}
