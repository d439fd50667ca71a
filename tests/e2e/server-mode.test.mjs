// The SDK's server mode in headless Chromium against the real entry-server, with a fake camera
// playing real recordings: person A registers in one browser profile; a second profile (another
// device) verifies and identifies A, is a new device until it has logged in once, and gets
// assertions the backend helper verifies; person B and a printed photo are refused by the server;
// page script gets nothing from forged requests or from A's real evidence replayed or moved to
// another attempt, and holds no key.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { launchProfile, newProfileDir, recordingClip, root, startServer } from './harness.mjs';
import { startEntryServer } from './entry-server.mjs';

const { verifyAssertion } = await import(join(root, 'npm/dist/server/index.js'));
const APP = 'shop.example';

let web, entry;
const profiles = [];
before(async () => {
  web = await startServer();
  entry = await startEntryServer(APP, ['127.0.0.1']);
});
after(async () => {
  web?.server.close();
  await entry?.stop();
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
});

/** A browser profile whose camera plays `clip`, with the SDK in server mode loaded on the page. */
async function withDevice(clip, body, profile = newProfileDir()) {
  profiles.push(profile);
  const context = await launchProfile(profile, { clip });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    await page.goto(web.url);
    return await body(page, profile);
  } finally {
    await context.close();
  }
}

/** `identifyUser(register)` or `verifyUser(id)` in server mode: `{ user }` or `{ error: { code, message } }`. */
function login(page, action, arg) {
  return page.evaluate(async ({ action, arg, app, server }) => {
    const { EntrySDK } = await import('/sdk/dist/index.js');
    const sdk = EntrySDK.getInstance(app, { server: { url: server }, resultDisplayMs: 0 });
    try {
      const user = action === 'verify' ? await sdk.verifyUser(arg, document.body) : await sdk.identifyUser(arg, document.body);
      return { user };
    } catch (e) {
      return { error: { code: e.code, message: e.message } };
    }
  }, { action, arg, app: APP, server: entry.url });
}

const verify = (user) => verifyAssertion(user.assertion, { jwksUrl: `${entry.url}/.well-known/jwks.json`, audience: APP });

let personA;
const deviceOfA = newProfileDir();
const otherDeviceOfA = newProfileDir();
test('person A registers in one browser and is verified and identified from another device', async () => {
  personA = await withDevice(recordingClip('live/0001', '0001_00_00_01'), async (page) => {
    const registered = await login(page, 'identify', true);
    assert.ok(registered.user, JSON.stringify(registered));
    assert.equal(registered.user.isNewUser, true);
    assert.equal(registered.user.sessionToken, null, 'no device-mode token in server mode');
    const { claims } = await verify(registered.user);
    assert.equal(claims.sub, registered.user.entryUserId);
    assert.equal(claims.new_user, true);
    assert.match(claims.cnf.jkt, /^[A-Za-z0-9_-]{43}$/, 'bound to this browser profile\'s device key');
    // Nothing that opens a template or signs an assertion is in this page's reach.
    const stores = await page.evaluate(async (app) => {
      const db = await new Promise((ok) => (indexedDB.open('entry-sdk').onsuccess = (e) => ok(e.target.result)));
      const read = (name, req) => new Promise((ok) => (req(db.transaction(name).objectStore(name)).onsuccess = (e) => ok(e.target.result)));
      const signing = await read('signing-keys', (s) => s.get(app));
      return {
        users: (await read('users', (s) => s.getAll())).filter((u) => u.appId === app).length,
        masterKey: (await read('device-keys', (s) => s.get(app))) !== undefined,
        privateKeyExtractable: signing.keys.privateKey.extractable,
      };
    }, APP);
    assert.deepEqual(stores, { users: 0, masterKey: false, privateKeyExtractable: false });
    assert.deepEqual(page.errors, []);
    return { ...registered.user, jkt: claims.cnf.jkt };
  }, deviceOfA);

  await withDevice(recordingClip('live/0001', '0001_00_00_02'), async (page) => {
    const verified = await login(page, 'verify', personA.entryUserId);
    assert.equal(verified.user?.entryUserId, personA.entryUserId, JSON.stringify(verified));
    assert.equal(verified.user.isKnownDevice, false, 'a second device is new');
    const { claims } = await verify(verified.user);
    assert.equal(claims.sub, personA.entryUserId);
    assert.equal(claims.device_known, false);
    assert.notEqual(claims.cnf.jkt, personA.jkt, 'another browser profile, another device key');
    const identified = await login(page, 'identify', false);
    assert.equal(identified.user?.entryUserId, personA.entryUserId, JSON.stringify(identified));
    assert.equal(identified.user.isKnownDevice, true, 'known once it has logged in');
    assert.equal((await verify(identified.user)).claims.device_known, true);
  }, otherDeviceOfA);
});

