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
    const { FaceEngine } = await import('/sdk/dist/index.js');
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
    return {
      load,
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
  console.log(`  embedding stage alone (difference)                ${(result.frameToEmbedding.median - result.analyze.median).toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}
