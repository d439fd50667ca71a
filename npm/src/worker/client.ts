// The page's side of the engine worker: typed calls that resolve with the worker's answer.
import { EntrySDKError, ErrorCode } from '../errors.js';
import type { ModelProgress } from '../models.js';
import type { Reply, WorkerApi } from './protocol.js';

export class EngineWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private nextId = 1;
  onProgress?: (progress: ModelProgress) => void;

  constructor() {
    // Written out in full so bundlers (Vite, webpack 5) see the worker and emit it as an asset.
    this.worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module', name: 'entry-engine' });
    this.worker.onmessage = ({ data }: MessageEvent<Reply>) => {
      if ('progress' in data) return this.onProgress?.(data.progress);
      const call = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (!call) return;
      if ('error' in data) {
        const error = Object.assign(new Error(data.error.message), { name: data.error.name });
        call.reject(EntrySDKError.from(error));
      } else {
        call.resolve(data.result);
      }
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, `the engine worker failed: ${event.message}`));
    };
  }

  call<K extends keyof WorkerApi>(name: K, args: WorkerApi[K][0], transfer: Transferable[] = []): Promise<WorkerApi[K][1]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, name, args }, transfer);
    });
  }

  private failAll(error: EntrySDKError): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll(new EntrySDKError(ErrorCode.UNKNOWN_ERROR, 'the engine worker was stopped'));
  }
}
