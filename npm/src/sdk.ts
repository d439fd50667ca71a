// The one entry point: `EntrySDK.getInstance(appName, options)`, then `identifyUser`, `verifyUser`
// and `deleteUser`. The page drives the camera and the overlay. Device mode: the worker runs the
// core's login (every decision, key and audit entry) and the store only ever holds sealed
// templates. Server mode (`options.server`): the worker captures and seals crops for entry-server,
// which decides; no key that opens anything exists in the browser.
import { openCamera, releaseCamera } from './camera.js';
import { assertSupported } from './support.js';
import { abortable, captureFrames } from './capture-loop.js';
import { deviceSignals } from './device-signals.js';
import { EntrySDKError, ErrorCode } from './errors.js';
import type { ModelProgress } from './models.js';
import { capturePolicy, checkOptions, loginConfig, type EntrySDKOptions, type IdentifyOptions } from './options.js';
import { CaptureOverlay } from './overlay/overlay.js';
import { stringsFor, type OverlayStrings } from './overlay/strings.js';
import { EntryServerClient } from './server-client.js';
import { deviceMasterSecret } from './store/device-secret.js';
import { IndexedDBTemplateStore } from './store/indexeddb-store.js';
import type { StoredUser, TemplateStore } from './store/template-store.js';
import { keepTamperedAuditLog, loadAuditLog, loadSavedState, persistState, replaceAuditLog } from './store/worker-state.js';
import { EngineWorker } from './worker/client.js';
import type { AttemptRequest, CaptureUpdate, EntryUser, SavedState, StoreChange } from './core-types.js';
import type { AttemptPurpose } from './server-types.js';

export type EntryState = 'loading' | 'camera' | 'collecting' | 'challenge' | 'matching' | 'success' | 'failure';

/** Events an app can listen to (`sdk.addEventListener('state', e => e.detail.state)`). */
export interface EntryEventMap {
  progress: CustomEvent<ModelProgress>;
  state: CustomEvent<{ state: EntryState }>;
  capture: CustomEvent<CaptureUpdate>;
  error: CustomEvent<EntrySDKError>;
}

const instances = new Map<string, EntrySDK>();

export class EntrySDK extends EventTarget {
  readonly appName: string;
  private readonly options: EntrySDKOptions;
  private readonly store: TemplateStore;
  private readonly strings: OverlayStrings;
  /** Server mode's client; undefined in device mode. */
  private readonly server?: EntryServerClient;
  private worker?: EngineWorker;
  private started?: Promise<void>;
  private busy = false;

  private constructor(appName: string, options: EntrySDKOptions) {
    super();
    this.appName = appName;
    this.options = options;
    this.store = options.store ?? new IndexedDBTemplateStore();
    this.strings = stringsFor(options.language, options.strings);
    if (options.server) this.server = new EntryServerClient(appName, options.server);
  }

  /** The SDK for `appName` (one per app and page; later calls return the first instance). */
  static getInstance(appName: string, options: EntrySDKOptions = {}): EntrySDK {
    checkOptions(appName, options);
    let sdk = instances.get(appName);
    if (!sdk) {
      sdk = new EntrySDK(appName, options);
      instances.set(appName, sdk);
    }
    return sdk;
  }

  /**
   * Loads the wasm engine and models in the worker (progress events), verifying and caching them.
   * identifyUser and verifyUser call it; call it early to have the models ready before the click.
   */
  preload(): Promise<void> {
    this.started ??= this.start().catch((e: unknown) => {
      this.started = undefined;
      this.worker?.terminate();
      this.worker = undefined;
      throw EntrySDKError.from(e, ErrorCode.MODEL_LOAD_FAILED);
    });
    return this.started;
  }

  private async start(): Promise<void> {
    assertSupported();
    const worker = (this.worker = new EngineWorker());
    worker.onProgress = (p) => this.emit('progress', p);
    const modelsUrl = new URL(this.options.modelsUrl ?? '/models/', location.href).href;
    if (this.server) {
      await worker.call('init', { modelsUrl, device: null });
      return;
    }
    const secret = this.options.masterSecret;
    const masterSecret = secret instanceof Uint8Array ? secret.slice() : await (secret?.() ?? deviceMasterSecret(this.appName));
    const saved = await loadSavedState(this.appName);
    const { restartedAuditLog } = await worker.call(
      'init',
      { modelsUrl, device: { masterSecret, wrapTemplates: secret === undefined, config: loginConfig(this.appName, this.options), saved } },
      [masterSecret.buffer],
    );
    await this.keepRestartedAuditLog(saved, restartedAuditLog);
  }

  /** When the saved audit log failed verification: keeps it aside and saves the restarted one. */
  private async keepRestartedAuditLog(saved: SavedState, restarted: string | null): Promise<void> {
    if (restarted !== null && saved.auditLog !== null) {
      await keepTamperedAuditLog(this.appName, saved.auditLog);
      await replaceAuditLog(this.appName, restarted);
    }
  }

