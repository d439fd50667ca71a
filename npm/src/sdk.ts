// The one entry point: `EntrySDK.getInstance(appName, options)`, then `identifyUser`, `verifyUser`
// and `deleteUser`. The page drives the camera and the overlay; the worker does every face and
// crypto operation; the store only ever holds sealed templates.
import { openCamera, releaseCamera } from './camera.js';
import { EntrySDKError, ErrorCode } from './errors.js';
import type { ModelProgress } from './models.js';
import { CaptureOverlay } from './overlay/overlay.js';
import { stringsFor, type OverlayStrings } from './overlay/strings.js';
import {
  keepTamperedAuditLog,
  loadAuditLog,
  loadLockoutState,
  saveAuditLog,
  saveLockoutState,
} from './store/worker-state.js';
import { deviceMasterSecret } from './store/device-secret.js';
import { IndexedDBTemplateStore } from './store/indexeddb-store.js';
import { EMPTY_PROFILE, type StoredUser, type TemplateStore, type UserProfile } from './store/template-store.js';
import { EngineWorker } from './worker/client.js';
import type {
  AgeRuleName,
  AuditEvent,
  CalendarDate,
  CaptureUpdate,
  DeviceSignals,
  DocumentInput,
  DocumentProfile,
  UseCase,
} from './worker/protocol.js';

/**
 * `passive`: the anti-spoof model over the captured frames. `passive_and_active`: then always a
 * randomised head/eye challenge. `adaptive`: passive, and the challenge only when the passive verdict is
 * live but not sure (mean score under `capture.sureLiveThreshold`).
 */
export type LivenessMode = 'off' | 'passive' | 'passive_and_active' | 'adaptive';

export interface CaptureOptions {
  /** Good frames averaged into a template. Default 5. */
  frames?: number;
  /** Time to get those frames, ms. Default 30000. */
  timeoutMs?: number;
  /** Consecutive frames showing a second face before MULTIPLE_FACES_DETECTED. Default 8. */
  multipleFacesFrames?: number;
  /** Mean live probability needed over the captured frames (passive). Default 0.14: every live recording in the measured sets passes and no attack comes near (README, Liveness). */
  liveThreshold?: number;
  /** With `liveness: 'adaptive'`, the mean live probability under which the challenge follows. Default 0.5. */
  sureLiveThreshold?: number;
  /** Actions in the active challenge. Default 2. */
  challengeSteps?: number;
  /** Time for each challenge action, ms. Default 7000. */
  challengeStepTimeoutMs?: number;
}

export interface EntrySDKOptions {
  /** Where `manifest.json` and the model files are served. Default `/models/`. */
  modelsUrl?: string | URL;
  /**
   * The app's master secret (at least 32 bytes), or a function fetching it from your server. Give
   * one when templates must open on a server or another device. Default: a per-app secret derived
   * from a non-extractable key kept in this browser.
   */
  masterSecret?: Uint8Array | (() => Promise<Uint8Array>);
  /** Where sealed templates live. Default: IndexedDB in this browser. */
  store?: TemplateStore;
  /** Default `passive`. */
  liveness?: LivenessMode;
  capture?: CaptureOptions;
  /** Seeds the active challenge; give a server-issued nonce so the server can check the actions. */
  challengeNonce?: () => Uint8Array | Promise<Uint8Array>;
  /** Target false-match rate by use. Default `login` (1e-3). */
  useCase?: UseCase;
  /** Overlay language (`en`, `de`); default the browser's. */
  language?: string;
  strings?: Partial<OverlayStrings>;
  /** Raise to revoke every template of the app at once. Default 1. */
  transformVersion?: number;
  /** Days an old daily key still opens templates (they are re-sealed on use). Default 30. */
  templateGraceDays?: number;
  /** Lifetime of the session token returned with a user, seconds. Default 300. */
  sessionLifetimeSeconds?: number;
  /** Whether the app runs a guardian-consent flow; without one, under-age users get no template. */
  guardianFlow?: boolean;
  /** How long the overlay shows the outcome before it is removed, ms. Default 1200. */
  resultDisplayMs?: number;
}

