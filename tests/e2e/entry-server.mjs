// The real entry-server for end-to-end tests: built if needed, started on a free loopback port with
// a throwaway SQLite database and master secret, one app added; stopped with SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, root } from './harness.mjs';

/**
 * Builds the server and its command-line client (quick when scripts/test's native step built them);
 * `release` for benchmarks. Returns the two binaries' paths.
 */
function build(release) {
  execFileSync('cargo', ['build', '-q', ...(release ? ['--release'] : []), '-p', 'entry-server', '--bin', 'entry-server',
    '--example', 'client'], { cwd: root, stdio: 'inherit' });
  const dir = join(root, 'target', release ? 'release' : 'debug');
  return { binary: join(dir, 'entry-server'), client: join(dir, 'examples/client') };
}

/**
 * Starts entry-server with app `app` allowed from `origins`. Returns `{ url, apiKey, stop }`, and
 * `login(purpose, frames, user?)` which plays the browser with the command-line client.
 * `{ release: true }` runs the release build (benchmarks); tests run the debug build.
 */
export async function startEntryServer(app, origins, { release = false } = {}) {
  const { binary, client } = build(release);
  const dir = mkdtempSync(join(tmpdir(), 'entry-server-'));
  writeFileSync(join(dir, 'master.key'), 'ab'.repeat(32));
  const settings = ['--database-url', `sqlite://${join(dir, 'entry.db')}`, '--master-secret-file', join(dir, 'master.key'),
    '--manifest', join(root, 'models/manifest.json'), '--models-dir', join(root, '.cache/models')];
  const env = { ...process.env, ENTRY_CONFIG: '', ENTRY_LOG: 'warn' };
  delete env.ENTRY_CONFIG;
  const apiKey = execFileSync(binary, ['add-app', '--id', app, '--origins', origins.join(','), ...settings], { env })
    .toString().trim();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, ...settings], { env, stdio: 'inherit' });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (i > 200) throw new Error('entry-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    apiKey,
    /** One attempt answered with `frames` (image paths) by the command-line client: `{ status, nonce, answer }`. */
    login(purpose, frames, user) {
      const args = ['--server', url, '--app', app, '--origin', `https://${origins[0]}`, '--purpose', purpose,
        ...(user ? ['--user', user] : []), ...frames];
      return JSON.parse(execFileSync(client, args).toString());
    },
    async stop() {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
