// The SDK end to end in headless Chromium, through the demo page, with a fake camera playing real
// recordings: enroll, recognise, refuse strangers, groups and attacks, survive a reload, handle a
// denied camera and a cancel (camera released), and keep the main thread free while capturing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  artifacts,
  cameraRecordingClip,
  emptySceneClip,
  fakeCameraClip,
  faces,
  launchProfile,
  loopedRecordingClip,
  movedStillClip,
  newProfileDir,
  photoSequenceClip,
  recordingClip,
  startServer,
} from './harness.mjs';

let server, url;
const profiles = [];
before(async () => ({ server, url } = await startServer()));
after(() => {
  server.close();
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
});

const personA = () => recordingClip('live/0001', '0001_00_00_01');
const personAAgain = () => recordingClip('live/0001', '0001_00_00_02');
const personB = () => recordingClip('live/0002', '0002_01_00_01');
const printedPhotoOfA = () => recordingClip('spoof/0001', '0001_00_00_01');
// A person filmed by a phone-class camera the liveness model never saw (544x960 portrait), and a
// screen replaying a video of them, held so the screen fills that camera's view.
const phoneCameraPerson = () => cameraRecordingClip('webcam-replay-a', 'live', 'eff178');
const screenReplay = () => cameraRecordingClip('webcam-replay-a', 'spoof', '089ebaf');

/** Before any page script: record long main-thread tasks and every camera stream handed out. */
function instrument() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__streams = [];
  window.__entryDb = () => new Promise((ok) => (indexedDB.open('entry-sdk').onsuccess = (e) => ok(e.target.result)));
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    window.__streams.push(stream);
    return stream;
  };
}

async function openDemo(context, query = '') {
  const page = context.pages()[0] ?? (await context.newPage());
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.addInitScript(instrument);
  await page.goto(`${url}${query}`);
  return page;
}

/** Runs a demo action ("register", "identify", "verify", "delete") and returns its outcome. */
function run(page, action) {
  return page.evaluate((a) => window.entryDemo.run(a), action);
}

/** What the SDK keeps in IndexedDB: the field names and the first bytes of each sealed template. */
function storedUsers(page) {
  return page.evaluate(async () => {
    const db = await window.__entryDb();
    if (!db.objectStoreNames.contains('users')) return [];
    const users = await new Promise((ok) => (db.transaction('users').objectStore('users').getAll().onsuccess = (e) => ok(e.target.result)));
    return users.map((u) => ({ keys: Object.keys(u).sort(), magic: String.fromCharCode(...u.sealedTemplate.slice(0, 4)) }));
  });
}

/** The demo app's audit log: its text and its events. */
async function auditLog(page) {
  const text = await page.evaluate(() => import('/sdk/dist/index.js').then((m) => m.EntrySDK.getInstance('demo.entry.local').auditLog()));
  return { text, events: text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).event) };
}

/** The state of every camera track the page was given ("live" or "ended"). */
const trackStates = (page) => page.evaluate(() => window.__streams.flatMap((s) => s.getTracks()).map((t) => t.readyState));

const overlayState = (page) => page.locator('.entry-overlay').last().getAttribute('data-state');

async function withProfile(clip, body, { profile = newProfileDir(), deny = false } = {}) {
  profiles.push(profile);
  const context = await launchProfile(profile, { clip, deny });
  try {
    return await body(context, profile);
  } finally {
    await context.close();
  }
}

