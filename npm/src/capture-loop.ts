// The camera side of an attempt: frames from the video element to the worker until the core's
// capture ends, each update shown on the overlay; cancellation and stalled cameras end it.
import { EntrySDKError, ErrorCode } from './errors.js';
import type { CaptureOverlay } from './overlay/overlay.js';
import type { EngineWorker } from './worker/client.js';
import type { CameraImage } from './worker/protocol.js';
import type { CaptureUpdate } from './core-types.js';

export function cancelled(): EntrySDKError {
  return new EntrySDKError(ErrorCode.USER_CANCELLED, 'the person cancelled the face check');
}

/** Rejects with USER_CANCELLED as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
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

/**
 * The video's current frame, to transfer to the worker. A `VideoFrame` wraps the decoded frame, so
 * the pixel copy happens in the worker: constructing one took 0-1 ms on the page's thread in
 * WebKitGTK 2.50, where `createImageBitmap(video)` copies synchronously, 39-80 ms a frame (Xvfb, 2
 * cores, the worker busy), more than the 50 ms a page may be blocked. Browsers without WebCodecs
 * (or that refuse this video) get an `ImageBitmap`.
 */
function grabFrame(video: HTMLVideoElement): Promise<CameraImage> {
  if (typeof VideoFrame === 'function') {
    try {
      return Promise.resolve(new VideoFrame(video, { timestamp: Math.round(performance.now() * 1000) }));
    } catch {
      // Not constructible from this element here: the copying path below.
    }
  }
  return createImageBitmap(video);
}

export type Captured = Extract<CaptureUpdate, { state: 'captured' }>;

/**
 * Sends each new video frame to the worker's running attempt and shows the update, until the
 * capture succeeds (resolves) or fails (rejects with the core's code and message).
 */
export async function captureFrames(
  worker: EngineWorker,
  overlay: CaptureOverlay,
  signal: AbortSignal,
  onUpdate: (update: CaptureUpdate) => void,
): Promise<Captured> {
  for (;;) {
    await abortable(nextVideoFrame(overlay.video), signal);
    const image = await grabFrame(overlay.video);
    const update = await abortable(worker.call('frame', { image, timestamp: performance.now() }, [image]), signal);
    overlay.update(update);
    onUpdate(update);
    if (update.state === 'captured') return update;
    if (update.state === 'failed') throw new EntrySDKError(update.code, update.message);
  }
}
