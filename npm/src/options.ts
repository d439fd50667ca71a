// The options an app gives the SDK, their defaults, and how they reach the core under its names.
import { EntrySDKError, ErrorCode } from './errors.js';
import type { OverlayStrings } from './overlay/strings.js';
import type { ServerOptions } from './server-client.js';
import type { TemplateStore } from './store/template-store.js';
import type { AgeRuleName, DocumentInput, LivenessMode, UseCase } from './core-types.js';
import type { CapturePolicyOptions, DeviceLoginOptions } from './worker/protocol.js';

export type { LivenessMode };

/** Every mode the core knows: the compiler checks this against the generated `LivenessMode`. */
const LIVENESS_MODES = { off: true, passive: true, passive_and_active: true, adaptive: true } satisfies Record<LivenessMode, true>;

export interface CaptureOptions {
  /** Good frames averaged into a template. Default 5. */
  frames?: number;
  /** Time to get those frames, ms. Default 30000. */
  timeoutMs?: number;
  /** Consecutive frames showing a second face before MULTIPLE_FACES_DETECTED. Default 8. */
  multipleFacesFrames?: number;
  /** Mean live probability needed over the captured frames (passive). Default 0.14: every live recording in the measured sets passes and no attack comes near (README, Liveness). */
  liveThreshold?: number;
  /**
   * Two captured frames whose face changed by less than this (grey levels, over 8x8 cells) show one
   * picture: a replayed still. 0 turns this off. Default 0.05.
   */
  minMotion?: number;
  /**
   * Two captured frames whose face changed no more than this many times what pixel noise alone
   * explains show one picture with noise added: a still with noise, a looped clip. 0 turns this off.
   * Default 1.2 (README, Liveness).
   */
  noiseRatio?: number;
  /**
   * Captured frames whose every pair, once one face is fitted onto the other (moved, scaled,
   * turned), changed no more than this many times what pixel noise explains show one picture moved:
   * a panned, zoomed or turned still. 0 turns this off. Default 1.5 (README, Liveness).
   */
  movedNoiseRatio?: number;
  /** With `liveness: 'adaptive'`, the mean live probability under which the challenge follows. Default 0.5. */
  sureLiveThreshold?: number;
  /** Actions in the active challenge. Default 2. */
  challengeSteps?: number;
  /** Time for each challenge action, ms. Default 7000. */
  challengeStepTimeoutMs?: number;
}

export interface EntrySDKOptions {
  /**
   * Server mode: entry-server decides. The browser captures and guides under the app's policy from
   * the server, seals face crops to the server with a device-key proof, and `identifyUser` /
   * `verifyUser` resolve with the user and the server's `assertion` for your backend
   * (`entry-face-sdk/server`'s `verifyAssertion`). Without it, device mode.
   */
  server?: ServerOptions;
  /** Where `manifest.json` and the model files are served. Default `/models/`. */
  modelsUrl?: string | URL;
  /**
   * The app's master secret (at least 32 bytes), or a function fetching it from your server. Give
   * one when templates must open on a server or another device (they are then sealed under it alone,
   * and it passes through the page). Default: a per-app secret derived from a non-extractable key kept
   * in this browser (script on your origin can derive it too), with every template wrapped again under
   * a non-extractable key no script can read out (docs/security.md).
   */
  masterSecret?: Uint8Array | (() => Promise<Uint8Array>);
  /** Where sealed templates live. Default: IndexedDB in this browser. */
  store?: TemplateStore;
  /**
   * `passive` (default): the anti-spoof model over the captured frames. `passive_and_active`: then
   * always a randomised head/eye challenge. `adaptive`: passive, and the challenge only when the passive
   * verdict is live but not sure (mean score under `capture.sureLiveThreshold`). `off`: none.
   */
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
  /**
   * Days after which a template is stale: re-sealed under today's key when a login next opens it.
   * Templates never expire by age, so a person who has not logged in for months is kept, never
   * enrolled twice. Default 30.
   */
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
  if (options.server && (options.masterSecret || options.store)) {
    throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, 'server mode keeps keys and templates on the server: drop masterSecret and store');
  }
  if (options.liveness && !Object.hasOwn(LIVENESS_MODES, options.liveness)) {
    throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, `unknown liveness mode ${JSON.stringify(options.liveness)}`);
  }
}

/** The core's `DeviceLoginConfig`: only what the app set; the core holds the defaults. */
export function loginConfig(appName: string, options: EntrySDKOptions): DeviceLoginOptions {
  const config: DeviceLoginOptions = { appId: appName };
  if (options.transformVersion !== undefined) config.transformVersion = options.transformVersion;
  if (options.templateGraceDays !== undefined) config.graceDays = options.templateGraceDays;
  if (options.sessionLifetimeSeconds !== undefined) config.sessionLifetimeSeconds = options.sessionLifetimeSeconds;
  if (options.guardianFlow !== undefined) config.guardianFlow = options.guardianFlow;
  return config;
}

/** The core's `CapturePolicy` under its own names: only what the app set. */
export function capturePolicy(options: EntrySDKOptions): CapturePolicyOptions {
  const c = options.capture ?? {};
  const policy: CapturePolicyOptions = { liveness: options.liveness ?? 'passive' };
  if (c.frames !== undefined) policy.frames = c.frames;
  if (c.timeoutMs !== undefined) policy.timeoutMs = c.timeoutMs;
  if (c.multipleFacesFrames !== undefined) policy.multipleFacesFrames = c.multipleFacesFrames;
  const liveness: CapturePolicyOptions['livenessPolicy'] = {};
  if (c.liveThreshold !== undefined) liveness.liveThreshold = c.liveThreshold;
  if (c.sureLiveThreshold !== undefined) liveness.sureThreshold = c.sureLiveThreshold;
  if (c.minMotion !== undefined) liveness.minMotion = c.minMotion;
  if (c.noiseRatio !== undefined) liveness.noiseRatio = c.noiseRatio;
  if (c.movedNoiseRatio !== undefined) liveness.movedNoiseRatio = c.movedNoiseRatio;
  if (Object.keys(liveness).length) policy.livenessPolicy = liveness;
  const challenge: CapturePolicyOptions['challenge'] = {};
  if (c.challengeSteps !== undefined) challenge.steps = c.challengeSteps;
  if (c.challengeStepTimeoutMs !== undefined) challenge.stepTimeoutMs = c.challengeStepTimeoutMs;
  if (Object.keys(challenge).length) policy.challenge = challenge;
  return policy;
}