test('person A registers, is recognised after a reload and from another recording; person B is not found', async () => {
  const profile = newProfileDir();
  const a = await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    const registered = await run(page, 'register');
    assert.ok(registered.user, JSON.stringify(registered));
    assert.equal(registered.user.isNewUser, true);
    assert.equal(registered.user.isRegistrationComplete, true);
    assert.match(registered.user.entryUserId, /^[0-9a-f-]{36}$/);
    assert.ok(registered.user.livenessScore >= 0.87, `liveness ${registered.user.livenessScore}`);
    assert.ok(registered.user.sessionToken.length > 20);
    assert.ok(registered.user.deviceId.length > 10);
    const states = await page.evaluate(() => window.entryDemo.states);
    for (const s of ['loading', 'camera', 'collecting', 'matching', 'success']) assert.ok(states.includes(s), `no ${s} in ${states}`);
    await page.screenshot({ path: join(artifacts, 'overlay-registered.png') });
    const tracks = await trackStates(page);
    assert.deepEqual(tracks, ['ended'], 'the camera is off once the capture is done');

    // Nothing but sealed bytes is stored.
    const stored = await storedUsers(page);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].magic, 'ENTW', 'wrapped under this browser\'s non-extractable key');
    assert.deepEqual(stored[0].keys, ['appId', 'createdAt', 'entryUserId', 'isUnderAge', 'knownDevices', 'profile', 'sealedTemplate', 'updatedAt']);

    await page.reload();
    const again = await run(page, 'identify');
    assert.equal(again.user?.entryUserId, registered.user.entryUserId, JSON.stringify(again));
    assert.equal(again.user.isNewUser, false);
    assert.equal(again.user.isKnownDevice, true);
    assert.ok(again.user.matchScore > 0.5, `score ${again.user.matchScore}`);
    assert.deepEqual(page.errors, []);
    return registered.user;
  }, { profile });

  await withProfile(personAAgain(), async (context) => {
    const page = await openDemo(context);
    const found = await run(page, 'identify');
    assert.equal(found.user?.entryUserId, a.entryUserId, JSON.stringify(found));
    const verified = await run(page, 'verify');
    assert.equal(verified.user?.entryUserId, a.entryUserId, JSON.stringify(verified));
  }, { profile });

  await withProfile(personB(), async (context) => {
    const page = await openDemo(context);
    const unknown = await run(page, 'identify');
    assert.equal(unknown.error?.code, 'USER_NOT_FOUND', JSON.stringify(unknown));
    const impostor = await run(page, 'verify');
    assert.equal(impostor.error?.code, 'FACE_MATCH_FAILED', JSON.stringify(impostor));
    await page.screenshot({ path: join(artifacts, 'overlay-user-not-found.png') });
    const log = await auditLog(page);
    const types = log.events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 2), ['enroll', 'identify']);
    assert.ok(types.includes('verify'));
    assert.ok(!log.text.includes('sealed') && !/\d\.\d{6}/.test(log.text), 'the audit log holds ids, never templates or scores');
    const deleted = await run(page, 'delete');
    assert.equal(deleted.deleted, a.entryUserId, 'deleting needs no face: the app decides who may');
    const again = await page.evaluate((id) => import('/sdk/dist/index.js')
      .then((m) => m.EntrySDK.getInstance('demo.entry.local').deleteUser(id))
      .then(() => 'deleted twice', (e) => e.code), a.entryUserId);
    assert.equal(again, 'USER_NOT_FOUND');
  }, { profile });
});

test('a tampered stored template is refused and audited, never matched and never deleted', async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    const { user } = await run(page, 'register');
    assert.ok(user);
    // Flip one bit of the sealed template in IndexedDB, as an attacker with access to the store could.
    await page.evaluate(async () => {
      const db = await window.__entryDb();
      const store = db.transaction('users', 'readwrite').objectStore('users');
      const [record] = await new Promise((ok) => (store.getAll().onsuccess = (e) => ok(e.target.result)));
      record.sealedTemplate[record.sealedTemplate.length - 1] ^= 1;
      await new Promise((ok) => (store.put(record).onsuccess = ok));
    });
    assert.equal((await run(page, 'identify')).error?.code, 'USER_NOT_FOUND');
    assert.equal((await run(page, 'verify')).error?.code, 'TEMPLATE_TAMPERED');
    assert.equal((await storedUsers(page)).length, 1, 'the record is kept for investigation');
    const refusals = (await auditLog(page)).events.filter((e) => e.code === 'TEMPLATE_TAMPERED');
    assert.ok(refusals.length >= 2 && refusals.every((e) => e.user_id === user.entryUserId), JSON.stringify(refusals));
  });
});

