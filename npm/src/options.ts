// The options an app gives the SDK, their defaults, and how they reach the core under its names.
import { EntrySDKError, ErrorCode } from './errors.js';
import type { OverlayStrings } from './overlay/strings.js';
import type { TemplateStore } from './store/template-store.js';
import type { AgeRuleName, DeviceLoginConfig, DocumentInput, UseCase } from './worker/protocol.js';

/**
 * `passive`: the anti-spoof model over the captured frames. `passive_and_active`: then always a
 * randomised head/eye challenge. `adaptive`: passive, and the challenge only when the passive verdict is
 * live but not sure (mean score under `capture.sureLiveThreshold`).
 */
export type LivenessMode = 'off' | 'passive' | 'passive_and_active' | 'adaptive';

const LIVENESS_MODES: readonly LivenessMode[] = ['off', 'passive', 'passive_and_active', 'adaptive'];

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

/** Refuses what can be refused before anything loads (INVALID_CONFIGURATION). */
export function checkOptions(appName: string, options: EntrySDKOptions): void {
  if (typeof appName !== 'string' || appName.trim() === '') {
    throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'appName must be a non-empty string');
  }
  if (options.liveness && !LIVENESS_MODES.includes(options.liveness)) {
    throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, `unknown liveness mode ${JSON.stringify(options.liveness)}`);
  }
}

/** The core's `DeviceLoginConfig`: only what the app set; the core holds the defaults. */
export function loginConfig(appName: string, options: EntrySDKOptions): DeviceLoginConfig {
  const config: DeviceLoginConfig = { appId: appName };
  if (options.transformVersion !== undefined) config.transformVersion = options.transformVersion;
  if (options.templateGraceDays !== undefined) config.graceDays = options.templateGraceDays;
  if (options.sessionLifetimeSeconds !== undefined) config.sessionLifetimeSeconds = options.sessionLifetimeSeconds;
  if (options.guardianFlow !== undefined) config.guardianFlow = options.guardianFlow;
  return config;
}

/** The core's `CapturePolicy` under its own names: only what the app set. */
export function capturePolicy(options: EntrySDKOptions): Record<string, unknown> {
  const c = options.capture ?? {};
  const policy: Record<string, unknown> = { liveness: options.liveness ?? 'passive' };
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
