// The SDK's option handling and error mapping, in Chromium, against a fake engine worker: the page's
// real code (options, camera, overlay, IndexedDB, error mapping) runs, and the worker's answers are
// scripted so every outcome can be asked for. What the real worker computes is covered by the other
// files; this one pins what the SDK sends it and what it makes of every answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demoPage, recordingClip } from './harness.mjs';

let page, close;
before(async () => {
  ({ page, close } = await demoPage({ clip: recordingClip('live/0001', '0001_00_00_01'), initScript: installFakeWorker }));
});
after(() => close());

/**
 * Replaces `Worker` before any page script: each fake worker answers by `window.__fake.replies[name]`
 * (`{ result }` or `{ error: { name, message } }`, or a function of the arguments) and records every
 * call in `window.__fake.calls`.
 */
function installFakeWorker() {
  const defaults = {
    init: { result: { restartedAuditLog: null } },
    reload: { result: null },
    begin: { result: 'fake-device' },
    abandon: { result: { auditLines: '', lockoutState: null } },
  };
  window.__fake = { replies: {}, calls: [] };
  window.Worker = class FakeWorker {
    constructor(url, options) {
      void options?.type; // as a browser with module workers reads it (the SDK's feature check)
      this.onmessage = null;
      this.onerror = null;
    }
    postMessage({ id, name, args }) {
      // Neither camera frames nor a master secret are kept by the fake.
      const kept = name === 'frame' ? { ...args, image: undefined }
        : name === 'init' && args.device ? { ...args, device: { ...args.device, masterSecret: undefined } } : args;
      window.__fake.calls.push({ name, args: kept });
      const reply = window.__fake.replies[name] ?? defaults[name] ?? { error: { name: 'UNKNOWN_ERROR', message: `no reply for ${name}` } };
      setTimeout(() => this.onmessage?.({ data: { id, ...(typeof reply === 'function' ? reply(args) : reply) } }), 0);
    }
    terminate() {}
  };
}

/** Runs `body(EntrySDK, ErrorCode)` in the page after setting the fake worker's replies. */
function inPage(replies, body, arg) {
  return page.evaluate(
    async ({ replies, body, arg }) => {
      window.__fake.replies = Object.fromEntries(Object.entries(replies).map(([k, v]) => [k, v]));
      window.__fake.calls = [];
      const { EntrySDK, ErrorCode } = await import('/sdk/dist/index.js');
      return new Function('EntrySDK', 'ErrorCode', 'arg', `return (${body})(EntrySDK, ErrorCode, arg);`)(EntrySDK, ErrorCode, arg);
    },
    { replies, body: body.toString(), arg },
  );
}

test('invalid options are refused with INVALID_CONFIGURATION before anything loads', async () => {
  const codes = await inPage({}, async (EntrySDK) => {
    const attempt = (f) => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return `${e.code}/${e.retryable}`;
      }
    };
    return [
      attempt(() => EntrySDK.getInstance('')),
      attempt(() => EntrySDK.getInstance('   ')),
      attempt(() => EntrySDK.getInstance('bad.example', { liveness: 'sometimes' })),
      attempt(() => EntrySDK.getInstance('good.example', { liveness: 'adaptive' })),
      // The demo page's own SDK may still be loading in the background: only its calls may appear.
      window.__fake.calls.filter((c) => c.name !== 'init' || c.args.device?.config.appId !== 'demo.entry.local').length,
    ];
  });
  assert.deepEqual(codes, ['INVALID_CONFIGURATION/false', 'INVALID_CONFIGURATION/false', 'INVALID_CONFIGURATION/false', 'accepted', 0]);
});