test('no bytes page script can read open a stored template: its wrapping key is non-extractable and kept apart; older templates get wrapped', async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    assert.ok((await run(page, 'register')).user);
    // Script on the page, as an attacker who knows the SDK's source: everything the origin's
    // IndexedDB holds, every key in it read out where possible, the device master derived the way
    // the SDK derives it, and the stored template opened with every secret found.
    const r = await page.evaluate(async () => {
      const sdk = await import('/sdk/dist/index.js');
      await sdk.loadWasm();
      const { wrappedParts } = await import('/sdk/wasm/entry_wasm.js');
      const app = 'demo.entry.local';
      const { id: model, dimension } = (await (await fetch('/models/manifest.json')).json()).embedder;
      const records = {};
      for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((ok) => (indexedDB.open(name).onsuccess = (e) => ok(e.target.result)));
        for (const store of db.objectStoreNames) {
          records[`${name}/${store}`] = await new Promise((ok) => (db.transaction(store).objectStore(store).getAll().onsuccess = (e) => ok(e.target.result)));
        }
        db.close();
      }
      const keys = [];
      const walk = (value, where) => {
        if (value instanceof CryptoKey) keys.push({ where, key: value });
        else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) for (const [k, v] of Object.entries(value)) walk(v, `${where}/${k}`);
      };
      walk(records, '');
      const exported = [];
      for (const { where, key } of keys.filter((k) => k.key.type !== 'public')) {
        for (const format of ['raw', 'jwk', 'pkcs8']) await crypto.subtle.exportKey(format, key).then(() => exported.push(`${where} as ${format}`), () => {});
      }
      const secrets = [];
      for (const { key } of keys.filter((k) => k.key.algorithm.name === 'HKDF')) {
        const params = { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(app), info: new TextEncoder().encode('entry/device-master-secret/v1') };
        secrets.push(new Uint8Array(await crypto.subtle.deriveBits(params, key, 256)));
      }
      const [user] = records['entry-sdk/users'];
      const open = (secret, sealed) => {
        const protector = new sdk.TemplateProtector(new sdk.Keyring(secret, app, 30), model, dimension, 1);
        try {
          return protector.open(user.entryUserId, sealed, Date.now() / 1000).length;
        } catch (e) {
          return e.name;
        }
      };
      // The limit docs/security.md states: script running on the page can use the key in place.
      const wrapping = keys.find((k) => k.key.algorithm.name === 'AES-GCM');
      let inPlace = 'no wrapping key';
      if (wrapping) {
        const { iv, additionalData, ciphertext } = wrappedParts(user.sealedTemplate, app, user.entryUserId);
        const inner = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, wrapping.key, ciphertext));
        inPlace = secrets.map((s) => open(s, inner));
      }
      return {
        keys: keys.map((k) => `${k.where.split('/').slice(1, 3).join('/')} ${k.key.algorithm.name} ${k.key.extractable}`),
        exported,
        secrets: secrets.length,
        opened: secrets.map((s) => open(s, user.sealedTemplate)),
        inPlace,
      };
    });
    assert.deepEqual(r.exported, [], 'no key reads out');
    assert.ok(r.secrets >= 1, 'the device master is derivable by page script (docs/security.md)');
    assert.deepEqual(r.opened, Array(r.secrets).fill('TEMPLATE_TAMPERED'), `a readable secret opened the template: ${JSON.stringify(r)}`);
    assert.ok(r.keys.includes('entry-sdk-keys/wrapping-keys AES-GCM false'), JSON.stringify(r.keys));
    assert.ok(!r.keys.some((k) => k.startsWith('entry-sdk/') && k.includes('AES-GCM')), 'no wrapping key beside the templates');
    assert.deepEqual(r.inPlace, [512], 'used in place while the script runs, the key does unwrap');

    // A template stored by an SDK from before wrapping (the sealed bytes as they are) still opens,
    // and is wrapped when a login next recognises its person.
    const user = await page.evaluate(async () => {
      const { wrappedParts } = await import('/sdk/wasm/entry_wasm.js');
      const keys = await new Promise((ok) => (indexedDB.open('entry-sdk-keys').onsuccess = (e) => ok(e.target.result)));
      const [{ key }] = await new Promise((ok) => (keys.transaction('wrapping-keys').objectStore('wrapping-keys').getAll().onsuccess = (e) => ok(e.target.result)));
      const db = await window.__entryDb();
      const [record] = await new Promise((ok) => (db.transaction('users').objectStore('users').getAll().onsuccess = (e) => ok(e.target.result)));
      const { iv, additionalData, ciphertext } = wrappedParts(record.sealedTemplate, record.appId, record.entryUserId);
      record.sealedTemplate = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, ciphertext));
      await new Promise((ok) => (db.transaction('users', 'readwrite').objectStore('users').put(record).onsuccess = ok));
      return record.entryUserId;
    });
    assert.equal((await storedUsers(page))[0].magic, 'ENTT');
    await page.reload();
    assert.equal((await run(page, 'identify')).user?.entryUserId, user);
    assert.equal((await storedUsers(page))[0].magic, 'ENTW');
  });
});

