// `<entry-login>`: the SDK as a custom element, for pages without a framework. It holds no logic of
// its own: attributes become `EntrySDK` options, a click (or `start()`) runs `identifyUser` or
// `verifyUser`, and the SDK's state changes come out as DOM events.
import { EntrySDKError, ErrorCode } from '../errors.js';
import type { EntryUser, LivenessMode } from '../core-types.js';
import type { EntrySDKOptions } from '../options.js';
import { runCheck, type Check } from '../check-runner.js';
import { EntrySDK, type EntryState } from '../sdk.js';

/** What `<entry-login>` dispatches (bubbling, composed). */
export interface EntryLoginEventMap {
  /** Every state of a check: loading, camera, collecting, challenge, matching, success, failure. */
  'entry-state': CustomEvent<{ state: EntryState }>;
  /** The check succeeded: the user identified, registered or verified. */
  'entry-success': CustomEvent<{ user: EntryUser }>;
  /** The check failed (the error's `code` is one of `ErrorCode`). */
  'entry-failure': CustomEvent<{ error: EntrySDKError }>;
}

const LIVENESS: readonly LivenessMode[] = ['off', 'passive', 'passive_and_active', 'adaptive'];

/**
 * `<entry-login app="shop.example">Sign in with your face</entry-login>`
 *
 * Attributes, read when a check starts:
 * - `app` (required): the app name (`EntrySDK.getInstance`'s first argument).
 * - `mode`: `identify` (default) or `verify` (then `user` names who must be in front of the camera).
 * - `register`: present, an unknown face is enrolled (`identifyUser(true, ...)`).
 * - `liveness`: `off`, `passive`, `passive_and_active` or `adaptive` (the SDK's default when absent).
 * - `language`: the overlay's language (`en`, `de`; the browser's when absent).
 * - `server`: an entry-server URL: server mode.
 * - `models`: where the models are served (`/models/` when absent).
 *
 * The options of one app are fixed by the first check that creates its `EntrySDK`. The element's
 * content is the button's label; `start()` runs a check without a click, `cancel()` stops one.
 */
export class EntryLogin extends HTMLElement {
  private running: AbortController | undefined;
  private readonly button: HTMLButtonElement;
  private readonly stage: HTMLDivElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this.button = document.createElement('button');
    this.button.part.add('button');
    this.button.type = 'button';
    this.button.append(document.createElement('slot'));
    this.button.addEventListener('click', () => void this.start().catch(() => undefined));
    this.stage = document.createElement('div');
    this.stage.part.add('stage');
    root.append(this.button, this.stage);
  }

  /** Runs one check as the attributes say; resolves with the user, rejects with an `EntrySDKError`. */
  async start(): Promise<EntryUser> {
    if (this.running) throw new EntrySDKError(ErrorCode.CAPTURE_IN_PROGRESS, 'a face check is already running');
    const running = new AbortController();
    this.running = running;
    this.button.disabled = true;
    const check: Check =
      this.getAttribute('mode') === 'verify'
        ? (sdk, signal) => sdk.verifyUser(this.required('user'), this.stage, { signal })
        : (sdk, signal) => sdk.identifyUser(this.hasAttribute('register'), this.stage, { signal });
    try {
      const user = await runCheck(() => this.sdk(), check, running.signal, (state) => this.emit('entry-state', { state }));
      this.emit('entry-success', { user });
      return user;
    } catch (e) {
      const error = e as EntrySDKError;
      this.emit('entry-failure', { error });
      throw error;
    } finally {
      this.running = undefined;
      this.button.disabled = false;
    }
  }

  /** Stops a running check (it fails with USER_CANCELLED). */
  cancel(): void {
    this.running?.abort();
  }

  disconnectedCallback(): void {
    this.cancel();
  }

  private sdk(): EntrySDK {
    const options: EntrySDKOptions = {};
    const liveness = this.getAttribute('liveness');
    if (liveness !== null) {
      if (!LIVENESS.includes(liveness as LivenessMode)) {
        throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, `liveness must be one of ${LIVENESS.join(', ')}`);
      }
      options.liveness = liveness as LivenessMode;
    }
    const language = this.getAttribute('language');
    if (language) options.language = language;
    const server = this.getAttribute('server');
    if (server) options.server = { url: server };
    const models = this.getAttribute('models');
    if (models) options.modelsUrl = models;
    return EntrySDK.getInstance(this.required('app'), options);
  }

  private required(name: string): string {
    const value = this.getAttribute(name);
    if (!value) throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, `<entry-login> needs a ${name} attribute`);
    return value;
  }

  private emit<K extends keyof EntryLoginEventMap>(type: K, detail: EntryLoginEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/** Registers `<entry-login>` (once; a second call is a no-op) under `name`. */
export function defineEntryLogin(name = 'entry-login'): void {
  if (!customElements.get(name)) customElements.define(name, EntryLogin);
}
