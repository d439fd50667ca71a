import { ErrorCode, RETRYABLE } from './error-codes.js';

// The codes are defined once, in entry-core's `ErrorCode`, and generated into error-codes.ts.
export { ErrorCode };

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

  /**
   * Wraps anything thrown (a wasm error carries its code in `name`) as an EntrySDKError. Every code
   * the core can send is in the generated list, so `fallback` only names errors of other origins.
   */
  static from(error: unknown, fallback: ErrorCode = ErrorCode.UNKNOWN_ERROR): EntrySDKError {
    if (error instanceof EntrySDKError) return error;
    if (error instanceof Error) {
      const code = (error.name in ErrorCode ? error.name : fallback) as ErrorCode;
      return new EntrySDKError(code, error.message, error);
    }
    return new EntrySDKError(fallback, String(error), error);
  }
}