test('an edited audit log or damaged lockout state does not block login; the edit is recorded and kept', async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    const { user } = await run(page, 'register');
    assert.ok(user);
    await page.evaluate(async () => {
      const db = await window.__entryDb();
      const tx = db.transaction(['audit', 'lockout'], 'readwrite');
      const audit = tx.objectStore('audit');
      const record = await new Promise((ok) => (audit.get('demo.entry.local').onsuccess = (e) => ok(e.target.result)));
      audit.put({ ...record, text: record.text.replace('"enroll"', '"delete"') });
      tx.objectStore('lockout').put({ appId: 'demo.entry.local', text: 'not json' });
      await new Promise((ok) => (tx.oncomplete = ok));
    });
    await page.reload();
    const again = await run(page, 'identify');
    assert.equal(again.user?.entryUserId, user.entryUserId, JSON.stringify(again));
    const kept = await page.evaluate(async () => {
      const db = await window.__entryDb();
      const keys = await new Promise((ok) => (db.transaction('audit').objectStore('audit').getAllKeys().onsuccess = (e) => ok(e.target.result)));
      return keys.filter((k) => k.startsWith('demo.entry.local#tampered-'));
    });
    const { events } = await auditLog(page);
    assert.deepEqual(events[0], { type: 'failure', user_id: null, device_id: '', code: 'AUDIT_TAMPERED' });
    assert.equal(events.at(-1).type, 'identify');
    assert.equal(kept.length, 1, 'the edited log is kept for investigation');
  });
});

test('the main thread has no task over 50 ms while capturing', async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    await page.evaluate(() => import('/sdk/dist/index.js').then((m) => m.EntrySDK.getInstance('demo.entry.local').preload()));
    const window_ = await page.evaluate(async () => {
      const start = performance.now();
      const outcome = await window.entryDemo.run('register');
      return { start, end: performance.now(), outcome };
    });
    assert.ok(window_.outcome.user, JSON.stringify(window_.outcome));
    const long = await page.evaluate(({ start, end }) => window.__longTasks.filter((t) => t.start >= start && t.start <= end), window_);
    assert.deepEqual(long, [], 'long tasks during capture');
    // The observer does see long tasks here: a deliberate 120 ms block is reported.
    const seen = await page.evaluate(async () => {
      const start = performance.now();
      setTimeout(() => {
        const t = performance.now();
        while (performance.now() - t < 120);
      }, 10);
      await new Promise((ok) => setTimeout(ok, 400));
      return window.__longTasks.some((t) => t.start >= start && t.duration >= 100);
    });
    assert.ok(seen, 'the long-task observer works in this browser');
  });
});

test('a group photo is refused with MULTIPLE_FACES_DETECTED', async () => {
  await withProfile(fakeCameraClip(join(faces, 'scenes/deepface-couple.jpg')), async (context) => {
    const page = await openDemo(context);
    const outcome = await run(page, 'register');
    assert.equal(outcome.error?.code, 'MULTIPLE_FACES_DETECTED', JSON.stringify(outcome));
    assert.equal(await overlayState(page), 'failure');
    await page.screenshot({ path: join(artifacts, 'overlay-multiple-faces.png') });
    const tracks = await trackStates(page);
    assert.deepEqual(tracks, ['ended'], 'the camera is off after an error');
  });
});