  /**
   * Device mode: runs `step` holding this app's login lock across every tab of the origin (Web
   * Locks), with the lockout counters and audit log re-read into the worker first. Each tab's
   * worker keeps its own copy; without this, two tabs each counted their own failures (a lock
   * needed 5 in one tab) and wrote their own audit chains over each other. Browsers without Web
   * Locks (none this SDK otherwise supports) still re-read, without the mutual exclusion.
   */
  private async underLoginLock<T>(step: () => Promise<T>): Promise<T> {
    const run = async () => {
      const saved = await loadSavedState(this.appName);
      await this.keepRestartedAuditLog(saved, await this.call('reload', { saved, now: Date.now() }));
      return step();
    };
    const locks = (navigator as Partial<Navigator>).locks;
    return locks ? locks.request(`entry-login:${this.appName}`, run) : run();
  }

  /**
   * Recognises the person in front of the camera among this app's users; registers them when they
   * are unknown and `registerIfNotFound` is true (else USER_NOT_FOUND).
   */
  async identifyUser(registerIfNotFound: boolean, parentElement: HTMLElement, options: IdentifyOptions = {}): Promise<EntryUser> {
    if (this.server) return this.attempt(parentElement, options, this.onServer(options, registerIfNotFound ? 'register' : 'identify', null));
    return this.attempt(parentElement, options, this.onDevice(options, { kind: 'identify', registerIfNotFound }, null));
  }

  /**
   * Checks that the person in front of the camera is `entryUserId` (FACE_MATCH_FAILED otherwise).
   * Failed matches, near matches (FALLBACK_REQUIRED) and failed liveness count towards a lockout (5
   * in 3 minutes lock the user for 30 minutes: ACCOUNT_LOCKED, before the camera opens).
   */
  async verifyUser(entryUserId: string, parentElement: HTMLElement, options: IdentifyOptions = {}): Promise<EntryUser> {
    if (this.server) return this.attempt(parentElement, options, this.onServer(options, 'verify', entryUserId));
    const user = await this.storeCall(() => this.store.get(this.appName, entryUserId));
    if (!user?.sealedTemplate) throw new EntrySDKError(ErrorCode.USER_NOT_FOUND, `no enrolled user ${entryUserId}`);
    return this.attempt(parentElement, options, this.onDevice(options, { kind: 'verify', entryUserId }, user));
  }

  /**
   * Removes the user's template and profile (USER_NOT_FOUND when there is none). In server mode
   * erasure needs the app's API key, which never belongs in a page: call
   * `DELETE /v1/apps/{app}/users/{user}` from your backend (docs/protocol.md).
   */
  async deleteUser(entryUserId: string): Promise<void> {
    if (this.server) {
      throw new EntrySDKError(
        ErrorCode.INVALID_CONFIGURATION,
        'in server mode, delete users from your backend with the app API key (DELETE /v1/apps/{app}/users/{user})',
      );
    }
    const deleted = await this.storeCall(() => this.store.delete(this.appName, entryUserId));
    if (!deleted) throw new EntrySDKError(ErrorCode.USER_NOT_FOUND, `no enrolled user ${entryUserId}`);
    await this.preload(); // the audit chain lives in the worker
    await this.underLoginLock(async () =>
      persistState(this.appName, await this.call('recordDeletion', { entryUserId, now: Date.now() })));
  }

  /** The hash-chained audit log of this app on this device (JSON Lines; ids only, no face data). */
  async auditLog(): Promise<string> {
    return (await loadAuditLog(this.appName)) ?? '';
  }

