// Template protection, sessions, devices, policy and audit used from JavaScript in the browser, the
// way an app would: through the npm package's exports, with real Web Crypto randomness.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer } from './harness.mjs';

let server, url, browser;
before(async () => {
  ({ server, url } = await startServer());
  browser = await launch();
});
after(async () => {
  await browser.close();
  server.close();
});

test('sealed templates, sessions, device ids, allow-lists, lockout, audit and documents work from JS', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}blank`);
  const r = await page.evaluate(async () => {
    const sdk = await import('/sdk/dist/index.js');
    await sdk.loadWasm();
    const now = Date.now() / 1000;
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const keyring = new sdk.Keyring(secret, 'bank.example', 30);
    const vault = new sdk.TemplateProtector(keyring, 'faceplugin-mfn-512', 4, 1);
    const sealed = vault.seal('alice', new Float32Array([0.1, 0.2, 0.3, 0.4]), now);
    const opened = vault.open('alice', sealed, now);
    const probe = vault.probe(new Float32Array([0.1, 0.2, 0.3, 0.4]));
    const cosine = opened.reduce((s, v, i) => s + v * probe[i], 0);
    const errorName = (f) => { try { f(); return 'no error'; } catch (e) { return e.name; } };
    const tampered = sealed.slice();
    tampered[tampered.length - 1] ^= 1;
    const { token } = keyring.issueSession('alice', 'dev_1', now, 300);
    const sessions = new sdk.SessionVerifier(keyring);
    const firstUse = sessions.verify(token, now + 1).user_id;
    const replay = errorName(() => sessions.verify(token, now + 2));
    const signals = { userAgent: navigator.userAgent, platform: navigator.platform, languages: [...navigator.languages],
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, screenWidth: screen.width, screenHeight: screen.height,
      colorDepth: screen.colorDepth, hardwareConcurrency: navigator.hardwareConcurrency, maxTouchPoints: navigator.maxTouchPoints };
    const policy = new sdk.AccessPolicy(['*.bank.example', 'localhost'], []);
    const lockout = new sdk.LockoutTracker(undefined);
    let locked;
    for (let i = 0; i < 5; i++) locked = lockout.recordFailure('alice', now + i);
    const trail = new sdk.AuditLog(undefined);
    trail.append(now, { type: 'enroll', user_id: 'alice', device_id: 'dev_1' });
    const exported = trail.toJsonLines();
    const mrz = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
    const passport = sdk.parseMrz(mrz, now);
    const adult = sdk.checkAge(passport.birthDate, sdk.ageRule('alcohol'), now, false);
    return {
      sealedBytes: sealed.length, cosine, firstUse, replay,
      wrongUser: errorName(() => vault.open('bob', sealed, now)),
      tampered: errorName(() => vault.open('alice', tampered, now)),
      deviceStable: keyring.deviceId(signals) === keyring.deviceId(signals),
      allowsBank: policy.allowsOrigin('https://pay.bank.example'), allowsEvil: policy.allowsOrigin('https://bank.example.evil'),
      locked: locked !== undefined,
      passportNumber: passport.documentNumber, adultMeets: adult.meets,
      expiredProfile: errorName(() => keyring.documentProfile({ kind: 'mrz', text: mrz }, now)),
      auditOk: errorName(() => new sdk.AuditLog(exported)), auditEdited: errorName(() => new sdk.AuditLog(exported.replace('alice', 'eve'))),
    };
  });
  assert.ok(r.sealedBytes > 16 + 4 * 4, 'ciphertext, nonce and tag are stored');
  assert.ok(Math.abs(r.cosine - 1) < 1e-5);
  assert.equal(r.firstUse, 'alice');
  assert.equal(r.replay, 'SESSION_REPLAYED');
  assert.equal(r.wrongUser, 'TEMPLATE_TAMPERED');
  assert.equal(r.tampered, 'TEMPLATE_TAMPERED');
  assert.ok(r.deviceStable);
  assert.ok(r.allowsBank && !r.allowsEvil);
  assert.ok(r.locked, 'the fifth failure locks');
  assert.equal(r.passportNumber, 'L898902C3');
  assert.equal(r.adultMeets, true);
  assert.equal(r.expiredProfile, 'DOCUMENT_EXPIRED', 'the ICAO specimen expired in 2012');
  assert.equal(r.auditOk, 'no error');
  assert.equal(r.auditEdited, 'AUDIT_TAMPERED');
});

test("wrapped templates: the browser's WebCrypto reads the core's known-answer bytes and writes what the core parses", async () => {
  const page = await browser.newPage();
  await page.goto(`${url}blank`);
  // entry-core `protect::wrapped` KNOWN_WRAPPED: key a0 a1 .. bf, key version 1, nonce 22 x 12,
  // app "app.example", user "alice", around the sealed template below.
  const known = '454e54570100000001222222222222222222222222f0f1184f0471b825304b80625f69088270ef6ed08e2c8290de4496ecdf9708848032ac43430a255ce845880797a238b98a7862111c3b80f8c4f9796d82f68682ae41865ade0946f6318d5fb5a8e278';
  const inner = '454e545401076d6f64656c2d61000050141111111111111111111111118f16cc29f38e7b3d0480e7844dd35a9ada453eab14e302ce7b4a97e63262fc851a54';
  const r = await page.evaluate(async ({ known, inner }) => {
    const sdk = await import('/sdk/dist/index.js');
    await sdk.loadWasm();
    const { wrapParams, wrappedParts } = await import('/sdk/wasm/entry_wasm.js');
    const bytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
    const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const key = await crypto.subtle.importKey('raw', Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const unwrap = async (stored, app, user) => {
      const { iv, additionalData, ciphertext } = wrappedParts(stored, app, user);
      return crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, ciphertext).then(hex, (e) => e.name);
    };
    const { header, iv, additionalData } = wrapParams('app.example', 'alice', 1);
    const wrapped = new Uint8Array([...header, ...new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, bytes(inner)))]);
    const tampered = bytes(known);
    tampered[30] ^= 1;
    return {
      known: await unwrap(bytes(known), 'app.example', 'alice'),
      knownForBob: await unwrap(bytes(known), 'app.example', 'bob'),
      tampered: await unwrap(tampered, 'app.example', 'alice'),
      roundTrip: await unwrap(wrapped, 'app.example', 'alice'),
      header: hex(header.slice(0, 9)),
      notWrapped: wrappedParts(bytes(inner), 'app.example', 'alice'),
      truncated: (() => { try { wrappedParts(bytes(known).slice(0, 20), 'app.example', 'alice'); return 'parsed'; } catch (e) { return e.name; } })(),
    };
  }, { known, inner });
  assert.equal(r.known, inner);
  assert.equal(r.knownForBob, 'OperationError', 'bound to the user');
  assert.equal(r.tampered, 'OperationError');
  assert.equal(r.roundTrip, inner);
  assert.equal(r.header, '454e54570100000001', 'ENTW, version 1, key version 1');
  assert.equal(r.notWrapped, null, 'a template sealed before wrapping is read as it is');
  assert.equal(r.truncated, 'TEMPLATE_TAMPERED');
});