test('printed-photo, still-image, noisy-still, moved-still and looped-clip attacks fail liveness, and nothing is enrolled', async () => {
  await withProfile(printedPhotoOfA(), async (context) => {
    const page = await openDemo(context);
    const outcome = await run(page, 'register');
    assert.equal(outcome.error?.code, 'LIVENESS_CHECK_FAILED', JSON.stringify(outcome));
    assert.equal(outcome.error.retryable, true);
    assert.match(outcome.error.message, /spoof/);
    await page.screenshot({ path: join(artifacts, 'overlay-printed-photo.png') });
    assert.equal((await run(page, 'identify')).error?.code, 'LIVENESS_CHECK_FAILED');
    assert.deepEqual(await storedUsers(page), []);
  });
  await withProfile(fakeCameraClip(join(faces, 'identities/deepface/person02/img12.jpg')), async (context) => {
    const page = await openDemo(context);
    const outcome = await run(page, 'register');
    assert.equal(outcome.error?.code, 'LIVENESS_CHECK_FAILED', JSON.stringify(outcome));
    assert.match(outcome.error.message, /static_input/);
  });
  // Injected frames that change every time: a still with fresh noise on every frame (as the
  // challenge test below makes), the same still slowly panned and zoomed, and a three-frame loop of
  // a live person's real recording.
  const photo = join(faces, 'identities/deepface/person02/img12.jpg');
  const noisyStill = photoSequenceClip('noisy-still-person02', [[photo, 50]]);
  for (const clip of [noisyStill, movedStillClip('person02', photo), loopedRecordingClip('live/0001', '0001_00_00_02', 3, 5)]) {
    await withProfile(clip, async (context) => {
      const page = await openDemo(context);
      const outcome = await run(page, 'register');
      assert.equal(outcome.error?.code, 'LIVENESS_CHECK_FAILED', `${clip}: ${JSON.stringify(outcome)}`);
      assert.match(outcome.error.message, /static_input/);
      assert.deepEqual(await storedUsers(page), []);
    });
  }
});

/** identifyUser(false) with `liveness: 'adaptive'` and a sure bar of 0.99, with the states it went through. */
function adaptiveIdentify(page) {
  return page.evaluate(async () => {
    const { EntrySDK } = await import('/sdk/dist/index.js');
    const sdk = EntrySDK.getInstance('adaptive.example', { modelsUrl: '/models/', liveness: 'adaptive', capture: { sureLiveThreshold: 0.99 } });
    const states = [];
    sdk.addEventListener('state', (e) => states.push(e.detail.state));
    try {
      await sdk.identifyUser(false, document.body);
      return { states };
    } catch (e) {
      return { error: e.code, message: e.message, states };
    }
  });
}

test('a person on another camera registers and is recognised, adaptive liveness challenges an unsure capture, a screen replay is refused', async () => {
  const profile = newProfileDir();
  await withProfile(phoneCameraPerson(), async (context) => {
    const page = await openDemo(context);
    const registered = await run(page, 'register');
    assert.ok(registered.user, JSON.stringify(registered));
    assert.equal(registered.user.isNewUser, true);
    // Live by the shipped rule, though less sure than NUAA's webcam people (1.00 at every window).
    assert.ok(registered.user.livenessScore >= 0.14 && registered.user.livenessScore < 0.99, `liveness ${registered.user.livenessScore}`);
    await page.reload();
    const again = await run(page, 'identify');
    assert.equal(again.user?.entryUserId, registered.user.entryUserId, JSON.stringify(again));
    assert.equal(again.user.isNewUser, false);
  }, { profile });
  // Adaptive liveness: a capture under the app's sure bar (0.99 here; no window of this recording
  // reaches it, every NUAA window does) gets the challenge, which a recording cannot follow.
  await withProfile(phoneCameraPerson(), async (context) => {
    const page = await openDemo(context);
    const outcome = await adaptiveIdentify(page);
    assert.equal(outcome.error, 'LIVENESS_CHECK_FAILED', JSON.stringify(outcome));
    assert.match(outcome.message, /challenge/);
    assert.ok(outcome.states.includes('challenge'), outcome.states);
  });
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    const outcome = await adaptiveIdentify(page);
    assert.equal(outcome.error, 'USER_NOT_FOUND', JSON.stringify(outcome));
    assert.ok(!outcome.states.includes('challenge'), outcome.states);
  });
  await withProfile(screenReplay(), async (context) => {
    const page = await openDemo(context);
    const identify = await run(page, 'identify');
    assert.equal(identify.error?.code, 'LIVENESS_CHECK_FAILED', JSON.stringify(identify));
    assert.match(identify.error.message, /spoof/);
    const register = await run(page, 'register');
    assert.equal(register.error?.code, 'LIVENESS_CHECK_FAILED', JSON.stringify(register));
    await page.screenshot({ path: join(artifacts, 'overlay-screen-replay.png') });
    assert.equal((await storedUsers(page)).length, 1, 'the replay enrolled nobody');
  }, { profile });
});

