import { EntrySDKError, ErrorCode } from './errors.js';

/** The part of models/manifest.json the loader needs: which files, and their pinned hashes. */
export interface ModelManifest {
  detector: ModelEntry;
  landmarks: ModelEntry;
  embedder: ModelEntry;
  liveness: ModelEntry;
}
export interface ModelEntry {
  id: string;
  file: string;
  sha256: string;
  /** The same network converted ahead of time (`entry convert-models`): what the browser loads. */
  converted?: { file: string; sha256: string };
}

/** Progress of one model download; `fromCache` when it came from the Cache API. */
export interface ModelProgress {
  file: string;
  loaded: number;
  total: number;
  fromCache: boolean;
}

export interface LoadedModels {
  manifestJson: string;
  files: Record<string, Uint8Array>;
}

const CACHE_NAME = 'entry-models-v1';

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readWithProgress(response: Response, report: (loaded: number, total: number) => void) {
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    report(loaded, total || loaded);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

async function openCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(CACHE_NAME);
  } catch {
    return undefined; // Private browsing may refuse storage: load without caching.
  }
}

/**
 * Fetches the manifest and the converted form of every model it lists from `baseUrl`, verifying
 * each file's sha256.
 * Verified files are kept in the Cache API; a cached file that fails verification is dropped and
 * fetched again.
 */
export async function loadModels(baseUrl: string, onProgress?: (p: ModelProgress) => void): Promise<LoadedModels> {
  const base = new URL(baseUrl, globalThis.location?.href);
  const manifestUrl = new URL('manifest.json', base);
  let manifestJson: string;
  try {
    const res = await fetch(manifestUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    manifestJson = await res.text();
  } catch (e) {
    throw new EntrySDKError(ErrorCode.MODEL_LOAD_FAILED, `cannot fetch ${manifestUrl}: ${(e as Error).message}`, e);
  }
  const manifest = JSON.parse(manifestJson) as ModelManifest;
  const cache = await openCache();
  // The browser build reads only the converted models (entry-core `ModelFile::to_load` without its
  // `onnx` feature): tract's ONNX front end is not in the wasm.
  const entries = [manifest.detector, manifest.landmarks, manifest.embedder, manifest.liveness].map((m) => {
    if (!m.converted) {
      throw new EntrySDKError(ErrorCode.MODEL_LOAD_FAILED, `the manifest names no converted form of ${m.id}: run npx entry-face-models`);
    }
    return m.converted;
  });
  const files: Record<string, Uint8Array> = {};
  for (const entry of entries) {
    const url = new URL(entry.file, base);
    const cached = await cache?.match(url);
    if (cached) {
      const bytes = new Uint8Array(await cached.arrayBuffer());
      if ((await sha256Hex(bytes)) === entry.sha256) {
        files[entry.file] = bytes;
        onProgress?.({ file: entry.file, loaded: bytes.length, total: bytes.length, fromCache: true });
        continue;
      }
      await cache?.delete(url);
    }
    let response: Response;
    try {
      response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (e) {
      throw new EntrySDKError(ErrorCode.MODEL_LOAD_FAILED, `cannot fetch model ${url}: ${(e as Error).message}`, e);
    }
    const bytes = await readWithProgress(response, (loaded, total) =>
      onProgress?.({ file: entry.file, loaded, total, fromCache: false }),
    );
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256) {
      throw new EntrySDKError(
        ErrorCode.MODEL_INTEGRITY,
        `model ${entry.file} has sha256 ${actual}, the manifest pins ${entry.sha256}`,
      );
    }
    await cache?.put(url, new Response(bytes as BufferSource)).catch(() => undefined);
    files[entry.file] = bytes;
  }
  return { manifestJson, files };
}
