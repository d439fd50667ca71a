// Live detection demo: camera frame -> RGBA -> wasm detector -> boxes drawn over the preview.
import { FaceEngine, FrameGrabber, openCamera } from '/sdk/dist/index.js';

const video = document.getElementById('video');
const overlay = document.getElementById('overlay');
const status = document.getElementById('status');
// Read by the end-to-end test: how many frames reached wasm and what was found in the last one.
const state = (window.entryDemo = { framesProcessed: 0, detections: [], frameSize: null, error: null });

try {
  const engine = await FaceEngine.create({
    modelsUrl: '/models/',
    onProgress: (p) => (status.textContent = `Loading ${p.file}: ${Math.round((100 * p.loaded) / p.total)}%`),
  });
  status.textContent = 'Opening the camera…';
  await openCamera(video);
  const grabber = new FrameGrabber();
  const ctx = overlay.getContext('2d');
  const loop = () => {
    const frame = grabber.grab(video);
    if (frame) {
      const started = performance.now();
      const detections = engine.detect(frame);
      const ms = performance.now() - started;
      state.framesProcessed += 1;
      state.detections = detections;
      state.frameSize = { width: frame.width, height: frame.height };
      overlay.width = frame.width;
      overlay.height = frame.height;
      ctx.clearRect(0, 0, frame.width, frame.height);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#1fbf6b';
      for (const { bbox } of detections) ctx.strokeRect(bbox.x1, bbox.y1, bbox.x2 - bbox.x1, bbox.y2 - bbox.y1);
      status.textContent = `${detections.length} face(s), detection ${ms.toFixed(0)} ms`;
    }
    requestAnimationFrame(loop);
  };
  loop();
} catch (e) {
  state.error = { code: e.code ?? 'UNKNOWN_ERROR', message: e.message };
  status.textContent = `Error ${state.error.code}: ${e.message}`;
}
