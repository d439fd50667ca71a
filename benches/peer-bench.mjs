#!/usr/bin/env node
// Entry beside its peers in one headless Chromium run: @vladmandic/human (tfjs) and
// @vladmandic/face-api (tfjs), each with the weights of its own npm tarball (pinned in
// benches/peers/package-lock.json), all three on the tfjs/Entry WebAssembly CPU path, single-threaded,
// on the main thread of the same page, fed the same pixels. Prints one table: model load, first
// result, per-frame latency (a 640x480 frame, detection to embedding), and verification accuracy (EER,
// TAR at FAR 1e-2) over every pair of images in ../shared identity sets, with the ratios Entry/peer.
//
// Build first (`scripts/build-web --release` for shipped numbers), then: node benches/peer-bench.mjs
// Env: ROUNDS (per-frame rounds, default 20), CELEBA_IDS (celeba-dev identities used, default 20).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { faces, launch, root, startServer } from '../tests/e2e/harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const CELEBA_IDS = Number(process.env.CELEBA_IDS ?? 20);
const PEERS = join(root, 'benches/peers');
const FRAME = join(faces, 'identities/deepface/person02/img12.jpg');

if (!existsSync(join(PEERS, 'node_modules/@vladmandic/human/package.json'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: PEERS, stdio: 'inherit' });
}

/** Every image of a set's identities: `{ set, id, path }`, identities in name order. */
function images(set, limit = Infinity) {
  const dir = join(faces, 'identities', set);
  const ids = readdirSync(dir).filter((d) => !d.startsWith('.')).sort().slice(0, limit);
  return ids.flatMap((id) =>
    readdirSync(join(dir, id))
      .filter((f) => ['.jpg', '.jpeg', '.png', '.pgm'].includes(extname(f).toLowerCase()))
      .sort()
      .map((f) => ({ set, id, path: `/faces/identities/${set}/${id}/${f}` })),
  );
}
// celeba-dev is cut to its first identities to bound the run; ORL (92x112 grey) is left out: its
// faces are under every detector's minimum size here.
const SETS = [...images('deepface'), ...images('faceapi'), ...images('celeba-dev', CELEBA_IDS)];

const TYPES = { '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.jpg': 'image/jpeg' };

const { server, url } = await startServer();
const browser = await launch();
let results;
try {
  const page = await browser.newPage();
  await page.route('**/peers/**', (route) => {
    const path = join(PEERS, 'node_modules', decodeURIComponent(new URL(route.request().url()).pathname.slice('/peers/'.length)));
    if (!existsSync(path)) return route.fulfill({ status: 404 });
    return route.fulfill({ body: readFileSync(path), contentType: TYPES[extname(path)] ?? 'application/octet-stream' });
  });
  await page.route('**/faces/**', (route) => {
    const path = join(faces, decodeURIComponent(new URL(route.request().url()).pathname.slice('/faces/'.length)));
    return route.fulfill({ body: readFileSync(path), contentType: 'image/jpeg' });
  });
  await page.goto(`${url}bench-blank`);
  page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
  results = await page.evaluate(
    async ({ rounds, sets, frameUrl }) => {
      const canvasOf = async (src, width, height) => {
        const bitmap = await createImageBitmap(await (await fetch(src)).blob());
        const canvas = document.createElement('canvas');
        canvas.width = width ?? bitmap.width;
        canvas.height = height ?? bitmap.height;
        canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return canvas;
      };
      const pixels = (canvas) => canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const wasm = '/peers/@tensorflow/tfjs-backend-wasm/dist/';

      // Each library: `load()` resolves when it can run; `embed(canvas)` gives an embedding or null
      // when it finds no face (Entry's refusals are counted by code in `refused`).
      const refused = {};
      const libraries = {
        entry: async () => {
          const { FaceEngine } = await import('/sdk/dist/index.js');
          const engine = await FaceEngine.create({ modelsUrl: '/models/' });
          return (canvas) => {
            try {
              return Array.from(engine.embedFrame(pixels(canvas)));
            } catch (e) {
              refused[e.code ?? String(e)] = (refused[e.code ?? String(e)] ?? 0) + 1;
              return null;
            }
          };
        },
        human: async () => {
          const { Human } = await import('/peers/@vladmandic/human/dist/human.esm.js');
          const human = new Human({
            backend: 'wasm',
            wasmPath: wasm,
            modelBasePath: '/peers/@vladmandic/human/models/',
            warmup: 'none',
            // No result reuse between calls: every call runs the whole face pipeline, as Entry does.
            cacheSensitivity: 0,
            filter: { enabled: false },
            face: {
              enabled: true,
              detector: { maxDetected: 1, rotation: true, skipFrames: 0, skipTime: 0 },
              mesh: { enabled: true },
              attention: { enabled: false },
              iris: { enabled: false },
              description: { enabled: true, skipFrames: 0, skipTime: 0 },
              emotion: { enabled: false },
              antispoof: { enabled: false },
              liveness: { enabled: false },
            },
            body: { enabled: false },
            hand: { enabled: false },
            object: { enabled: false },
            gesture: { enabled: false },
            segmentation: { enabled: false },
          });
          await human.load();
          await human.tf.ready();
          return async (canvas) => {
            const result = await human.detect(canvas);
            const embedding = result.face[0]?.embedding;
            return embedding?.length ? Array.from(embedding) : null;
          };
        },
        faceapi: async () => {
          const faceapi = await import('/peers/@vladmandic/face-api/dist/face-api.esm.js');
          faceapi.tf.setWasmPaths(wasm);
          await faceapi.tf.setBackend('wasm');
          await faceapi.tf.ready();
          const models = '/peers/@vladmandic/face-api/model';
          await faceapi.nets.ssdMobilenetv1.loadFromUri(models);
          await faceapi.nets.faceLandmark68Net.loadFromUri(models);
          await faceapi.nets.faceRecognitionNet.loadFromUri(models);
          const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
          return async (canvas) => {
            const found = await faceapi.detectSingleFace(canvas, options).withFaceLandmarks().withFaceDescriptor();
            return found ? Array.from(found.descriptor) : null;
          };
        },
      };

      const frame = await canvasOf(frameUrl, 640, 480);
      const canvases = [];
      for (const image of sets) canvases.push(await canvasOf(image.path));
      const out = {};
      for (const [name, make] of Object.entries(libraries)) {
        const t0 = performance.now();
        const embed = await make();
        const load = performance.now() - t0;
        const t1 = performance.now();
        const first = await embed(frame);
        const firstResult = performance.now() - t1;
        if (!first) throw new Error(`${name} found no face in the bench frame`);
        const samples = [];
        for (let i = 0; i < rounds; i++) {
          const s = performance.now();
          await embed(frame);
          samples.push(performance.now() - s);
        }
        samples.sort((a, b) => a - b);
        const embeddings = [];
        for (const canvas of canvases) embeddings.push(await embed(canvas));
        out[name] = {
          load,
          firstResult,
          median: samples[samples.length >> 1],
          p90: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.9))],
          dimension: first.length,
          embeddings,
        };
      }
      out.entry.refused = refused;
      return out;
    },
    { rounds: ROUNDS, sets: SETS, frameUrl: `/faces/${FRAME.slice(faces.length + 1)}` },
  );
} finally {
  await browser.close();
  server.close();
}

