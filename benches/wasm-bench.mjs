#!/usr/bin/env node
// The face pipeline in WebAssembly, timed inside headless Chromium on a real 640x480 frame.
// Build first (`scripts/build-web --release` for shipped numbers), then: node benches/wasm-bench.mjs
import { join } from 'node:path';
import { faces, launch, startServer } from '../tests/e2e/harness.mjs';

const PHOTO = join(faces, 'identities/deepface/person02/img12.jpg');
const ROUNDS = Number(process.env.ROUNDS ?? 20);

const { server, url } = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.route('**/bench-photo.jpg', (route) => route.fulfill({ path: PHOTO, contentType: 'image/jpeg' }));
  await page.goto(`${url}bench-blank`);
  const result = await page.evaluate(async (rounds) => {
    const { FaceEngine, LivenessSession } = await import('/sdk/dist/index.js');
    const t0 = performance.now();
    const engine = await FaceEngine.create({ modelsUrl: '/models/' });
    const load = performance.now() - t0;
    const bitmap = await createImageBitmap(await (await fetch('/bench-photo.jpg')).blob());
    const canvas = new OffscreenCanvas(640, 480);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0, 640, 480);
    const frame = ctx.getImageData(0, 0, 640, 480);
    const time = (fn) => {
      fn(); // warm-up
      const samples = [];
      for (let i = 0; i < rounds; i++) {
        const s = performance.now();
        fn();
        samples.push(performance.now() - s);
      }
      samples.sort((a, b) => a - b);
      return { median: samples[samples.length >> 1], min: samples[0] };
    };
    // Passive liveness as a capture runs it on a good frame (its own detection, then the score).
    const liveness = new LivenessSession({});
    return {
      load,
      liveness: time(() => liveness.addFrame(engine.engine, new Uint8Array(frame.data.buffer), 640, 480)),
      detect: time(() => engine.detect(frame)),
      analyze: time(() => engine.analyze(frame)),
      frameToEmbedding: time(() => engine.embedFrame(frame)),
    };
  }, ROUNDS);
  const ms = (t) => `${t.median.toFixed(1)} ms (min ${t.min.toFixed(1)})`;
  console.log(`wasm in headless Chromium, 640x480 frame, ${ROUNDS} rounds`);
  console.log(`  engine load (fetch + verify + optimise 4 models)  ${result.load.toFixed(0)} ms`);
  console.log(`  detect                                            ${ms(result.detect)}`);
  console.log(`  detect + landmarks + alignment + quality          ${ms(result.analyze)}`);
  console.log(`  frame -> embedding (all stages)                   ${ms(result.frameToEmbedding)}`);
  console.log(`  detect + passive liveness score                   ${ms(result.liveness)}`);
  const stage = (a, b) => Math.max(0, a.median - b.median);
  const parts = {
    detect: result.detect.median,
    'landmarks + alignment + quality': stage(result.analyze, result.detect),
    embedding: stage(result.frameToEmbedding, result.analyze),
    'passive liveness': stage(result.liveness, result.detect),
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  console.log(`  where a good capture frame goes (medians, differences of the lines above; ${total.toFixed(1)} ms):`);
  for (const [name, t] of Object.entries(parts)) {
    console.log(`    ${name.padEnd(34)} ${t.toFixed(1).padStart(5)} ms  ${((100 * t) / total).toFixed(0).padStart(3)}%`);
  }
} finally {
  await browser.close();
  server.close();
}