  override addEventListener<K extends keyof EntryEventMap>(
    type: K,
    listener: ((event: EntryEventMap[K]) => void) | EventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListener, options);
  }

  private emit<K extends keyof EntryEventMap>(type: K, detail: EntryEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private call: EngineWorker['call'] = (name, args, transfer) => {
    if (!this.worker) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'the SDK is not loaded');
    return this.worker.call(name, args, transfer);
  };

  private async storeCall<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (e) {
      throw EntrySDKError.from(e, ErrorCode.STORAGE_ERROR);
    }
  }

  private async applyChanges(changes: StoreChange[]): Promise<void> {
    for (const change of changes) {
      if (change.op === 'put') await this.storeCall(() => this.store.put(change.user));
      else await this.storeCall(() => this.store.delete(this.appName, change.entryUserId));
    }
  }

  /** Device mode: the core's `begin` before the camera, its decision after, persisted here. */
  private onDevice(options: IdentifyOptions, purpose: AttemptRequest['purpose'], user: StoredUser | null): AttemptSteps {
    let running = false;
    return {
      prepare: async (signal) => {
        const request: AttemptRequest = { purpose, useCase: options.useCase ?? this.options.useCase ?? 'login' };
        if (options.document) request.document = options.document;
        if (options.ageRule) request.ageRule = options.ageRule;
        const nonce = await (this.options.challengeNonce?.() ?? crypto.getRandomValues(new Uint8Array(16)));
        const begin = { request, user, signals: deviceSignals(), policy: capturePolicy(this.options), nonce, now: Date.now() };
        await abortable(this.underLoginLock(() => this.call('begin', begin)), signal);
        running = true;
      },
      decide: async () => {
        const users = user ? [user] : await this.storeCall(() => this.store.list(this.appName));
        const finished = await this.underLoginLock(async () => {
          const report = await this.call('finish', { users, now: Date.now() });
          running = false;
          await persistState(this.appName, report);
          return report;
        });
        await this.applyChanges(finished.changes);
        if (finished.error) throw new EntrySDKError(finished.error.code, finished.error.message);
        return finished.user!;
      },
      abandon: async (error) => {
        if (!running) return;
        await this.underLoginLock(async () =>
          persistState(this.appName, await this.call('abandon', { code: error.code, message: error.message, now: Date.now() })))
          .catch(() => undefined);
      },
    };
  }

  /**
   * Server mode: an attempt from entry-server (its challenge and capture policy) before the camera;
   * after the capture, the crops sealed in the worker with this browser's device proof, and the
   * server's decision. An attempt abandoned before its evidence expires on the server.
   */
  private onServer(options: IdentifyOptions, purpose: AttemptPurpose, userId: string | null): AttemptSteps {
    if (options.document || options.ageRule) {
      throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'identity documents are not part of server mode yet');
    }
    const useCase = options.useCase ?? this.options.useCase ?? 'login';
    const server = this.server!;
    let attemptId = '';
    return {
      prepare: async (signal) => {
        const attempt = await server.createAttempt(purpose, userId, useCase, signal);
        attemptId = attempt.attemptId;
        const binding = { attemptId, nonce: attempt.nonce, appId: this.appName, origin: location.origin };
        await abortable(this.call('beginEvidence', { binding, evidenceKey: attempt.evidenceKey, policy: attempt.capture }), signal);
      },
      decide: async (signal) => {
        const sealed = await this.call('sealEvidence', {});
        const decided = await server.submitEvidence(attemptId, sealed, signal);
        return { ...decided.user, assertion: decided.assertion };
      },
      abandon: async () => undefined,
    };
  }

  /**
   * One attempt: overlay, engine, the mode's preparation (refusals before the camera), camera and
   * capture, then the mode's decision. The camera is released on every path; an attempt that ends
   * early is handed back to the mode (device mode audits it, and counts a failed verification).
   */
  private async attempt(parent: HTMLElement, options: IdentifyOptions, steps: AttemptSteps): Promise<EntryUser> {
    if (!(parent instanceof HTMLElement)) {
      throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'parentElement must be an HTMLElement');
    }
    if (this.busy) throw new EntrySDKError(ErrorCode.CAPTURE_IN_PROGRESS, 'a face check is already running');
    this.busy = true;
    const abort = new AbortController();
    options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
    if (options.signal?.aborted) abort.abort();
    const overlay = new CaptureOverlay(parent, this.strings, () => abort.abort());
    const state = (s: EntryState, message: string, progress?: number) => {
      overlay.show(s, message, progress);
      this.emit('state', { state: s });
    };
    let stream: MediaStream | undefined;
    try {
      state('loading', this.strings.loadingModels, 0);
      assertSupported(); // again here: `preload` may have run before (the features are read at each check)
      const onProgress = (e: Event) => {
        const p = (e as CustomEvent<ModelProgress>).detail;
        overlay.show('loading', this.strings.loadingModels, p.total ? p.loaded / p.total : 0);
      };
      this.addEventListener('progress', onProgress);
      await abortable(this.preload(), abort.signal).finally(() => this.removeEventListener('progress', onProgress));
      await steps.prepare(abort.signal);
      state('camera', this.strings.startingCamera);
      const opening = openCamera(overlay.video);
      // A camera that opens after a cancel is closed at once.
      opening.then((s) => abort.signal.aborted && releaseCamera(s), () => undefined);
      stream = await abortable(opening, abort.signal);
      await captureFrames(this.worker!, overlay, abort.signal, (update) => {
        this.emit('capture', update);
        if (update.state === 'collecting' || update.state === 'challenge') this.emit('state', { state: update.state });
      });
      releaseCamera(stream, overlay.video);
      stream = undefined;
      state('matching', this.strings.matching, 1);
      const user = await steps.decide(abort.signal);
      state('success', this.strings.success, 1);
      return user;
    } catch (e) {
      const error = EntrySDKError.from(e);
      overlay.fail(error.code);
      this.emit('state', { state: 'failure' });
      this.emit('error', error);
      await steps.abandon(error);
      throw error;
    } finally {
      releaseCamera(stream, overlay.video);
      this.busy = false;
      setTimeout(() => overlay.remove(), this.options.resultDisplayMs ?? 1200);
    }
  }
}

/** What differs between device mode and server mode around the shared camera and capture. */
interface AttemptSteps {
  /** Before the camera opens: refusals that need no face. */
  prepare(signal: AbortSignal): Promise<void>;
  /** After a successful capture: the decision. */
  decide(signal: AbortSignal): Promise<EntryUser>;
  /** After a failure: whatever the mode records of it. */
  abandon(error: EntrySDKError): Promise<void>;
}
