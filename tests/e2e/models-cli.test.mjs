// `npx entry-face-models` as an app developer runs it, without Rust: the ONNX files verified, then
// converted by entry-core's converter built for Node into the form the browser loads, each checked
// against the sha256 the manifest pins; a second run only verifies.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './harness.mjs';

const manifestPath = join(root, 'models/manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const models = ['detector', 'landmarks', 'embedder', 'liveness'].map((role) => manifest[role]);
const cli = (dir) => execFileSync('node', [join(root, 'npm/bin/entry-face-models.mjs'), dir, '--manifest', manifestPath], { encoding: 'utf8' });

test('entry-face-models converts the verified models to the pinned form the browser loads, once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entry-models-cli-'));
  try {
    // The ONNX files already in place (as after a first fetch): the run converts without the network.
    for (const { file } of models) copyFileSync(join(root, '.cache/models', file), join(dir, file));
    const first = cli(dir);
    for (const { converted } of models) assert.match(first, new RegExp(`${converted.file} converted and verified`));
    for (const { converted } of models) {
      assert.deepEqual(readFileSync(join(dir, converted.file)), readFileSync(join(root, '.cache/models', converted.file)),
        'the same bytes as the native `entry convert-models`');
    }
    const second = cli(dir);
    assert.doesNotMatch(second, /converted and verified/);
    assert.match(second, /4 verified .*with their converted form/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
