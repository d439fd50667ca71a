// Shared pieces of the end-to-end tests: the demo server, a fake camera fed with a real face photo,
// and headless Chromium from the system (Playwright never downloads a browser here).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
// Firefox over WebDriver BiDi: Playwright 1.65 sends a BiDi command (emulation.setMediaFeaturesOverride)
// Firefox ESR 153 does not know, so Firefox is driven by 1.57, aliased in tests/package.json.
import { firefox } from 'playwright-core-bidi';
import { serve } from '../../scripts/serve.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Face data lives beside the checkout, never inside it. */
export const faces = resolve(process.env.ENTRY_FACES_DIR ?? join(root, '../shared/faces'));
export const artifacts = join(root, 'tests/artifacts');
mkdirSync(artifacts, { recursive: true });

/** A 640x480 y4m clip of a still photo (aspect kept, padded), as Chromium's fake camera reads it. */
export function fakeCameraClip(photo, seconds = 4) {
  const out = join(artifacts, `${basename(dirname(photo))}-${basename(photo)}.y4m`);
  if (!existsSync(out)) {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', photo, '-t', String(seconds), '-r', '10',
      '-vf', 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2',
      '-pix_fmt', 'yuv420p', out]);
  }
  return out;
}

/** The numbered frames `prefix_N.jpg` in `source`, in frame-number order. */
function recordedFrames(source, prefix) {
  return readdirSync(source)
    .filter((f) => f.startsWith(`${prefix}_`))
    .sort((a, b) => Number(a.split('_').pop().split('.')[0]) - Number(b.split('_').pop().split('.')[0]))
    .map((f) => join(source, f));
}

/** A 10 fps y4m clip of `files` (images) in order. */
function imagesClip(out, files, filter) {
  if (!existsSync(out)) {
    const staging = mkdtempSync(join(tmpdir(), 'entry-clip-'));
    files.forEach((f, i) => symlinkSync(f, join(staging, `${String(i).padStart(4, '0')}.jpg`)));
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-framerate', '10', '-i', join(staging, '%04d.jpg'),
      ...(filter ? ['-vf', filter] : []), '-pix_fmt', 'yuv420p', out]);
    rmSync(staging, { recursive: true });
  }
  return out;
}

/** A 10 fps y4m clip of the numbered frames `prefix_N.jpg` in `source`, in frame-number order. */
function framesClip(out, source, prefix, filter) {
  return imagesClip(out, recordedFrames(source, prefix), filter);
}

/**
 * A replay attack made from a real recording: its first `frames` frames played over and over for
 * `seconds`, 640x480, with fresh sensor-like noise on every frame.
 */
export function loopedRecordingClip(dir, session, frames, seconds) {
  const out = join(artifacts, `loop${frames}-nuaa-${dir.replace('/', '-')}-${session}.y4m`);
  const clip = recordedFrames(join(faces, 'liveness/nuaa-train', dir), session).slice(0, frames);
  const files = Array.from({ length: seconds * 10 }, (_, i) => clip[i % clip.length]);
  return imagesClip(out, files, 'scale=640:480,noise=alls=6:allf=t');
}

/**
 * A 640x480 clip of a recorded NUAA webcam session at 10 fps, frames in recording order: real
 * camera video, with the motion and noise of a real sensor (`dir` like `live/0001`, `session` like
 * `0001_00_00_01`).
 */
export function recordingClip(dir, session) {
  return framesClip(join(artifacts, `nuaa-${dir.replace('/', '-')}-${session}.y4m`),
    join(faces, 'liveness/nuaa-train', dir), session, 'scale=640:480');
}

/**
 * A clip of a recording from a camera other than NUAA's, at its own size (webcam-replay-a: 544x960
 * portrait frames of a phone-class camera): `kind` is `live` or `spoof`, `recording` the frame prefix.
 */
export function cameraRecordingClip(set, kind, recording) {
  return framesClip(join(artifacts, `${set}-${kind}-${recording}.y4m`), join(faces, 'liveness', set, kind), recording);
}

/**
 * A 640x480 clip at 10 fps that shows each photo for its number of frames (aspect kept, padded), with
 * light temporal noise as a camera sensor adds: `[[photo, frames], ...]`.
 */
export function photoSequenceClip(name, shots) {
  const out = join(artifacts, `${name}.y4m`);
  if (!existsSync(out)) {
    const inputs = shots.flatMap(([photo, frames]) => ['-loop', '1', '-framerate', '10', '-t', String(frames / 10), '-i', photo]);
    const fit = shots.map((_, i) => `[${i}]scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1[s${i}]`);
    const joined = `${shots.map((_, i) => `[s${i}]`).join('')}concat=n=${shots.length}:v=1,noise=alls=6:allf=t`;
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...inputs, '-filter_complex', [...fit, joined].join(';'),
      '-pix_fmt', 'yuv420p', out]);
  }
  return out;
}

/**
 * A still photo slowly panned and zoomed, as a picture moved in front of a camera or streamed by a
 * virtual one: 640x480 at 10 fps for 5 s, 1 px right, 0.5 px down and 0.5% closer every frame
 * (computed at 4x size, so the motion is smooth to a quarter pixel), with fresh sensor-like noise.
 */
