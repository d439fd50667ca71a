// What an app developer installs: the packed tarball (`npm pack`, not the source folder), its
// contents checked, built into a tiny app by Vite and by webpack (production builds), each build
// registering a face in Chromium with the fake camera playing a real recording (a plain app, and a
// React app with entry-face-sdk/react); and a TypeScript app type-checked with `strict` against the
// published declarations.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, recordingClip, root } from './harness.mjs';

const here = join(root, 'tests/bundlers');
const modelsDir = process.env.ENTRY_MODELS_DIR ?? join(root, '.cache/models');
const work = mkdtempSync(join(tmpdir(), 'entry-bundlers-'));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
let tarball;
let files;

before(() => {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(root, 'npm'), encoding: 'utf8' }),
  )[0];
  tarball = join(work, packed.filename);
  files = packed.files.map((f) => f.path);
  console.log(`# tarball ${packed.filename}: ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${files.length} files`);
  // The app installs the tarball as a dependency, as from a registry (not linked to the source).
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: here, stdio: 'inherit' });
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball holds the built SDK, its types, wasm and source maps, and no tests or sources', () => {
  for (const needed of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/server/index.js', 'dist/server/index.d.ts',
    'dist/react/index.js', 'dist/react/index.d.ts', 'dist/element/entry-login.js', 'dist/element/entry-login.d.ts',
    'wasm/entry_wasm_bg.wasm', 'wasm/entry_wasm.js', 'models/manifest.json', 'bin/entry-face-models.mjs', 'convert/entry_convert.js']) {
    assert.ok(files.includes(needed), `${needed} is in the tarball`);
  }
  assert.deepEqual(files.filter((f) => /(^|\/)(src|tests?)\//.test(f) || /\.test\.|\.spec\./.test(f)), [], 'no sources or tests');
  assert.deepEqual(files.filter((f) => /\.(onnx|tar)$/.test(f)), [], 'no model files');
  // Every script has its map, and each map carries its sources (the TypeScript is not shipped).
  const scripts = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
  assert.ok(scripts.length > 10);
  for (const script of scripts) {
    assert.ok(files.includes(`${script}.map`), `${script}.map`);
    const map = JSON.parse(readFileSync(join(here, 'node_modules/entry-face-sdk', `${script}.map`), 'utf8'));
    assert.equal(map.sourcesContent?.length, map.sources.length, `${script}.map carries its sources`);
  }
});

test('a strict TypeScript app type-checks against the published declarations', () => {
  execFileSync(join(here, 'node_modules/.bin/tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--lib', 'es2022,dom', 'consumer.ts'], { cwd: here, stdio: 'inherit' });
});

/**
 * Registers a face in the app built into `dir`, served as a site serves it (at localhost, a secure
 * context), the models from the verified cache.
 */
async function registerIn(dir, register = (page) => page.evaluate(() => window.register())) {
  const browser = await launch({ clip: recordingClip('live/0001', '0001_00_00_01') });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('http://localhost:9/**', (route) => {
      const path = decodeURIComponent(new URL(route.request().url()).pathname);
      const file = path === '/models/manifest.json' ? join(root, 'models/manifest.json')
        : path.startsWith('/models/') ? join(modelsDir, path.slice('/models/'.length))
        : join(dir, path === '/' ? 'index.html' : path);
      if (!existsSync(file) || !statSync(file).isFile()) return route.fulfill({ status: 404 });
      return route.fulfill({ body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
    });
    await page.goto('http://localhost:9/');
    await page.waitForFunction(() => window.ready === true);
    const outcome = await register(page);
    assert.deepEqual(errors, []);
    return outcome;
  } finally {
    await browser.close();
  }
}

test('a Vite production build of an app using the tarball registers a face', async () => {
  const { build } = await import(join(here, 'node_modules/vite/dist/node/index.js'));
  const out = join(work, 'vite');
  await build({ root: join(here, 'app'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true }, worker: { format: 'es' } });
  const outcome = await registerIn(out);
  assert.ok(outcome.user?.isRegistrationComplete, JSON.stringify(outcome));
});

test('a webpack production build of an app using the tarball registers a face', async () => {
  const webpack = (await import(join(here, 'node_modules/webpack/lib/index.js'))).default;
  const out = join(work, 'webpack');
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: 'production', context: here, entry: './app/main.js', output: { path: out, clean: true }, performance: { hints: false } },
      (e, s) => (e ? reject(e) : resolve(s))),
  );
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  cpSync(join(here, 'app/index.html'), join(out, 'index.html'));
  const outcome = await registerIn(out);
  assert.ok(outcome.user?.isRegistrationComplete, JSON.stringify(outcome));
});

test('a React app (Vite build) registers a face with <EntryLogin>, and onState hears every state', async () => {
  const { build } = await import(join(here, 'node_modules/vite/dist/node/index.js'));
  const out = join(work, 'vite-react');
  await build({ root: join(here, 'app-react'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true }, worker: { format: 'es' } });
  const outcome = await registerIn(out, async (page) => {
    await page.getByRole('button', { name: 'Sign in with your face' }).click();
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60_000 });
    return page.evaluate(() => ({ ...window.result, states: window.states }));
  });
  assert.ok(outcome.user?.isRegistrationComplete, JSON.stringify(outcome));
  for (const state of ['loading', 'camera', 'collecting', 'matching', 'success']) {
    assert.ok(outcome.states.includes(state), `${state} in ${outcome.states}`);
  }
});
