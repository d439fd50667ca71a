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