test('the active challenge shows its steps, and a person who does not act fails it', async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context, '?liveness=passive_and_active&lang=de');
    const pending = run(page, 'register');
    const overlay = page.locator('.entry-overlay[data-state="challenge"]');
    await overlay.waitFor({ timeout: 120_000 });
    const text = await overlay.locator('.status').textContent();
    assert.match(text, /Schritt 1 von 2/);
    assert.ok(['blink', 'turn_left', 'turn_right', 'look_up', 'look_down'].includes(await overlay.getAttribute('data-action')));
    await page.screenshot({ path: join(artifacts, 'overlay-challenge-de.png') });
    const outcome = await pending;
    assert.equal(outcome.error?.code, 'LIVENESS_CHECK_FAILED', JSON.stringify(outcome));
    assert.match(outcome.error.message, /challenge/);
  });
});

/** A nonce whose one-step challenge is `action` (the plan is SHA-256 of a context and the nonce). */
function nonceFor(action) {
  const actions = ['blink', 'turn_left', 'turn_right', 'look_up', 'look_down'];
  for (let i = 0; ; i++) {
    const nonce = Buffer.from(`nonce-${i}`);
    const digest = createHash('sha256').update('entry/liveness-challenge/v1').update(nonce).digest();
    if (actions[digest[0] % actions.length] === action) return [...nonce];
  }
}

test('a person who turns their head when asked passes the challenge; the wrong turn does not', async () => {
  // Real photos of one person: frontal for 3 s, then turned to their left (22 degrees of yaw apart,
  // measured), with sensor-like noise; the fake camera starts the clip when it opens.
  const person = join(faces, 'identities/deepface/person04');
  const clip = photoSequenceClip('turn-left-person04', [[join(person, 'img59.jpg'), 30], [join(person, 'img16.jpg'), 20]]);
  await withProfile(clip, async (context) => {
    const page = await openDemo(context);
    const attempt = (app, action) => page.evaluate(async ({ app, nonce }) => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      const sdk = EntrySDK.getInstance(app, {
        liveness: 'passive_and_active',
        // These are photos (with noise): the passive model and the one-picture check would refuse
        // them, and are not what this test is about; the challenge is.
        capture: { liveThreshold: 0, minMotion: 0, noiseRatio: 0, movedNoiseRatio: 0, challengeSteps: 1, challengeStepTimeoutMs: 4000 },
        challengeNonce: () => new Uint8Array(nonce),
      });
      const actions = [];
      sdk.addEventListener('capture', (e) => e.detail.state === 'challenge' && actions.push(e.detail.action));
      try {
        const user = await sdk.identifyUser(true, document.getElementById('capture'));
        return { registered: user.isNewUser, actions: [...new Set(actions)] };
      } catch (e) {
        return { error: e.code, message: e.message };
      }
    }, { app, nonce: nonceFor(action) });
    assert.deepEqual(await attempt('challenge-left.example', 'turn_left'), { registered: true, actions: ['turn_left'] });
    const wrong = await attempt('challenge-right.example', 'turn_right');
    assert.equal(wrong.error, 'LIVENESS_CHECK_FAILED', JSON.stringify(wrong));
    assert.match(wrong.message, /turn_right/);
  });
});

test('a denied camera gives CAMERA_ACCESS_DENIED', async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    const outcome = await run(page, 'register');
    assert.equal(outcome.error?.code, 'CAMERA_ACCESS_DENIED', JSON.stringify(outcome));
    assert.equal(outcome.error.retryable, false);
  }, { deny: true });
});

test('nobody in front of the camera times out with TIMEOUT_ERROR and the camera off', async () => {
  await withProfile(emptySceneClip(), async (context) => {
    const page = await openDemo(context);
    const outcome = await page.evaluate(async () => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      const sdk = EntrySDK.getInstance('timeout.example', { capture: { timeoutMs: 2000 } });
      return sdk.identifyUser(true, document.getElementById('capture')).catch((e) => ({ code: e.code, message: e.message }));
    });
    assert.equal(outcome.code, 'TIMEOUT_ERROR', JSON.stringify(outcome));
    assert.match(outcome.message, /no_face/);
    const tracks = await trackStates(page);
    assert.deepEqual(tracks, ['ended']);
  });
});

