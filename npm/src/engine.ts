import init, { Engine } from '../wasm/entry_wasm.js';
import { EntrySDKError, ErrorCode } from './errors.js';
import { loadModels, type ModelProgress } from './models.js';

export interface BoundingBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
export interface Detection {
  bbox: BoundingBox;
  score: number;
}
export type QualityIssue =
  | 'too_small'
  | 'too_close'
  | 'too_dark'
  | 'too_bright'
  | 'blurred'
  | 'head_turned'
  | 'partly_outside';
export interface QualityReport {
  face_px: number;
  brightness: number;
  sharpness: number;
  pose: { yaw: number; pitch: number; roll: number };
  issues: QualityIssue[];
}
export interface Face {
  detection: Detection;
  landmarks: { x: number; y: number }[];
  quality: QualityReport;
}

export interface FaceEngineOptions {
  /** Where manifest.json and the model files are served. */
  modelsUrl: string;
  /** Where entry_wasm_bg.wasm is served; defaults to beside the SDK. */
  wasmUrl?: string | URL;
  onProgress?: (p: ModelProgress) => void;
}

/** The wasm face engine with its models loaded. */
export class FaceEngine {
  private constructor(private readonly engine: Engine) {}

  static async create(options: FaceEngineOptions): Promise<FaceEngine> {
    try {
      await init(options.wasmUrl ? { module_or_path: options.wasmUrl } : undefined);
    } catch (e) {
      throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, 'WebAssembly (with SIMD) could not start here', e);
    }
    const { manifestJson, files } = await loadModels(options.modelsUrl, options.onProgress);
    try {
      return new FaceEngine(new Engine(manifestJson, files));
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

  analyze(frame: ImageData): Face[] {
    try {
      return this.engine.analyze(new Uint8Array(frame.data.buffer), frame.width, frame.height);
    } catch (e) {
      throw EntrySDKError.from(e);
    }
  }
}
