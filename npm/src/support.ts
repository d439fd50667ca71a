// What a face check needs from the browser, checked before a preload and again as each check starts
// (no model download, no camera yet): a browser that lacks one gets DEVICE_NOT_SUPPORTED naming what
// is missing, rather than a failure deep inside a worker. Every current Chromium, Firefox and Safari
// has all of them; the end-to-end tests remove each in turn, in each engine, and expect this error.
import { EntrySDKError, ErrorCode } from './errors.js';

/** One browser capability the SDK relies on. */
export type BrowserFeature =
  | 'WebAssembly SIMD'
  | 'module workers'
  | 'OffscreenCanvas'
  | 'camera (getUserMedia)'
  | 'IndexedDB'
  | 'Web Crypto';

/** A module with one function returning a v128: valid only where WebAssembly SIMD is. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

function wasmSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Whether `new Worker(url, { type: 'module' })` is understood: a browser that knows the option reads
 * it while converting the arguments, before the (deliberately invalid) URL fails, so no worker starts.
 */
function moduleWorkers(): boolean {
  if (typeof Worker !== 'function') return false;
  let read = false;
  const options = {
    get type(): WorkerType {
      read = true;
      return 'module';
    },
  };
  try {
    new Worker('http://[', options).terminate();
  } catch {
    // The URL's SyntaxError, expected.
  }
  return read;
}

/** The features this browser lacks for a face check (empty: it has them all). */
export function missingFeatures(): BrowserFeature[] {
  const missing: BrowserFeature[] = [];
  if (!wasmSimd()) missing.push('WebAssembly SIMD');
  if (!moduleWorkers()) missing.push('module workers');
  if (typeof OffscreenCanvas !== 'function') missing.push('OffscreenCanvas');
  if (typeof navigator === 'undefined' || typeof navigator.mediaDevices?.getUserMedia !== 'function') missing.push('camera (getUserMedia)');
  if (typeof indexedDB === 'undefined') missing.push('IndexedDB');
  if (typeof crypto === 'undefined' || typeof crypto.subtle?.digest !== 'function') missing.push('Web Crypto');
  return missing;
}

/** Throws DEVICE_NOT_SUPPORTED, naming every missing feature, unless the browser has them all. */
export function assertSupported(): void {
  const missing = missingFeatures();
  if (missing.length === 0) return;
  const hint = missing.includes('camera (getUserMedia)') && !isSecureContext ? ' (the camera needs https or localhost)' : '';
  throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, `this browser lacks ${missing.join(', ')}${hint}`);
}