test('person B and a printed photo of A get nothing from the server', async () => {
  assert.ok(personA, 'runs after the registration');
  // Person B's recording is 4 s long: Chromium's fake camera loops a clip, and a server-mode capture
  // that spans the loop sees one picture twice (static_input), as a looped replay should.
  await withDevice(recordingClip('live/0003', '0003_01_00_01'), async (page) => {
    const b = await login(page, 'identify', false);
    assert.equal(b.error?.code, 'USER_NOT_FOUND', JSON.stringify(b));
    assert.equal((await login(page, 'verify', personA.entryUserId)).error?.code, 'FACE_MATCH_FAILED');
  });
  await withDevice(recordingClip('spoof/0001', '0001_00_00_01'), async (page) => {
    const refused = await login(page, 'verify', personA.entryUserId);
    assert.equal(refused.error?.code, 'LIVENESS_CHECK_FAILED', JSON.stringify(refused));
  });
});

test('page script that calls the server itself gets no assertion', async () => {
  await withDevice(recordingClip('live/0001', '0001_00_00_02'), async (page) => {
    const answers = await page.evaluate(async ({ server, app }) => {
      const post = async (path, body) => {
        const r = await fetch(server + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: r.status, body: await r.json() };
      };
      const attempt = (await post('/v1/attempts', { app, purpose: 'identify' })).body;
      const noEvidence = await post(`/v1/attempts/${attempt.attemptId}/evidence`, { app, enc: '', ciphertext: '' });
      const replayed = await post(`/v1/attempts/${attempt.attemptId}/evidence`, { app, enc: '', ciphertext: '' });
      const other = (await post('/v1/attempts', { app, purpose: 'identify' })).body;
      const forged = await post(`/v1/attempts/${other.attemptId}/evidence`, { app, enc: 'A'.repeat(43), ciphertext: 'B'.repeat(200) });
      return { noEvidence, replayed, forged };
    }, { server: entry.url, app: APP });
    assert.equal(answers.noEvidence.body.code, 'SESSION_INVALID');
    assert.equal(answers.replayed.body.code, 'SESSION_REPLAYED');
    assert.equal(answers.forged.body.code, 'SESSION_INVALID');
    for (const a of Object.values(answers)) assert.equal(a.body.assertion, undefined);
    const deletion = await page.evaluate(async ({ app, server }) => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      return EntrySDK.getInstance(app, { server: { url: server } }).deleteUser('anyone').then(() => 'deleted', (e) => e.code);
    }, { app: APP, server: entry.url });
    assert.equal(deletion, 'INVALID_CONFIGURATION', 'erasure is the backend\'s, with its API key');
    // A server that cannot be reached is a retryable NETWORK_ERROR, before the camera opens.
    const unreachable = await page.evaluate(async () => {
      const { EntrySDK } = await import('/sdk/dist/index.js');
      const sdk = EntrySDK.getInstance('offline.example', { server: { url: 'http://127.0.0.1:9', timeoutMs: 3000 } });
      return sdk.identifyUser(false, document.body).then(() => null, (e) => ({ code: e.code, retryable: e.retryable }));
    });
    assert.deepEqual(unreachable, { code: 'NETWORK_ERROR', retryable: true });
  });
});

