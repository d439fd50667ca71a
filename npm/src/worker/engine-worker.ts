// The engine worker: all inference, liveness, sealing and matching run here, off the page's main
// thread. It holds no logic of its own: each request is one call into the wasm core.
import init, { DeviceLogin, FaceEngine } from '../../wasm/entry_wasm.js';
import { EntrySDKError, ErrorCode } from '../errors.js';
import { loadModels } from '../models.js';
import type { Reply, Request, WorkerApi } from './protocol.js';

const scope = self as unknown as {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};

let loaded: { engine: FaceEngine; login: DeviceLogin } | undefined;
let canvas: OffscreenCanvas | undefined;

function ready(): { engine: FaceEngine; login: DeviceLogin } {
  if (!loaded) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'the engine is not initialised');
  return loaded;
}

/** RGBA pixels of a transferred camera frame. */
function pixels(bitmap: ImageBitmap): ImageData {
  const { width, height } = bitmap;
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

type Handlers = { [K in keyof WorkerApi]: (args: WorkerApi[K][0]) => Promise<WorkerApi[K][1]> | WorkerApi[K][1] };

const handlers: Handlers = {
  async init({ modelsUrl, masterSecret, config, saved }) {
    if (loaded) return { embedderId: loaded.engine.embedderId, restartedAuditLog: null };
    await init().catch((e: unknown) => {
      // No WebAssembly, or no SIMD (every current browser has both): nothing to retry.
      throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, `WebAssembly with SIMD could not start: ${String(e)}`, e);
    });
    const { manifestJson, files } = await loadModels(modelsUrl, (progress) => scope.postMessage({ progress }));
    const engine = new FaceEngine(manifestJson, files);
    try {
      const login = new DeviceLogin(engine, masterSecret, config, saved, Date.now());
      loaded = { engine, login };
      return { embedderId: engine.embedderId, restartedAuditLog: login.restartedAuditLog ?? null };
    } finally {
      masterSecret.fill(0);
    }
  },
  begin({ request, user, signals, policy, nonce, now }) {
    return ready().login.begin(request, user, signals, policy, nonce, now);
  },
  frame({ bitmap, timestamp }) {
    const image = pixels(bitmap);
    const { engine, login } = ready();
    return login.push(engine, new Uint8Array(image.data.buffer), image.width, image.height, timestamp);
  },
  finish({ users, now }) {
    const { engine, login } = ready();
    return login.finish(engine, users, now);
  },
  abandon({ code, message, now }) {
    return ready().login.abandon(code, message, now);
  },
  recordDeletion({ entryUserId, now }) {
    return ready().login.recordDeletion(entryUserId, now);
  },
};

scope.onmessage = async ({ data }) => {
  const { id, name, args } = data;
  try {
    const handler = handlers[name] as (a: typeof args) => unknown;
    scope.postMessage({ id, result: await handler(args) });
  } catch (e) {
    // wasm errors carry their code as `name`; the SDK's own (model loading) as `code`.
    const error = e instanceof Error ? e : new Error(String(e));
    const code = (error as { code?: string }).code ?? error.name;
    scope.postMessage({ id, error: { name: code, message: error.message } });
  }
};
