import { EntrySDKError, ErrorCode } from './errors.js';

/** Opens the front camera into `video`; maps browser failures to SDK error codes. */
export async function openCamera(video: HTMLVideoElement, constraints?: MediaTrackConstraints): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new EntrySDKError(ErrorCode.DEVICE_NOT_SUPPORTED, 'this browser has no camera API (is the page served over https?)');
  }
  let stream: MediaStream;
  try {
    // About 640 px wide in the camera's own aspect, never cropped to another one: the anti-spoof
    // model judges the face with 2.7x its size of surroundings, and a portrait phone picture cropped to
    // 4:3 keeps a band through the face only (the webcam-replay-a person scored 0.05, a spoof, in
    // Chromium with `height: { ideal: 480 }`, and passes at the camera's own 544x960).
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'user', width: { ideal: 640, max: 960 }, height: { max: 960 }, ...constraints },
      audio: false,
    });
  } catch (e) {
    const name = (e as DOMException).name;
    const code =
      name === 'NotAllowedError' || name === 'SecurityError'
        ? ErrorCode.CAMERA_ACCESS_DENIED
        : name === 'NotFoundError' || name === 'OverconstrainedError'
          ? ErrorCode.CAMERA_NOT_FOUND
          : name === 'NotReadableError' || name === 'AbortError'
            ? ErrorCode.CAMERA_IN_USE
            : ErrorCode.UNKNOWN_ERROR;
    throw new EntrySDKError(code, `camera could not be opened: ${name}`, e);
  }
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  return stream;
}

/** Stops every track so the camera light goes off. */
export function releaseCamera(stream: MediaStream | undefined, video?: HTMLVideoElement): void {
  stream?.getTracks().forEach((t) => t.stop());
  if (video) video.srcObject = null;
}

/** Reads the current video frame as RGBA pixels. */
export class FrameGrabber {
  private readonly canvas = document.createElement('canvas');
  private readonly context = this.canvas.getContext('2d', { willReadFrequently: true })!;

  grab(video: HTMLVideoElement): ImageData | undefined {
    const { videoWidth: w, videoHeight: h } = video;
    if (!w || !h) return undefined;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.context.drawImage(video, 0, 0, w, h);
    return this.context.getImageData(0, 0, w, h);
  }
}