test('capture options reach the core policy under its own names; defaults are left to the core', async () => {
  const failedUpdate = { state: 'failed', code: 'MULTIPLE_FACES_DETECTED', message: 'capture failed (multiple_faces): {"count":2}', failure: { reason: 'multiple_faces', count: 2 } };
  const outcome = await inPage({ frame: { result: failedUpdate } }, async (EntrySDK) => {
    const sdk = EntrySDK.getInstance('options.example', {
      modelsUrl: '/models/',
      masterSecret: new Uint8Array(32).fill(7),
      liveness: 'adaptive',
      resultDisplayMs: 0,
      capture: { frames: 7, timeoutMs: 9000, liveThreshold: 0.2, sureLiveThreshold: 0.6, minMotion: 0.5, noiseRatio: 2, movedNoiseRatio: 3, challengeSteps: 3, challengeStepTimeoutMs: 5000 },
    });
    const plain = EntrySDK.getInstance('plain.example', { masterSecret: new Uint8Array(32).fill(7), resultDisplayMs: 0 });
    const codeOf = (p) => p.then(() => 'resolved', (e) => `${e.code}/${e.retryable}`);
    const first = await codeOf(sdk.identifyUser(true, document.body));
    const calls = window.__fake.calls.map((c) => c.name);
    const begin = window.__fake.calls.find((c) => c.name === 'begin').args;
    const abandon = window.__fake.calls.find((c) => c.name === 'abandon').args;
    const init = window.__fake.calls.find((c) => c.name === 'init' && c.args.device?.config.appId === 'options.example').args.device;
    window.__fake.calls = [];
    const second = await codeOf(plain.identifyUser(true, document.body));
    const plainPolicy = window.__fake.calls.find((c) => c.name === 'begin').args.policy;
    return { first, second, calls, policy: begin.policy, request: begin.request, abandon, plainPolicy, config: init.config, wrapTemplates: init.wrapTemplates };
  });
  assert.equal(outcome.first, 'MULTIPLE_FACES_DETECTED/true');
  assert.equal(outcome.second, 'MULTIPLE_FACES_DETECTED/true');
  assert.deepEqual(outcome.policy, {
    liveness: 'adaptive',
    frames: 7,
    timeoutMs: 9000,
    livenessPolicy: { liveThreshold: 0.2, sureThreshold: 0.6, minMotion: 0.5, noiseRatio: 2, movedNoiseRatio: 3 },
    challenge: { steps: 3, stepTimeoutMs: 5000 },
  });
  assert.deepEqual(outcome.plainPolicy, { liveness: 'passive' });
  assert.deepEqual(outcome.config, { appId: 'options.example' });
  assert.equal(outcome.wrapTemplates, false, "an app's own secret must open its templates elsewhere: not wrapped");
  assert.deepEqual(outcome.request, { purpose: { kind: 'identify', registerIfNotFound: true }, useCase: 'login' });
  // The failed capture is handed back to the core (audited there) with the code and message it reported.
  // Each step that reads or writes the lockout and audit state re-reads them first (other tabs).
  assert.deepEqual(outcome.calls.filter((n) => n !== 'init'), ['reload', 'begin', 'frame', 'reload', 'abandon']);
  assert.equal(outcome.abandon.code, 'MULTIPLE_FACES_DETECTED');
  assert.equal(outcome.abandon.message, failedUpdate.message);
});

test('every code the core can send keeps its code and retry flag across the worker boundary', async () => {
  const results = await inPage({}, async (EntrySDK, ErrorCode) => {
    const out = {};
    for (const code of [...Object.values(ErrorCode), 'NOT_A_CODE']) {
      window.__fake.replies = { init: { error: { name: code, message: `init failed with ${code}` } } };
      const sdk = EntrySDK.getInstance(`map-${code}.example`, { masterSecret: new Uint8Array(32).fill(7) });
      out[code] = await sdk.preload().then(
        () => 'loaded',
        (e) => ({ code: e.code, retryable: e.retryable, name: e.name, message: e.message }),
      );
    }
    return out;
  });
  const codes = Object.keys(results).filter((c) => c !== 'NOT_A_CODE');
  assert.ok(codes.length >= 30, `${codes.length} codes`);
  const retryable = new Set(['LIVENESS_CHECK_FAILED', 'FACE_MATCH_FAILED', 'FALLBACK_REQUIRED', 'NO_FACE_DETECTED',
    'MULTIPLE_FACES_DETECTED', 'POOR_QUALITY', 'CAMERA_IN_USE', 'USER_CANCELLED', 'CAPTURE_IN_PROGRESS', 'TIMEOUT_ERROR',
    'SESSION_EXPIRED', 'MODEL_LOAD_FAILED', 'NETWORK_ERROR']);
  for (const code of codes) {
    assert.deepEqual(results[code], { code, retryable: retryable.has(code), name: 'EntrySDKError', message: `init failed with ${code}` });
  }
  // A name that is no code (a browser error, a bug in a worker) becomes UNKNOWN_ERROR, never a wrong code.
  assert.equal(results.NOT_A_CODE.code, 'UNKNOWN_ERROR');
});
