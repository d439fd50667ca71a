#!/usr/bin/env node
// The SDK as a web app uses it, timed in headless Chromium with a fake camera playing a real webcam
// recording: cold model load (fresh browser profile), warm load (models from the Cache API),
// registration and warm identifyUser end to end, and the shipped sizes.
// Build first (`scripts/build-web --release` for shipped numbers), then: node benches/sdk-bench.mjs
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchProfile, newProfileDir, recordingClip, root, startServer } from '../tests/e2e/harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times `sdk.preload()` and `identifyUser` calls inside the page. */
async function measure(page, action, rounds) {
  return page.evaluate(
    async ({ action, rounds }) => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      const sdk = EntrySDK.getInstance('bench.entry.local', { resultDisplayMs: 0 });
      const parent = document.getElementById('capture');
      const samples = [];
      for (let i = 0; i < rounds; i++) {
        const start = performance.now();
        if (action === 'preload') await sdk.preload();
        else await sdk.identifyUser(action === 'register', parent);
        samples.push(performance.now() - start);
      }
      return samples;
    },
    { action, rounds },
  );
}

const { server, url } = await startServer();
const profile = newProfileDir();
try {
  let context = await launchProfile(profile, { clip: recordingClip('live/0001', '0001_00_00_01') });
  let page = await context.newPage();
  await page.goto(url);
  const [cold] = await measure(page, 'preload', 1);
  const [register] = await measure(page, 'register', 1);
  const identify = await measure(page, 'identify', ROUNDS);
  await context.close();

  context = await launchProfile(profile, { clip: recordingClip('live/0001', '0001_00_00_01') });
  page = await context.newPage();
  await page.goto(url);
  const [warm] = await measure(page, 'preload', 1);
  await context.close();

  const wasm = readFileSync(join(root, 'npm/wasm/entry_wasm_bg.wasm'));
  const jsFiles = (dir) =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? jsFiles(join(dir, f)) : f.endsWith('.js') ? [join(dir, f)] : []));
  const js = Buffer.concat([join(root, 'npm/wasm/entry_wasm.js'), ...jsFiles(join(root, 'npm/dist'))].map((f) => readFileSync(f)));
  const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
  console.log(`cold load (fresh profile: fetch + sha256 + compile + init)  ${cold.toFixed(0)} ms`);
  console.log(`warm load (models from the Cache API)                      ${warm.toFixed(0)} ms`);
  console.log(`identifyUser(true), registration, camera to result          ${register.toFixed(0)} ms`);
  console.log(`identifyUser(false), warm, median of ${ROUNDS}                    ${median(identify).toFixed(0)} ms (all: ${identify.map((s) => s.toFixed(0)).join(', ')})`);
  console.log(`wasm                                                       ${mb(wasm.length)} raw, ${mb(gzipSync(wasm, { level: 9 }).length)} gzip`);
  console.log(`JS (SDK, worker, glue)                                     ${(js.length / 1e3).toFixed(1)} kB raw, ${(gzipSync(js, { level: 9 }).length / 1e3).toFixed(1)} kB gzip`);
} finally {
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