test('a camera that stops delivering frames mid-capture ends it with TIMEOUT_ERROR', async () => {
  await withProfile(emptySceneClip(), async (context) => {
    const page = await openDemo(context);
    const pending = run(page, 'register');
    await page.locator('.entry-overlay[data-state="collecting"]').waitFor({ timeout: 120_000 });
    // As if unplugged: the track ends without the SDK asking.
    await page.evaluate(() => window.__streams[0].getTracks()[0].stop());
    const outcome = await pending;
    assert.equal(outcome.error?.code, 'TIMEOUT_ERROR', JSON.stringify(outcome));
    assert.match(outcome.error.message, /no frame/);
  });
});

test('cancel gives USER_CANCELLED and turns the camera off', async () => {
  await withProfile(emptySceneClip(), async (context) => {
    const page = await openDemo(context);
    const pending = run(page, 'register');
    const overlay = page.locator('.entry-overlay[data-state="collecting"]');
    await overlay.waitFor({ timeout: 120_000 });
    assert.equal(await overlay.getAttribute('data-guidance'), 'no_face');
    assert.equal(await overlay.locator('[role="status"]').textContent(), 'Look at the camera');
    await page.screenshot({ path: join(artifacts, 'overlay-no-face.png') });
    assert.deepEqual(await trackStates(page), ['live']);
    await overlay.locator('button', { hasText: 'Cancel' }).click();
    const outcome = await pending;
    assert.equal(outcome.error?.code, 'USER_CANCELLED', JSON.stringify(outcome));
    assert.equal(await page.locator('.entry-overlay').last().getAttribute('data-state'), 'failure');
    const tracks = await trackStates(page);
    assert.deepEqual(tracks, ['ended']);
  });
});

test("a custom store (the app's server) receives only sealed templates and serves identification", async () => {
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    const r = await page.evaluate(async () => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      // Stands in for an app's REST endpoint: records cross as JSON with the template base64-encoded.
      const server = new Map();
      const toWire = (u) => JSON.stringify({ ...u, sealedTemplate: u.sealedTemplate && btoa(String.fromCharCode(...u.sealedTemplate)) });
      const fromWire = (s) => {
        const u = JSON.parse(s);
        return { ...u, sealedTemplate: u.sealedTemplate && Uint8Array.from(atob(u.sealedTemplate), (c) => c.charCodeAt(0)) };
      };
      const store = {
        list: async (appId) => [...server.values()].map(fromWire).filter((u) => u.appId === appId),
        get: async (appId, id) => (server.has(id) ? fromWire(server.get(id)) : undefined),
        put: async (u) => void server.set(u.entryUserId, toWire(u)),
        delete: async (appId, id) => server.delete(id),
      };
      // Templates on the app's server open on any device given the app's master secret (from its server).
      const masterSecret = async () => new Uint8Array(32).fill(9);
      const sdk = EntrySDK.getInstance('server-store.example', { store, masterSecret, resultDisplayMs: 0 });
      const parent = document.getElementById('capture');
      const registered = await sdk.identifyUser(true, parent);
      const again = await sdk.identifyUser(false, parent);
      const wire = [...server.values()].join('\n');
      return { registered: registered.entryUserId, again: again.entryUserId, records: server.size, wire };
    });
    assert.equal(r.again, r.registered);
    assert.equal(r.records, 1);
    assert.match(Buffer.from(JSON.parse(r.wire).sealedTemplate, 'base64').subarray(0, 4).toString(), /^ENTT$/);
    assert.deepEqual(await storedUsers(page), [], 'nothing went to IndexedDB');
  });
});

test('a device key this browser does not keep fails loudly with STORAGE_ERROR, and nothing is enrolled', async () => {
  await withProfile(personA(), async (context) => {
    // The one write that fails, as on a full disk: IndexedDB refuses to add the device key. Only
    // that store's add is made to fail; everything else is this browser's real IndexedDB. Before,
    // the failure was swallowed and templates were sealed with a key no later visit would have.
    await context.addInitScript(() => {
      const add = IDBObjectStore.prototype.add;
      IDBObjectStore.prototype.add = function (...args) {
        if (this.name === 'device-keys') throw new DOMException('the disk is full', 'QuotaExceededError');
        return add.apply(this, args);
      };
    });
    const page = await openDemo(context);
    const outcome = await run(page, 'register');
    assert.equal(outcome.error?.code, 'STORAGE_ERROR', JSON.stringify(outcome));
    assert.match(outcome.error.message, /device-keys/);
    assert.deepEqual(await storedUsers(page), []);
  });
});