export interface IdentifyOptions {
  signal?: AbortSignal;
  useCase?: UseCase;
  /** An identity document read at registration: fills the profile, and the age rule is checked. */
  document?: DocumentInput;
  ageRule?: AgeRuleName;
}

export interface EntryUser extends UserProfile {
  entryUserId: string;
  /** A template is stored: the user can be recognised next time. */
  isRegistrationComplete: boolean;
  /** Registered by this call. */
  isNewUser: boolean;
  isUnderAge: boolean;
  deviceId: string;
  /** Recognised on this device before (else a shop may ask for a step-up check). */
  isKnownDevice: boolean;
  /** Cosine score against the stored template (null for a new registration). */
  matchScore: number | null;
  livenessScore: number | null;
  /** Single-use token (HMAC under the app's keys) your server can verify. */
  sessionToken: string | null;
  createdAt: string;
  updatedAt: string;
}

export type EntryState = 'loading' | 'camera' | 'collecting' | 'challenge' | 'matching' | 'success' | 'failure';

/** Events an app can listen to (`sdk.addEventListener('state', e => e.detail.state)`). */
export interface EntryEventMap {
  progress: CustomEvent<ModelProgress>;
  state: CustomEvent<{ state: EntryState }>;
  capture: CustomEvent<CaptureUpdate>;
  error: CustomEvent<EntrySDKError>;
}

interface CaptureContext {
  deviceId: string;
  now: number;
  livenessScore: number | null;
  /** `options.document`, parsed and checked before the camera opened. */
  document: DocumentProfile | null;
}

interface DocumentOutcome {
  profile: UserProfile;
  isUnderAge: boolean;
  mayStore: boolean;
}

const instances = new Map<string, EntrySDK>();

function cancelled(): EntrySDKError {
  return new EntrySDKError(ErrorCode.USER_CANCELLED, 'the person cancelled the face check');
}

/** Rejects with USER_CANCELLED as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A camera that delivers no new frame for this long has stopped (unplugged, taken, tab hidden). */
const FRAME_STALL_MS = 5000;

function nextVideoFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve, reject) => {
    const stalled = setTimeout(
      () => reject(new EntrySDKError(ErrorCode.TIMEOUT_ERROR, `the camera sent no frame for ${FRAME_STALL_MS / 1000} s`)),
      FRAME_STALL_MS,
    );
    const next = () => {
      clearTimeout(stalled);
      resolve();
    };
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(next);
    else requestAnimationFrame(next);
  });
}

function isoDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

function deviceSignals(): DeviceSignals {
  return {
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    languages: [...navigator.languages],
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screenWidth: screen.width,
    screenHeight: screen.height,
    colorDepth: screen.colorDepth,
    hardwareConcurrency: navigator.hardwareConcurrency,
    maxTouchPoints: navigator.maxTouchPoints,
  };
}

function fallbackRequired(score: number): EntrySDKError {
  return new EntrySDKError(ErrorCode.FALLBACK_REQUIRED, `match score ${score.toFixed(3)} needs another factor`);
}

function describeFailure(update: Extract<CaptureUpdate, { state: 'failed' }>): string {
  const { reason, ...detail } = update.failure;
  return `capture failed (${reason}): ${JSON.stringify(detail)}`;
}

export class EntrySDK extends EventTarget {
  readonly appName: string;
  private readonly options: EntrySDKOptions;
  private readonly store: TemplateStore;
  private readonly strings: OverlayStrings;
  private worker?: EngineWorker;
  private started?: Promise<void>;
  private busy = false;

  private constructor(appName: string, options: EntrySDKOptions) {
    super();
    this.appName = appName;
    this.options = options;
    this.store = options.store ?? new IndexedDBTemplateStore();
    this.strings = stringsFor(options.language, options.strings);
  }

