#!/usr/bin/env node
// Serves the demo on 127.0.0.1 (a secure context, so the camera works without TLS):
//   /            -> examples/
//   /sdk/        -> npm/ (dist/ and wasm/)
//   /models/     -> models/manifest.json and the verified model cache
//   /demo/config.json -> { entryServer }: where the demo's entry-server answers (server mode), or null
//   POST /demo/login  -> the demo app's backend: verifies an assertion with entry-face-sdk/server
// Exported for the end-to-end tests, which start it on a free port.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = resolve(process.env.ENTRY_MODELS_DIR ?? join(root, '.cache/models'));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.tar': 'application/x-tar',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
};

/** Maps a URL path to a file, refusing anything that escapes its folder. */
function locate(pathname) {
  const mounts = [
    ['/models/manifest.json', join(root, 'models/manifest.json')],
    ['/models/', modelsDir],
    ['/sdk/', join(root, 'npm')],
    ['/', join(root, 'examples')],
  ];
  for (const [prefix, target] of mounts) {
    if (pathname === prefix && !prefix.endsWith('/')) return target;
    if (!prefix.endsWith('/') || !pathname.startsWith(prefix)) continue;
    const rest = normalize(decodeURIComponent(pathname.slice(prefix.length)) || 'index.html');
    const file = resolve(target, rest);
    return file === target || file.startsWith(target + sep) ? file : undefined;
  }
  return undefined;
}

/** The demo app's backend route: the page posts `{ assertion }`, the answer is the verified claims or the error. */
async function demoLogin(req, res, entryServer) {
  const { verifyAssertion } = await import('../npm/dist/server/index.js');
  let body = '';
  for await (const chunk of req) body += chunk;
  const answer = (status, json) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  try {
    const { assertion } = JSON.parse(body);
    const { claims } = await verifyAssertion(assertion, {
      jwksUrl: `${entryServer}/.well-known/jwks.json`,
      audience: 'demo.entry.local',
      maxAge: 120,
    });
    answer(200, { verified: true, claims });
  } catch (e) {
    answer(401, { verified: false, code: e.code ?? 'SESSION_INVALID', message: e.message });
  }
}

/** `entryServer`: the URL of the demo's entry-server, for server mode (default ENTRY_SERVER_URL, else none). */
export function serve(port = 0, host = '127.0.0.1', { entryServer = process.env.ENTRY_SERVER_URL ?? null } = {}) {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    if (pathname === '/demo/config.json') {
      return res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }).end(JSON.stringify({ entryServer }));
    }
    if (pathname === '/demo/login' && req.method === 'POST' && entryServer) return void demoLogin(req, res, entryServer);
    let file = locate(pathname);
    try {
      if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = file ? statSync(file).size : 0;
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': size,
        'cache-control': 'no-cache',
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const server = await serve(port);
  const { port: actual } = server.address();
  console.log(`Entry demo: http://127.0.0.1:${actual}/  (Ctrl-C to stop)`);
  if (process.env.ENTRY_SERVER_URL) console.log(`Server mode: http://127.0.0.1:${actual}/?mode=server (entry-server at ${process.env.ENTRY_SERVER_URL})`);
}