test('A\'s real evidence, taken by page script, opens nothing twice or elsewhere', async () => {
  assert.ok(personA, 'runs after the registration');
  await withDevice(recordingClip('live/0001', '0001_00_00_02'), async (page) => {
    const answers = await page.evaluate(async ({ server, app, userId }) => {
      // A script on the page wraps fetch and keeps a copy of the sealed evidence the SDK sends.
      const taken = [];
      const realFetch = window.fetch;
      window.fetch = (input, init) => {
        if (String(input).includes('/evidence')) taken.push({ url: String(input), body: init.body });
        return realFetch(input, init);
      };
      const { EntrySDK } = await import('/sdk/dist/index.js');
      const sdk = EntrySDK.getInstance(app, { server: { url: server }, resultDisplayMs: 0 });
      const user = await sdk.identifyUser(false, document.body).then((u) => u.entryUserId, (e) => e.code);
      window.fetch = realFetch;
      const post = async (url, body) => {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        return { status: r.status, body: await r.json() };
      };
      const attempt = async (purpose, userId) =>
        (await post(`${server}/v1/attempts`, JSON.stringify({ app, purpose, ...(userId ? { userId } : {}) }))).body.attemptId;
      const [evidence] = taken;
      return {
        user,
        taken: taken.length,
        again: await post(evidence.url, evidence.body),
        toIdentify: await post(`${server}/v1/attempts/${await attempt('identify')}/evidence`, evidence.body),
        toVerify: await post(`${server}/v1/attempts/${await attempt('verify', userId)}/evidence`, evidence.body),
      };
    }, { server: entry.url, app: APP, userId: personA.entryUserId });
    assert.equal(answers.user, personA.entryUserId, 'the SDK\'s own login went through');
    assert.equal(answers.taken, 1);
    assert.equal(answers.again.body.code, 'SESSION_REPLAYED', JSON.stringify(answers.again));
    // Sealed to another attempt (its id and nonce are the HPKE associated data): nothing opens.
    assert.equal(answers.toIdentify.body.code, 'SESSION_INVALID', JSON.stringify(answers.toIdentify));
    assert.equal(answers.toVerify.body.code, 'SESSION_INVALID', JSON.stringify(answers.toVerify));
    for (const a of [answers.again, answers.toIdentify, answers.toVerify]) assert.equal(a.body.assertion, undefined);
  }, deviceOfA);
});

test('a lock holds on both of A\'s devices, and erasing A removes them for both', async () => {
  assert.ok(personA, 'runs after the registration');
  await withDevice(recordingClip('live/0003', '0003_01_00_01'), async (page) => {
    for (let i = 0; i < 5; i++) {
      const refused = await login(page, 'verify', personA.entryUserId);
      assert.ok(['FACE_MATCH_FAILED', 'ACCOUNT_LOCKED'].includes(refused.error?.code), JSON.stringify(refused));
    }
  });
  for (const profile of [deviceOfA, otherDeviceOfA]) {
    await withDevice(recordingClip('live/0001', '0001_00_00_02'), async (page) => {
      assert.equal((await login(page, 'verify', personA.entryUserId)).error?.code, 'ACCOUNT_LOCKED');
    }, profile);
  }
  // The app's backend erases A with its API key; neither device finds A afterwards.
  const erased = await fetch(`${entry.url}/v1/apps/${APP}/users/${personA.entryUserId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${entry.apiKey}` },
  });
  assert.equal(erased.status, 200);
  await withDevice(recordingClip('live/0001', '0001_00_00_02'), async (page) => {
    assert.equal((await login(page, 'verify', personA.entryUserId)).error?.code, 'USER_NOT_FOUND');
  }, deviceOfA);
  await withDevice(recordingClip('live/0001', '0001_00_00_02'), async (page) => {
    const b = await login(page, 'identify', false);
    assert.equal(b.error?.code, 'USER_NOT_FOUND', JSON.stringify(b));
  }, otherDeviceOfA);
});

test('the demo in server mode: its backend route verifies the assertion the page got', async () => {
  const demoServer = await startEntryServer('demo.entry.local', ['127.0.0.1']);
  const demoWeb = await serve(0, '127.0.0.1', { entryServer: demoServer.url });
  try {
    const profile = newProfileDir();
    profiles.push(profile);
    const context = await launchProfile(profile, { clip: recordingClip('live/0004', '0004_01_00_01') });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://127.0.0.1:${demoWeb.address().port}/?mode=server`);
      const outcome = await page.evaluate(() => window.entryDemo.run('register'));
      assert.ok(outcome.user?.assertion, JSON.stringify(outcome));
      assert.equal(outcome.backend.verified, true, JSON.stringify(outcome.backend));
      assert.equal(outcome.backend.claims.sub, outcome.user.entryUserId);
      assert.equal(outcome.backend.claims.aud, 'demo.entry.local');
      assert.equal(await page.locator('#delete').isDisabled(), true, 'erasure is the backend\'s in server mode');
      const forged = await page.evaluate(() =>
        fetch('/demo/login', { method: 'POST', body: JSON.stringify({ assertion: 'a.b.c' }) }).then((r) => r.json()));
      assert.equal(forged.verified, false);
    } finally {
      await context.close();
    }
  } finally {
    demoWeb.close();
    await demoServer.stop();
  }
});
