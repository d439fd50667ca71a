#!/usr/bin/env node
// The SDK as a web app uses it, timed in headless Chromium with a fake camera playing a real webcam
// recording: cold model load (fresh browser profile), warm load (models from the Cache API),
// registration and warm identifyUser end to end in device mode and in server mode (against the
// release entry-server on loopback, camera open to signed assertion, plus the backend's check of
// it), the evidence bytes each server-mode attempt sends, and the shipped sizes.
// Build first (`scripts/build-web --release` for shipped numbers), then: node benches/sdk-bench.mjs
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchProfile, newProfileDir, recordingClip, root, startServer } from '../tests/e2e/harness.mjs';
import { startEntryServer } from '../tests/e2e/entry-server.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const APP = 'bench.entry.local';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Times `sdk.preload()` and `identifyUser` calls inside the page, in server mode when `server` is a
 * URL. Returns `{ ms, evidenceBytes, decideMs, assertion }` per round (evidence bytes: the sealed
 * evidence request body, what goes on the wire apart from HTTP headers; decideMs: from sending it to
 * the server's answer, i.e. upload, opening and the server's whole decision).
 */
async function measure(page, action, rounds, server = null) {
  return page.evaluate(
    async ({ action, rounds, app, server }) => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      const sdk = EntrySDK.getInstance(app, { resultDisplayMs: 0, ...(server ? { server: { url: server } } : {}) });
      const parent = document.getElementById('capture');
      let sent = 0;
      let decideMs = 0;
      const realFetch = window.fetch;
      window.fetch = async (input, init) => {
        if (!String(input).includes('/evidence')) return realFetch(input, init);
        sent += init.body.length;
        const start = performance.now();
        const answer = await realFetch(input, init);
        await answer.clone().arrayBuffer();
        decideMs += performance.now() - start;
        return answer;
      };
      const samples = [];
      for (let i = 0; i < rounds; i++) {
        sent = 0;
        decideMs = 0;
        const start = performance.now();
        const user = action === 'preload' ? await sdk.preload() : await sdk.identifyUser(action === 'register', parent);
        samples.push({ ms: performance.now() - start, evidenceBytes: sent, decideMs, assertion: user?.assertion ?? null });
      }
      window.fetch = realFetch;
      return samples;
    },
    { action, rounds, app: APP, server },
  );
}

/** The backend's side: each assertion checked with the Node helper (JWKS fetched once). */
async function verifyAll(samples, entryUrl) {
  const { verifyAssertion } = await import(join(root, 'npm/dist/server/index.js'));
  const options = { jwksUrl: `${entryUrl}/.well-known/jwks.json`, audience: APP };
  await verifyAssertion(samples[0].assertion, options);
  const ms = [];
  for (const { assertion } of samples) {
    const start = performance.now();
    await verifyAssertion(assertion, options);
    ms.push(performance.now() - start);
  }
  return ms;
}

const { server, url } = await startServer();
const entry = await startEntryServer(APP, ['127.0.0.1'], { release: true });
const profile = newProfileDir();
const serverProfile = newProfileDir();
try {
  let context = await launchProfile(profile, { clip: recordingClip('live/0001', '0001_00_00_01') });
  let page = await context.newPage();
  await page.goto(url);
  const [cold] = (await measure(page, 'preload', 1)).map((s) => s.ms);
  const [register] = (await measure(page, 'register', 1)).map((s) => s.ms);
  const identify = (await measure(page, 'identify', ROUNDS)).map((s) => s.ms);
  await context.close();

  context = await launchProfile(serverProfile, { clip: recordingClip('live/0001', '0001_00_00_01') });
  page = await context.newPage();
  await page.goto(url);
  await measure(page, 'preload', 1, entry.url);
  const [serverRegister] = await measure(page, 'register', 1, entry.url);
  const serverIdentify = await measure(page, 'identify', ROUNDS, entry.url);
  const backend = await verifyAll([serverRegister, ...serverIdentify], entry.url);
  await context.close();

  context = await launchProfile(profile, { clip: recordingClip('live/0001', '0001_00_00_01') });
  page = await context.newPage();
  await page.goto(url);
  const [warm] = (await measure(page, 'preload', 1)).map((s) => s.ms);
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
  const serverMs = serverIdentify.map((s) => s.ms);
  const bytes = [serverRegister, ...serverIdentify].map((s) => s.evidenceBytes);
  console.log(`server mode: identifyUser(true), camera to signed assertion ${serverRegister.ms.toFixed(0)} ms`);
  console.log(`server mode: identifyUser(false), median of ${ROUNDS}          ${median(serverMs).toFixed(0)} ms (all: ${serverMs.map((s) => s.toFixed(0)).join(', ')})`);
  console.log(`server mode: of which evidence sent -> decision, median    ${median(serverIdentify.map((s) => s.decideMs)).toFixed(0)} ms`);
  console.log(`server mode: backend verifyAssertion, median               ${median(backend).toFixed(2)} ms`);
  console.log(`server mode: sealed evidence per attempt                   ${mb(Math.min(...bytes))} - ${mb(Math.max(...bytes))} (median ${mb(median(bytes))})`);
  console.log(`wasm                                                       ${mb(wasm.length)} raw, ${mb(gzipSync(wasm, { level: 9 }).length)} gzip`);
  console.log(`JS (SDK, worker, glue)                                     ${(js.length / 1e3).toFixed(1)} kB raw, ${(gzipSync(js, { level: 9 }).length / 1e3).toFixed(1)} kB gzip`);
} finally {
  server.close();
  await entry.stop();
  for (const dir of [profile, serverProfile]) rmSync(dir, { recursive: true, force: true });
}