/**
 * What a verification of A by B ends with, each counted towards the lockout. Mostly
 * FACE_MATCH_FAILED; FALLBACK_REQUIRED when B's capture lands between the fallback and login
 * thresholds (a near match, counted since it is a free retry otherwise); LIVENESS_CHECK_FAILED when
 * a capture spans the loop of B's 2.5 s recording in Chromium's fake camera (one picture twice).
 */
const COUNTED = ['FACE_MATCH_FAILED', 'FALLBACK_REQUIRED', 'LIVENESS_CHECK_FAILED'];

/** A browser profile in which person A registered. */
async function profileWithA() {
  const profile = newProfileDir();
  await withProfile(personA(), async (context) => {
    const page = await openDemo(context);
    assert.ok((await run(page, 'register')).user);
  }, { profile });
  return profile;
}

test('five failed verifications lock the user, before the camera opens and across a reload', async () => {
  const profile = await profileWithA();
  await withProfile(personB(), async (context) => {
    const page = await openDemo(context);
    for (let i = 0; i < 5; i++) {
      const outcome = await run(page, 'verify');
      assert.ok(COUNTED.includes(outcome.error?.code), `attempt ${i + 1}: ${JSON.stringify(outcome)}`);
    }
    const tracksBefore = (await trackStates(page)).length;
    const locked = await run(page, 'verify');
    assert.equal(locked.error?.code, 'ACCOUNT_LOCKED', JSON.stringify(locked));
    assert.equal(locked.error.retryable, false);
    assert.equal((await trackStates(page)).length, tracksBefore, 'no camera for a locked user');
    await page.reload();
    assert.equal((await run(page, 'verify')).error?.code, 'ACCOUNT_LOCKED');
    assert.ok((await auditLog(page)).events.some((e) => e.type === 'lockout'));
  }, { profile });
});

test('failures in two tabs add up to one lock, and their audit entries form one chain', async () => {
  const profile = await profileWithA();
  // Someone else at the camera, in two tabs of the same browser: each tab has its own worker.
  await withProfile(personB(), async (context) => {
    const first = await openDemo(context);
    const second = await context.newPage();
    await second.addInitScript(instrument);
    await second.goto(url);
    const tabs = [first, second, first, second, first];
    for (const [i, tab] of tabs.entries()) {
      const outcome = await run(tab, 'verify');
      assert.ok(COUNTED.includes(outcome.error?.code), `attempt ${i + 1}: ${JSON.stringify(outcome)}`);
    }
    // Three failures in one tab and two in the other are five for the user: locked in both.
    assert.equal((await run(second, 'verify')).error?.code, 'ACCOUNT_LOCKED');
    assert.equal((await run(first, 'verify')).error?.code, 'ACCOUNT_LOCKED');
    const { text, events } = await auditLog(first);
    assert.equal(events.filter((e) => e.type === 'failure').length, 5, text);
    assert.equal(events.filter((e) => e.type === 'lockout').length, 1, text);
    // One chain: a new page load verifies it and finds nothing to restart.
    await first.reload();
    assert.equal((await run(first, 'verify')).error?.code, 'ACCOUNT_LOCKED');
    const after = await auditLog(first);
    assert.ok(!after.events.some((e) => e.code === 'AUDIT_TAMPERED'), after.text);
  }, { profile });
});

test('a substituted model is refused with MODEL_INTEGRITY, a missing one with MODEL_LOAD_FAILED', async () => {
  await withProfile(personA(), async (context) => {
    await context.route('**/models/fr_detect.nnef.tar', async (route) => {
      const original = await route.fetch();
      const body = Buffer.from(await original.body());
      body[body.length - 1] ^= 1;
      await route.fulfill({ response: original, body });
    });
    const page = await openDemo(context);
    const substituted = await run(page, 'register');
    assert.equal(substituted.error?.code, 'MODEL_INTEGRITY', JSON.stringify(substituted));
    assert.match(substituted.error.message, /fr_detect\.nnef\.tar/);
    const missing = await page.evaluate(() => import('/sdk/dist/index.js').then((m) =>
      m.EntrySDK.getInstance('elsewhere.example', { modelsUrl: '/no-models-here/' }).preload().then(() => 'loaded', (e) => e.code)));
    assert.equal(missing, 'MODEL_LOAD_FAILED');
    assert.deepEqual(await trackStates(page), [], 'no camera without a verified engine');
  });
});
