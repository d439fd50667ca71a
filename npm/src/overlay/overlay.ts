// The capture overlay placed inside the app's element: live preview, face guide, one instruction at
// a time, challenge steps, progress and a cancel button. It lives in a shadow root so the page's CSS
// cannot break it; its state is mirrored in data attributes for styling and tests.
import type { CaptureUpdate, ChallengeAction } from '../core-types.js';
import type { OverlayStrings } from './strings.js';
import { OVERLAY_CSS } from './styles.js';

export type OverlayState = 'loading' | 'camera' | 'collecting' | 'challenge' | 'matching' | 'success' | 'failure';

const ARROWS: Record<ChallengeAction, string> = {
  // The preview is mirrored, so the person's left is the screen's left.
  turn_left: '←',
  turn_right: '→',
  look_up: '↑',
  look_down: '↓',
  blink: '◉',
};

export class CaptureOverlay {
  readonly host: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly challenge: HTMLElement;
  private readonly arrow: HTMLElement;
  private readonly step: HTMLElement;
  private announced = '';

  constructor(parent: HTMLElement, private readonly strings: OverlayStrings, onCancel: () => void) {
    this.host = document.createElement('div');
    this.host.className = 'entry-overlay';
    this.host.setAttribute('role', 'group');
    this.host.setAttribute('aria-label', strings.title);
    const root = this.host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${OVERLAY_CSS}</style>
      <div class="frame" part="frame">
        <video muted playsinline autoplay aria-hidden="true"></video>
        <svg viewBox="0 0 100 75" preserveAspectRatio="none" aria-hidden="true">
          <defs><mask id="entry-guide"><rect width="100" height="75" fill="white"/><ellipse cx="50" cy="36" rx="20" ry="28" fill="black"/></mask></defs>
          <rect class="shade" width="100" height="75" mask="url(#entry-guide)"/>
          <ellipse class="oval" cx="50" cy="36" rx="20" ry="28"/>
        </svg>
        <button class="cancel" type="button" part="cancel"></button>
        <div class="challenge" hidden><span class="arrow" aria-hidden="true"></span><span class="step"></span></div>
      </div>
      <div class="status" role="status" aria-live="polite" aria-atomic="true"></div>
      <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="bar"></div></div>`;
    const $ = <T extends Element>(selector: string) => root.querySelector(selector) as T;
    this.video = $('video');
    this.status = $('.status');
    this.progress = $('.progress');
    this.bar = $('.bar');
    this.challenge = $('.challenge');
    this.arrow = $('.arrow');
    this.step = $('.step');
    const cancel = $<HTMLButtonElement>('.cancel');
    cancel.textContent = strings.cancel;
    cancel.addEventListener('click', onCancel);
    this.host.addEventListener('keydown', (e) => e.key === 'Escape' && onCancel());
    parent.appendChild(this.host);
    cancel.focus({ preventScroll: true });
  }

  /** Sets the state, its message (announced once per change) and the progress (0..1). */
  show(state: OverlayState, message: string, progress?: number): void {
    this.host.dataset.state = state;
    if (state !== 'collecting') delete this.host.dataset.guidance;
    if (state !== 'challenge') this.challenge.hidden = true;
    if (message !== this.announced) {
      this.status.textContent = message;
      this.announced = message;
    }
    if (progress !== undefined) {
      const percent = Math.round(Math.min(1, Math.max(0, progress)) * 100);
      this.bar.style.width = `${percent}%`;
      this.progress.setAttribute('aria-valuenow', String(percent));
    }
  }

  /** Reflects a capture update from the engine. */
  update(update: CaptureUpdate): void {
    if (update.state === 'collecting') {
      this.show('collecting', this.strings.guidance[update.guidance], update.progress);
      this.host.dataset.guidance = update.guidance;
    } else if (update.state === 'challenge') {
      const step = this.strings.challengeStep.replace('{step}', String(update.step + 1)).replace('{steps}', String(update.steps));
      this.show('challenge', `${this.strings.challenge[update.action]} (${step})`, (update.step) / update.steps);
      this.host.dataset.action = update.action;
      this.challenge.hidden = false;
      this.arrow.textContent = ARROWS[update.action];
      this.step.textContent = step;
    }
  }

  fail(code: string): void {
    this.show('failure', this.strings.errors[code] ?? this.strings.failure);
    this.host.dataset.error = code;
  }

  remove(): void {
    this.video.srcObject = null;
    this.host.remove();
  }
}
