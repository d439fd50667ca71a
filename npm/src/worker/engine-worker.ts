// The engine worker: all inference, liveness, sealing and matching run here, off the page's main
// thread. It holds no logic of its own: each request is one call into the wasm core.
import init, { DeviceLogin, deviceMessage, EvidenceCapture, FaceEngine } from '../../wasm/entry_wasm.js';
import { EntrySDKError, ErrorCode } from '../errors.js';
import { loadModels } from '../models.js';
import { deviceProof } from '../store/device-key.js';
import { unwrapUsers, wrapChanges, wrappingKey, type WrappingKeyRecord } from '../store/template-wrapping.js';
import type { AttemptBinding, FinishReport } from '../core-types.js';
import type { CameraImage, Reply, Request, WorkerApi } from './protocol.js';

const scope = self as unknown as {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};

let engine: FaceEngine | undefined;
/** Device mode's login (absent in server mode). */
let login: DeviceLogin | undefined;
/** Device mode with the device secret: the app's key its templates are wrapped under (read once, at init). */
let wrapping: WrappingKeyRecord | undefined;
/** Server mode's running capture, and what it is bound to. */
let evidence: { capture: EvidenceCapture; binding: AttemptBinding } | undefined;
let canvas: OffscreenCanvas | undefined;

function ready(): { engine: FaceEngine; login: DeviceLogin } {
  if (!engine || !login) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'the engine is not initialised for device mode');
  return { engine, login };
}

/** RGBA pixels of a transferred camera frame (closed once read). */
function pixels(image: CameraImage): ImageData {
  const [width, height] = image instanceof ImageBitmap ? [image.width, image.height] : [image.displayWidth, image.displayHeight];
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  try {
    context.drawImage(image, 0, 0, width, height);
  } finally {
    image.close();
  }
  return context.getImageData(0, 0, width, height);
}

type Handlers = { [K in keyof WorkerApi]: (args: WorkerApi[K][0]) => Promise<WorkerApi[K][1]> | WorkerApi[K][1] };

const handlers: Handlers = {
  async init({ modelsUrl, device }) {
    if (engine) return { embedderId: engine.embedderId, restartedAuditLog: null };
    await init().catch((e: unknown) => {
      // No WebAssembly, or no SIMD (every current browser has both): nothing to retry.
      throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, `WebAssembly with SIMD could not start: ${String(e)}`, e);
    });
    const { manifestJson, files } = await loadModels(modelsUrl, (progress) => scope.postMessage({ progress }));
    const loaded = new FaceEngine(manifestJson, files);
    if (!device) {
      engine = loaded;
      return { embedderId: loaded.embedderId, restartedAuditLog: null };
    }
    try {
      // A wrapping key this browser cannot keep fails here (STORAGE_ERROR), before anything is sealed.
      const key = device.wrapTemplates ? await wrappingKey(device.config.appId) : undefined;
      login = new DeviceLogin(loaded, device.masterSecret, device.config, device.saved, Date.now());
      wrapping = key;
      engine = loaded;
      return { embedderId: loaded.embedderId, restartedAuditLog: login.restartedAuditLog ?? null };
    } finally {
      device.masterSecret.fill(0);
    }
  },
  beginEvidence({ binding, evidenceKey, policy }) {
    if (!engine) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'the engine is not initialised');
    evidence?.capture.free();
    evidence = { capture: new EvidenceCapture(binding, evidenceKey, policy), binding };
  },
  async sealEvidence() {
    const running = evidence;
    evidence = undefined;
    if (!running) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'no server-mode capture is running');
    try {
      const proof = await deviceProof(running.binding.appId, new Uint8Array(deviceMessage(running.binding)));
      return running.capture.seal(proof);
    } finally {
      running.capture.free();
    }
  },
  reload({ saved, now }) {
    return ready().login.reload(saved, now) ?? null;
  },
  begin({ request, user, signals, policy, nonce, now }) {
    return ready().login.begin(request, user, signals, policy, nonce, now);
  },
  frame({ image, timestamp }) {
    const frame = pixels(image);
    const rgba = new Uint8Array(frame.data.buffer);
    if (evidence && engine) return evidence.capture.push(engine, rgba, frame.width, frame.height, timestamp);
    const { engine: loaded, login: running } = ready();
    return running.push(loaded, rgba, frame.width, frame.height, timestamp);
  },
  async finish({ users, now }) {
    const { engine: loaded, login: running } = ready();
    if (!wrapping) return running.finish(loaded, users, now);
    const report: FinishReport = running.finish(loaded, await unwrapUsers(wrapping, users), now);
    return { ...report, changes: await wrapChanges(wrapping, report.changes) };
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
