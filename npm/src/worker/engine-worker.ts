// The engine worker: all inference, liveness, sealing and matching run here, off the page's main
// thread. It holds no logic of its own: each request is one call into the wasm core.
import init, {
  AuditTrail,
  CaptureSession,
  Engine,
  Lockout,
  TemplateVault,
  ageRule,
  checkAge,
} from '../../wasm/entry_wasm.js';
import { EntrySDKError, ErrorCode } from '../errors.js';
import { loadModels } from '../models.js';
import type { Reply, Request, WorkerApi } from './protocol.js';

interface Loaded {
  engine: Engine;
  vault: TemplateVault;
  audit: AuditTrail;
  lockout: Lockout;
}

const scope = self as unknown as {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};

let loaded: Loaded | undefined;
let capture: CaptureSession | undefined;
let canvas: OffscreenCanvas | undefined;

function ready(): Loaded {
  if (!loaded) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'the engine is not initialised');
  return loaded;
}

function activeCapture(): CaptureSession {
  if (!capture) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'no capture is running');
  return capture;
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
  async init({ modelsUrl, appId, masterSecret, transformVersion, graceDays, auditLog, lockoutState }) {
    if (loaded) return { embedderId: loaded.engine.embedderId, restartedAuditLog: null };
    await init().catch((e: unknown) => {
      // No WebAssembly, or no SIMD (every current browser has both): nothing to retry.
      throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, `WebAssembly with SIMD could not start: ${String(e)}`, e);
    });
    const { manifestJson, files } = await loadModels(modelsUrl, (progress) => scope.postMessage({ progress }));
    const engine = new Engine(manifestJson, files);
    const vault = new TemplateVault(
      masterSecret,
      appId,
      engine.embedderId,
      engine.embeddingDimension,
      transformVersion,
      graceDays,
    );
    masterSecret.fill(0);
    // Damaged saved state must not lock everyone out of logging in. Unreadable lockout counters start
    // again (as clearing site data would). An audit log that fails verification starts a new chain
    // whose first entry says so.
    let lockout: Lockout;
    try {
      lockout = lockoutState ? Lockout.fromJson(lockoutState) : new Lockout(undefined);
    } catch {
      lockout = new Lockout(undefined);
    }
    let audit: AuditTrail;
    let restartedAuditLog: string | null = null;
    try {
      audit = new AuditTrail(auditLog ?? undefined);
    } catch (e) {
      audit = new AuditTrail(undefined);
      audit.append(Date.now() / 1000, { type: 'failure', user_id: null, device_id: '', code: (e as Error).name });
      restartedAuditLog = audit.toJsonLines();
    }
    loaded = { engine, vault, audit, lockout };
    return { embedderId: engine.embedderId, restartedAuditLog };
  },
  startCapture({ policy, nonce }) {
    capture?.free();
    capture = new CaptureSession(policy, nonce);
    return null;
  },
  frame({ bitmap, timestamp }) {
    const image = pixels(bitmap);
    return activeCapture().push(ready().engine, new Uint8Array(image.data.buffer), image.width, image.height, timestamp);
  },
  endCapture() {
    capture?.free();
    capture = undefined;
    return null;
  },
  seal({ userId, now }) {
    return ready().vault.sealCapture(userId, activeCapture(), now);
  },
  search({ records, now }) {
    return ready().vault.search(activeCapture(), records, now);
  },
  refresh({ userId, sealed, now }) {
    return ready().vault.refresh(userId, sealed, now) ?? null;
  },
  decide({ score, useCase }) {
    return ready().engine.decide(score, useCase);
  },
  issueSession({ userId, deviceId, now, lifetime }) {
    return (ready().vault.issueSession(userId, deviceId, now, lifetime) as { token: string }).token;
  },
  deviceId({ signals }) {
    return ready().vault.deviceId(signals);
  },
  documentProfile({ document, now }) {
    return ready().vault.documentProfile(document.kind, document.text, now);
  },
  matchDocument({ photo }) {
    return activeCapture().matchDocument(ready().engine, photo);
  },
  checkAge({ birthDate, rule, now, guardianFlow }) {
    return checkAge(birthDate, ageRule(rule.name, rule.country), now, guardianFlow);
  },
  lockedUntil({ account, now }) {
    return ready().lockout.lockedUntil(account, now) ?? null;
  },
  recordAttempt({ account, now, success }) {
    const { lockout } = ready();
    let lockedUntil: number | null = null;
    if (success) lockout.recordSuccess(account);
    else lockedUntil = lockout.recordFailure(account, now) ?? null;
    return { lockedUntil, state: lockout.toJson() };
  },
  audit({ now, event }) {
    const { audit } = ready();
    audit.append(now, event);
    return audit.toJsonLines();
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