// Each library's own similarity: cosine for Entry (unit embeddings); for human and face-api, minus the
// Euclidean distance (what their `match.similarity` / `euclideanDistance` rank by).
const similarity = {
  entry: (a, b) => a.reduce((s, x, i) => s + x * b[i], 0),
  human: (a, b) => -Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0)),
  faceapi: (a, b) => -Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0)),
};

/**
 * Every pair of images of one set: genuine when both show one identity. An image without an embedding
 * (no face found) makes its pairs fail: a genuine pair is missed, an impostor pair is rejected.
 */
function rates(name, set) {
  const genuine = [];
  const impostor = [];
  const idx = SETS.map((s, i) => i).filter((i) => SETS[i].set === set);
  const embeddings = results[name].embeddings;
  for (let x = 0; x < idx.length; x++) {
    for (let y = x + 1; y < idx.length; y++) {
      const [a, b] = [embeddings[idx[x]], embeddings[idx[y]]];
      const score = a && b ? similarity[name](a, b) : -Infinity;
      (SETS[idx[x]].id === SETS[idx[y]].id ? genuine : impostor).push(score);
    }
  }
  impostor.sort((p, q) => q - p);
  genuine.sort((p, q) => p - q);
  const far = (t) => impostor.filter((s) => s >= t).length / impostor.length;
  const frr = (t) => genuine.filter((s) => s < t).length / genuine.length;
  // EER: the threshold, among the scores seen, where FAR and FRR are closest.
  let eer = 1;
  let gap = Infinity;
  for (const t of [...genuine, ...impostor].filter(Number.isFinite)) {
    const [fa, fr] = [far(t), frr(t)];
    if (Math.abs(fa - fr) < gap) [gap, eer] = [Math.abs(fa - fr), (fa + fr) / 2];
  }
  // TAR at FAR 1e-2: the lowest threshold letting through at most 1% of impostor pairs.
  const allowed = Math.floor(impostor.length * 1e-2);
  const threshold = allowed < impostor.length ? impostor[allowed] : -Infinity;
  const tar = genuine.filter((s) => s > threshold).length / genuine.length;
  const missed = idx.filter((i) => !embeddings[i]).length;
  return { eer, tar, missed, images: idx.length, genuine: genuine.length, impostor: impostor.length };
}

const names = { entry: 'Entry', human: 'human 3.3.6', faceapi: 'face-api 1.7.15' };
const ms = (v) => `${v.toFixed(v < 100 ? 1 : 0)} ms`;
const ratio = (e, p) => `${(e / p).toFixed(2)}x`;
const rows = [];
const e = results.entry;
for (const [name, r] of Object.entries(results)) {
  const vs = name === 'entry' ? '' : ` (Entry/peer ${ratio(e.median, r.median)})`;
  rows.push(
    `| ${names[name]} | ${r.dimension} | ${ms(r.load)} | ${ms(r.firstResult)} | ${ms(r.median)}${vs} | ${ms(r.p90)} |`,
  );
}
console.log(`Headless Chromium, wasm CPU backends, one thread, ${ROUNDS} rounds on a 640x480 frame (${new Date().toISOString().slice(0, 10)})`);
console.log('| library | embedding | model load | first result | per frame, median | p90 |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('');
console.log('Verification over every pair of images in each set (faces not found count as failed pairs):');
console.log('| set | images (genuine / impostor pairs) | library | no face found | EER | TAR at FAR 1e-2 |');
console.log('|---|---|---|---|---|---|');
for (const set of ['deepface', 'faceapi', 'celeba-dev']) {
  for (const name of Object.keys(results)) {
    const r = rates(name, set);
    const label = set === 'celeba-dev' ? `celeba-dev (first ${CELEBA_IDS} identities)` : set;
    console.log(
      `| ${label} | ${r.images} (${r.genuine} / ${r.impostor}) | ${names[name]} | ${r.missed} | ${(r.eer * 100).toFixed(1)}% | ${(r.tar * 100).toFixed(1)}% |`,
    );
  }
}
const refusedEntry = Object.entries(results.entry.refused).map(([code, n]) => `${code} ${n}`).join(', ');
console.log(`(Entry's refusals, by code: ${refusedEntry || 'none'})`);
