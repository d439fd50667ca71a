import init, { FaceEngine as WasmFaceEngine } from '../wasm/entry_wasm.js';
import { EntrySDKError, ErrorCode } from './errors.js';
import type { Detection, DocumentMatch, Face } from './core-types.js';
import { loadModels, type ModelProgress } from './models.js';

export type { BoundingBox, Detection, DocumentMatch, Face, QualityIssue, QualityReport } from './core-types.js';

export interface FaceEngineOptions {
  /** Where manifest.json and the model files are served. */
  modelsUrl: string;
  /** Where entry_wasm_bg.wasm is served; defaults to beside the SDK. */
  wasmUrl?: string | URL;
  onProgress?: (p: ModelProgress) => void;
}

let started: Promise<unknown> | undefined;

/**
 * Starts the WebAssembly core once (later calls share the first). Needed before using
 * `Keyring`, `TemplateProtector`, `AccessPolicy`, `LockoutTracker` or `AuditLog` directly; `FaceEngine.create` calls it.
 */
export async function loadWasm(wasmUrl?: string | URL): Promise<void> {
  started ??= init(wasmUrl ? { module_or_path: wasmUrl } : undefined).catch((e: unknown) => {
    started = undefined;
    throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, 'WebAssembly (with SIMD) could not start here', e);
  });
  await started;
}

/** The wasm face engine with its models loaded. */
export class FaceEngine {
  private constructor(private readonly engine: WasmFaceEngine) {}

  static async create(options: FaceEngineOptions): Promise<FaceEngine> {
    await loadWasm(options.wasmUrl);
    const { manifestJson, files } = await loadModels(options.modelsUrl, options.onProgress);
    try {
      return new FaceEngine(new WasmFaceEngine(manifestJson, files));
    } catch (e) {
      throw EntrySDKError.from(e, ErrorCode.MODEL_LOAD_FAILED);
    }
  }

  detect(frame: ImageData): Detection[] {
    try {
      return this.engine.detect(new Uint8Array(frame.data.buffer), frame.width, frame.height);
    } catch (e) {
      throw EntrySDKError.from(e);
    }
  }

  /** Embedding of the one face in the frame (NO_FACE_DETECTED / MULTIPLE_FACES_DETECTED otherwise). */
  embedFrame(frame: ImageData): Float32Array {
    try {
      return this.engine.embedFrame(new Uint8Array(frame.data.buffer), frame.width, frame.height);
    } catch (e) {
      throw EntrySDKError.from(e);
    }
  }

  /**
   * Face-to-document check: the one face in a live frame against the photo of an identity document
   * (JPEG or PNG bytes), decided at the document-match false-match rate.
   */
  matchDocument(frame: ImageData, documentPhoto: Uint8Array): DocumentMatch {
    try {
      return this.engine.matchDocument(new Uint8Array(frame.data.buffer), frame.width, frame.height, documentPhoto);
    } catch (e) {
      throw EntrySDKError.from(e);
    }
  }

  analyze(frame: ImageData): Face[] {
    try {
      return this.engine.analyze(new Uint8Array(frame.data.buffer), frame.width, frame.height);
    } catch (e) {
      throw EntrySDKError.from(e);
    }
  }
}