export function movedStillClip(name, photo) {
  const out = join(artifacts, `moved-still-${name}.y4m`);
  if (!existsSync(out)) {
    const move = "zoompan=z='1+0.005*on':x='iw/2-iw/zoom/2+4*on':y='ih/2-ih/zoom/2+2*on':d=1:s=640x480:fps=10";
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-framerate', '10', '-t', '5', '-i', photo, '-vf',
      `scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,scale=2560:1920,${move},noise=alls=6:allf=t`,
      '-frames:v', '50', '-pix_fmt', 'yuv420p', out]);
  }
  return out;
}

/** A clip of an empty grey scene (nobody in front of the camera). */
export function emptySceneClip() {
  const out = join(artifacts, 'empty-scene.y4m');
  if (!existsSync(out)) {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=640x480:r=10', '-t', '3',
      '-pix_fmt', 'yuv420p', out]);
  }
  return out;
}

const QUIET = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Headless Chromium whose camera shows `clip`; `deny` makes camera permission fail. */
export async function launch({ clip, deny = false } = {}) {
  const args = [...QUIET, '--use-fake-device-for-media-stream'];
  if (clip) args.push(`--use-file-for-fake-video-capture=${clip}`);
  if (!deny) args.push('--use-fake-ui-for-media-stream');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args, headless: true });
}

/**
 * A browser with a persistent profile (IndexedDB, Cache API survive between launches), as one
 * person's browser across visits; the camera shows `clip`.
 */
export async function launchProfile(profileDir, { clip, deny = false } = {}) {
  const args = [...QUIET, '--use-fake-device-for-media-stream'];
  if (clip) args.push(`--use-file-for-fake-video-capture=${clip}`);
  if (!deny) args.push('--use-fake-ui-for-media-stream');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args,
    headless: true,
  });
}

/** Debian's Firefox ESR (`FIREFOX` overrides the path), headless, driven over WebDriver BiDi. */
export function launchFirefox() {
  return firefox.launch({ channel: 'moz-firefox', executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr', headless: true });
}

/** A free loopback port, for a server that binds it itself (entry-server, WebKitWebDriver). */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createTcpServer();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * Serves the frames of the NUAA recordings to a camera stand-in, on loopback with CORS open (the
 * page is on another port): `recording(dir, session)` gives `{ base, count }`, frame `i` being at
 * `${base}${i}`; only recordings asked for that way are served. `close()` stops it.
 */
export async function startCameraServer() {
  const recordings = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const cut = path.lastIndexOf('/') + 1;
    const frame = recordings.get(path.slice(0, cut))?.[Number(path.slice(cut))];
    if (!frame) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/jpeg', 'access-control-allow-origin': '*' }).end(readFileSync(frame));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    recording(dir, session) {
      const path = `/${dir}/${session}/`;
      if (!recordings.has(path)) recordings.set(path, recordedFrames(join(faces, 'liveness/nuaa-train', dir), session));
      return { base: `${origin}${path}`, count: recordings.get(path).length };
    },
    close: () => server.close(),
  };
}

/**
 * A page function (for `evaluate` after each load): replaces `getUserMedia` with a stand-in for
 * browsers with no flag that plays a video file as the camera (Firefox's and WebKit's fake devices
 * draw a test pattern). The stand-in is a 640x480 canvas stream drawing the recording's frames
 * (`startCameraServer().recording(...)`) at up to 10 fps, looping: the frames Chromium's fake camera plays
 * for the same recording. Stopping its track stops the drawing.
 */
export async function installCameraStandIn({ base, count }) {
  if (!navigator.mediaDevices) return; // not a secure context (the blank page before the first load)
  // Decoded now, before any test measures the main thread.
  const decoded = Promise.all(
    Array.from({ length: count }, async (_, i) => createImageBitmap(await (await fetch(`${base}${i}`)).blob())),
  );
  // On the prototype: WebKit can drop a property set on `navigator.mediaDevices` itself when it
  // collects the object's wrapper (seen with WebKitGTK 2.50: the stand-in vanished after the models loaded).
  MediaDevices.prototype.getUserMedia = async (constraints) => {
    if (!constraints?.video) throw new DOMException('video only', 'NotSupportedError');
    const images = await decoded;
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const context = canvas.getContext('2d');
    // A frame is sent only when one is drawn (`captureStream(0)` and `requestFrame`): at a fixed rate,
    // WebKit sent the last picture again whenever the page's timers ran late, and two identical
    // frames are a still picture to the liveness check (seen once in CI: `static_input`, motion 0).
    const stream = canvas.captureStream(0);
    const [track] = stream.getVideoTracks();
    // The track's `requestFrame` (Chromium, WebKit), or the stream's (Firefox).
    const requestFrame = track.requestFrame ? () => track.requestFrame() : () => stream.requestFrame();
    let next = 0;
    const draw = () => {
      context.drawImage(images[next++ % count], 0, 0, 640, 480);
      requestFrame();
    };
    draw();
    const timer = setInterval(draw, 100);
    const stop = track.stop.bind(track);
    track.stop = () => {
      clearInterval(timer);
      stop();
    };
    return stream;
  };
  await decoded;
}

export function newProfileDir() {
  return mkdtempSync(join(tmpdir(), 'entry-profile-'));
}

export async function startServer() {
  const server = await serve(0);
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/**
 * The demo page in a fresh browser profile whose camera shows `clip`, for a test file's `before`;
 * `initScript` runs before any page script. `close()` (for `after`) stops the browser and the
 * server and removes the profile.
 */
export async function demoPage({ clip, initScript } = {}) {
  const { server, url } = await startServer();
  const profile = newProfileDir();
  const context = await launchProfile(profile, { clip });
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  const close = async () => {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, url, close };
}
