#!/usr/bin/env node
// Serves the demo on 127.0.0.1 (a secure context, so the camera works without TLS):
//   /            -> examples/
//   /sdk/        -> npm/ (dist/ and wasm/)
//   /models/     -> models/manifest.json and the verified model cache
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

export function serve(port = 0, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
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
}