  /** The SDK for `appName` (one per app and page; later calls return the first instance). */
  static getInstance(appName: string, options: EntrySDKOptions = {}): EntrySDK {
    if (typeof appName !== 'string' || appName.trim() === '') {
      throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'appName must be a non-empty string');
    }
    if (options.liveness && !['off', 'passive', 'passive_and_active', 'adaptive'].includes(options.liveness)) {
      throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, `unknown liveness mode ${JSON.stringify(options.liveness)}`);
    }
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
    const worker = (this.worker = new EngineWorker());
    worker.onProgress = (p) => this.emit('progress', p);
    const secret = this.options.masterSecret;
    const masterSecret = secret instanceof Uint8Array ? secret.slice() : await (secret?.() ?? deviceMasterSecret(this.appName));
    const modelsUrl = new URL(this.options.modelsUrl ?? '/models/', location.href).href;
    const auditLog = await loadAuditLog(this.appName);
    const { restartedAuditLog } = await worker.call(
      'init',
      {
        modelsUrl,
        appId: this.appName,
        masterSecret,
        transformVersion: this.options.transformVersion ?? 1,
        graceDays: this.options.templateGraceDays ?? 30,
        auditLog,
        lockoutState: await loadLockoutState(this.appName),
      },
      [masterSecret.buffer],
    );
    if (restartedAuditLog !== null && auditLog !== null) {
      await keepTamperedAuditLog(this.appName, auditLog);
      await saveAuditLog(this.appName, restartedAuditLog);
    }
  }

  /**
   * Recognises the person in front of the camera among this app's users; registers them when they
   * are unknown and `registerIfNotFound` is true (else USER_NOT_FOUND).
   */
  identifyUser(registerIfNotFound: boolean, parentElement: HTMLElement, options: IdentifyOptions = {}): Promise<EntryUser> {
    return this.withCapture(parentElement, options, async (context) => {
      const users = await this.storeCall(() => this.store.list(this.appName));
      const records = users.flatMap((u) => (u.sealedTemplate ? [{ userId: u.entryUserId, sealed: u.sealedTemplate }] : []));
      const found = await this.call('search', { records, now: context.now });
      // A tampered, revoked or expired record is never matched, never deleted, and always audited.
      for (const bad of found.unreadable) {
        await this.audit({ type: 'failure', user_id: bad.user_id, device_id: context.deviceId, code: bad.code });
      }
      if (found.best) {
        const decision = await this.call('decide', { score: found.best.score, useCase: options.useCase ?? this.useCase });
        const user = users.find((u) => u.entryUserId === found.best!.id)!;
        if (decision === 'accept') return this.recognised(user, found.best.score, context, options, 'identify');
        // Close to someone enrolled: registering would create a near-duplicate; ask for another factor.
        if (decision === 'fallback_required') throw fallbackRequired(found.best.score);
      }
      if (!registerIfNotFound) {
        await this.audit({ type: 'identify', user_id: null, device_id: context.deviceId, matched: false });
        throw new EntrySDKError(ErrorCode.USER_NOT_FOUND, 'no enrolled user matches this face');
      }
      return this.register(context, options);
    });
  }

  /**
   * Checks that the person in front of the camera is `entryUserId` (FACE_MATCH_FAILED otherwise).
   * Failed matches and failed liveness count towards a lockout (5 in 3 minutes lock the user for 30
   * minutes: ACCOUNT_LOCKED, before the camera opens).
   */
  async verifyUser(entryUserId: string, parentElement: HTMLElement, options: IdentifyOptions = {}): Promise<EntryUser> {
    const user = await this.storeCall(() => this.store.get(this.appName, entryUserId));
    if (!user?.sealedTemplate) throw new EntrySDKError(ErrorCode.USER_NOT_FOUND, `no enrolled user ${entryUserId}`);
    await this.preload();
    const lockedUntil = await this.call('lockedUntil', { account: entryUserId, now: Date.now() / 1000 });
    if (lockedUntil !== null) {
      throw new EntrySDKError(ErrorCode.ACCOUNT_LOCKED, `too many failed checks: locked until ${new Date(lockedUntil * 1000).toISOString()}`);
    }
    const useCase = options.useCase ?? this.useCase;
    try {
      const verified = await this.withCapture(parentElement, options, async (context) => {
        const found = await this.call('search', { records: [{ userId: user.entryUserId, sealed: user.sealedTemplate! }], now: context.now });
        if (!found.best) {
          const code = found.unreadable[0]?.code ?? ErrorCode.TEMPLATE_TAMPERED;
          throw new EntrySDKError(code as ErrorCode, `the stored template of ${entryUserId} cannot be opened (${code})`);
        }
        const decision = await this.call('decide', { score: found.best.score, useCase });
        const matched = decision === 'accept';
        await this.audit({ type: 'verify', user_id: entryUserId, device_id: context.deviceId, matched, use_case: useCase });
        if (decision === 'fallback_required') throw fallbackRequired(found.best.score);
        if (!matched) throw new EntrySDKError(ErrorCode.FACE_MATCH_FAILED, `the face does not match ${entryUserId}`);
        return this.recognised(user, found.best.score, context, options, null);
      }, entryUserId);
      await this.recordAttempt(entryUserId, true);
      return verified;
    } catch (e) {
      const code = (e as EntrySDKError).code;
      if (code === ErrorCode.FACE_MATCH_FAILED || code === ErrorCode.LIVENESS_CHECK_FAILED) await this.recordAttempt(entryUserId, false);
      throw e;
    }
  }

  private async recordAttempt(account: string, success: boolean): Promise<void> {
    const now = Date.now() / 1000;
    const { lockedUntil, state } = await this.call('recordAttempt', { account, now, success });
    await saveLockoutState(this.appName, state);
    if (lockedUntil !== null) await this.audit({ type: 'lockout', account, until: Math.floor(lockedUntil) });
  }

  /** Removes the user's template and profile (USER_NOT_FOUND when there is none). */
  async deleteUser(entryUserId: string): Promise<void> {
    const deleted = await this.storeCall(() => this.store.delete(this.appName, entryUserId));
    if (!deleted) throw new EntrySDKError(ErrorCode.USER_NOT_FOUND, `no enrolled user ${entryUserId}`);
    await this.preload(); // the audit chain lives in the worker
    await this.audit({ type: 'delete', user_id: entryUserId });
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

  private get useCase(): UseCase {
    return this.options.useCase ?? 'login';
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

  private async audit(event: AuditEvent): Promise<void> {
    const log = await this.call('audit', { now: Date.now() / 1000, event });
    await saveAuditLog(this.appName, log);
  }

  private capturePolicy(): Record<string, unknown> {
    const c = this.options.capture ?? {};
    const policy: Record<string, unknown> = { liveness: this.options.liveness ?? 'passive' };
    if (c.frames !== undefined) policy.frames = c.frames;
    if (c.timeoutMs !== undefined) policy.timeout_ms = c.timeoutMs;
    if (c.multipleFacesFrames !== undefined) policy.multiple_faces_frames = c.multipleFacesFrames;
    const liveness: Record<string, number> = {};
    if (c.liveThreshold !== undefined) liveness.live_threshold = c.liveThreshold;
    if (c.sureLiveThreshold !== undefined) liveness.sure_threshold = c.sureLiveThreshold;
    if (Object.keys(liveness).length) policy.liveness_policy = liveness;
    const challenge: Record<string, number> = {};
    if (c.challengeSteps !== undefined) challenge.steps = c.challengeSteps;
    if (c.challengeStepTimeoutMs !== undefined) challenge.step_timeout_ms = c.challengeStepTimeoutMs;
    if (Object.keys(challenge).length) policy.challenge = challenge;
    return policy;
  }

  /**
   * Camera, overlay and capture around `match`; the camera is released on every path. Failures are
   * audited against `entryUserId` when the check was for one user.
   */
  private async withCapture<T>(
    parent: HTMLElement,
    options: IdentifyOptions,
    match: (context: CaptureContext) => Promise<T>,
    entryUserId: string | null = null,
  ): Promise<T> {
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
    let deviceId = '';
    try {
      state('loading', this.strings.loadingModels, 0);
      const onProgress = (e: Event) => {
        const p = (e as CustomEvent<ModelProgress>).detail;
        overlay.show('loading', this.strings.loadingModels, p.total ? p.loaded / p.total : 0);
      };
      this.addEventListener('progress', onProgress);
      await abortable(this.preload(), abort.signal).finally(() => this.removeEventListener('progress', onProgress));
      // A bad or expired document fails fast, before the camera opens.
      const document = options.document
        ? await abortable(this.call('documentProfile', { document: options.document, now: Date.now() / 1000 }), abort.signal)
        : null;
      deviceId = await this.call('deviceId', { signals: deviceSignals() });
      state('camera', this.strings.startingCamera);
      const opening = openCamera(overlay.video);
      // A camera that opens after a cancel is closed at once.
      opening.then((s) => abort.signal.aborted && releaseCamera(s), () => undefined);
      stream = await abortable(opening, abort.signal);
      const nonce = await (this.options.challengeNonce?.() ?? crypto.getRandomValues(new Uint8Array(16)));
      await this.call('startCapture', { policy: this.capturePolicy(), nonce });
      const captured = await this.captureFrames(overlay, abort.signal);
      releaseCamera(stream, overlay.video);
      stream = undefined;
      state('matching', this.strings.matching, 1);
      const now = Date.now() / 1000;
      const result = await abortable(match({ deviceId, now, livenessScore: captured.liveness_score, document }), abort.signal);
      state('success', this.strings.success, 1);
      return result;
    } catch (e) {
      const error = EntrySDKError.from(e);
      overlay.fail(error.code);
      this.emit('state', { state: 'failure' });
      this.emit('error', error);
      if (this.worker && deviceId && error.code !== ErrorCode.USER_NOT_FOUND) {
        await this.audit({ type: 'failure', user_id: entryUserId, device_id: deviceId, code: error.code }).catch(() => undefined);
      }
      throw error;
    } finally {
      releaseCamera(stream, overlay.video);
      if (this.worker) this.call('endCapture', null).catch(() => undefined);
      this.busy = false;
      setTimeout(() => overlay.remove(), this.options.resultDisplayMs ?? 1200);
    }
  }

  private async captureFrames(overlay: CaptureOverlay, signal: AbortSignal): Promise<Extract<CaptureUpdate, { state: 'captured' }>> {
    for (;;) {
      await abortable(nextVideoFrame(overlay.video), signal);
      const bitmap = await createImageBitmap(overlay.video);
      const update = await abortable(this.call('frame', { bitmap, timestamp: performance.now() }, [bitmap]), signal);
      overlay.update(update);
      this.emit('capture', update);
      if (update.state === 'collecting' || update.state === 'challenge') this.emit('state', { state: update.state });
      if (update.state === 'captured') return update;
      if (update.state === 'failed') throw new EntrySDKError(update.code as ErrorCode, describeFailure(update));
    }
  }

  /**
   * The profile from `options.document` (after matching its portrait, when given, with the capture)
   * and the age rule's verdict; an under-age verdict is audited, with the user id only when a
   * template may be kept.
   */
  private async readDocument(context: CaptureContext, options: IdentifyOptions, entryUserId: string): Promise<DocumentOutcome> {
    const doc = context.document;
    if (!doc) return { profile: EMPTY_PROFILE, isUnderAge: false, mayStore: true };
    if (options.document?.photo) {
      const { score, decision } = await this.call('matchDocument', { photo: options.document.photo });
      if (decision !== 'accept') {
        throw new EntrySDKError(ErrorCode.FACE_MATCH_FAILED, `the face does not match the document photo (score ${score.toFixed(3)})`);
      }
    }
    const profile: UserProfile = {
      dateOfBirth: isoDate(doc.date_of_birth),
      photoIdentityDocumentType: doc.document_type,
      photoIdentityDocumentNumber: doc.document_number_digest,
      photoIdentityDocumentExpiry: isoDate(doc.expiry_date),
      photoIdentityDocumentIssuer: doc.issuer,
      nationality: doc.nationality,
    };
    if (!options.ageRule) return { profile, isUnderAge: false, mayStore: true };
    const age = await this.call('checkAge', {
      birthDate: doc.date_of_birth,
      rule: options.ageRule,
      now: context.now,
      guardianFlow: this.options.guardianFlow ?? false,
    });
    const mayStore = age.may_store_template;
    if (!age.meets) await this.audit({ type: 'under_age', user_id: mayStore ? entryUserId : null, rule: age.rule });
    return { profile, isUnderAge: !age.meets, mayStore };
  }

  private async register(context: CaptureContext, options: IdentifyOptions): Promise<EntryUser> {
    const entryUserId = crypto.randomUUID();
    const { profile, isUnderAge, mayStore } = await this.readDocument(context, options, entryUserId);
    const stamp = new Date(context.now * 1000).toISOString();
    const user: StoredUser = {
      appId: this.appName,
      entryUserId,
      sealedTemplate: mayStore ? await this.call('seal', { userId: entryUserId, now: context.now }) : null,
      profile,
      knownDevices: [context.deviceId],
      isUnderAge,
      createdAt: stamp,
      updatedAt: stamp,
    };
    // Data minimisation: an under-age user without a guardian flow leaves nothing behind.
    if (mayStore) {
      await this.storeCall(() => this.store.put(user));
      await this.audit({ type: 'enroll', user_id: entryUserId, device_id: context.deviceId });
    }
    return this.entryUser(user, context, { isNewUser: true, isKnownDevice: false, matchScore: null });
  }

  /** A matched user: templates follow the key rotation, devices and a given document are recorded. */
  private async recognised(
    user: StoredUser,
    score: number,
    context: CaptureContext,
    options: IdentifyOptions,
    audit: 'identify' | null,
  ): Promise<EntryUser> {
    const isKnownDevice = user.knownDevices.includes(context.deviceId);
    const document = context.document ? await this.readDocument(context, options, user.entryUserId) : undefined;
    const resealed = await this.call('refresh', { userId: user.entryUserId, sealed: user.sealedTemplate!, now: context.now });
    const updated: StoredUser = {
      ...user,
      sealedTemplate: document && !document.mayStore ? null : (resealed ?? user.sealedTemplate),
      profile: document?.profile ?? user.profile,
      isUnderAge: document?.isUnderAge ?? user.isUnderAge,
      knownDevices: isKnownDevice ? user.knownDevices : [...user.knownDevices, context.deviceId],
      updatedAt: new Date(context.now * 1000).toISOString(),
    };
    await this.storeCall(() => (updated.sealedTemplate ? this.store.put(updated) : this.store.delete(this.appName, user.entryUserId).then(() => undefined)));
    if (audit) await this.audit({ type: audit, user_id: user.entryUserId, device_id: context.deviceId, matched: true });
    return this.entryUser(updated, context, { isNewUser: false, isKnownDevice, matchScore: score });
  }

  private async entryUser(
    user: StoredUser,
    context: CaptureContext,
    extra: { isNewUser: boolean; isKnownDevice: boolean; matchScore: number | null },
  ): Promise<EntryUser> {
    const isRegistrationComplete = user.sealedTemplate !== null;
    const sessionToken = isRegistrationComplete
      ? await this.call('issueSession', {
          userId: user.entryUserId,
          deviceId: context.deviceId,
          now: context.now,
          lifetime: this.options.sessionLifetimeSeconds ?? 300,
        })
      : null;
    return {
      ...user.profile,
      entryUserId: user.entryUserId,
      isRegistrationComplete,
      isUnderAge: user.isUnderAge,
      deviceId: context.deviceId,
      livenessScore: context.livenessScore,
      sessionToken,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      ...extra,
    };
  }
}
