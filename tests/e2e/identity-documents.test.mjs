// Registration with an identity document through the SDK: the profile is filled from the MRZ (the
// number only as a keyed digest), the face must match the document portrait, an expired document
// is refused before the camera opens, and an under-age user leaves no template, only an audit entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { demoPage, faces, recordingClip } from './harness.mjs';

let page, close;
before(async () => {
  ({ page, close } = await demoPage({ clip: recordingClip('live/0001', '0001_00_00_01') }));
});
after(() => close());

/** ICAO 9303 check digit (weights 7, 3, 1). */
function checkDigit(field) {
  const value = (c) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  return String([...field].reduce((sum, c, i) => sum + value(c) * [7, 3, 1][i % 3], 0) % 10);
}

/** A TD3 (passport) MRZ with correct check digits; dates as YYMMDD. */
function passport({ surname, given, number, nationality, birth, sex, expiry }) {
  const line1 = `P<${nationality}${surname}<<${given.replaceAll(' ', '<')}`.padEnd(44, '<');
  const num = number.padEnd(9, '<');
  const personal = '<'.repeat(14);
  let line2 = `${num}${checkDigit(num)}${nationality}${birth}${checkDigit(birth)}${sex}${expiry}${checkDigit(expiry)}${personal}${checkDigit(personal)}`;
  line2 += checkDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43));
  return `${line1}\n${line2}`;
}

const ADULT = passport({ surname: 'HOLM', given: 'ERIK', number: 'X4711K02', nationality: 'SWE', birth: '900214', sex: 'M', expiry: '340101' });
const CHILD = passport({ surname: 'HOLM', given: 'LINA', number: 'X4712K07', nationality: 'SWE', birth: '180620', sex: 'F', expiry: '300101' });
const EXPIRED = passport({ surname: 'HOLM', given: 'ERIK', number: 'X1000K01', nationality: 'SWE', birth: '900214', sex: 'M', expiry: '200101' });

/** identifyUser(true) with a document, in the page; returns `{ user }` or `{ error: { code, message } }`. */
function register(app, input, ageRule, photoPath) {
  const photo = photoPath ? [...readFileSync(photoPath)] : null;
  return page.evaluate(async ({ app, input, ageRule, photo }) => {
    const { EntrySDK } = await import('/sdk/dist/index.js');
    const sdk = EntrySDK.getInstance(app, { modelsUrl: '/models/', resultDisplayMs: 0 });
    window.__streams = [];
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (c) => (window.__streams.push(await getUserMedia(c)), window.__streams.at(-1));
    const doc = { ...input, ...(photo ? { photo: new Uint8Array(photo) } : {}) };
    try {
      return { user: await sdk.identifyUser(true, document.body, { document: doc, ageRule }) };
    } catch (e) {
      return { error: { code: e.code, message: e.message }, streams: window.__streams.length };
    } finally {
      navigator.mediaDevices.getUserMedia = getUserMedia;
    }
  }, { app, input, ageRule, photo });
}

async function auditEvents(app) {
  const log = await page.evaluate((a) => import('/sdk/dist/index.js').then((m) => m.EntrySDK.getInstance(a).auditLog()), app);
  return log.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).event);
}

test('an adult registers with a passport: profile from the MRZ, the number only as a digest', async () => {
  const personA = join(faces, 'liveness/nuaa-train/live/0001/0001_00_00_02_141.jpg');
  const { user, error } = await register('adult.example', { kind: 'mrz', text: ADULT }, { name: 'alcohol' }, personA);
  assert.ok(user, JSON.stringify(error));
  assert.equal(user.isRegistrationComplete, true);
  assert.equal(user.isUnderAge, false);
  assert.equal(user.dateOfBirth, '1990-02-14');
  assert.equal(user.photoIdentityDocumentType, 'passport');
  assert.equal(user.photoIdentityDocumentExpiry, '2034-01-01');
  assert.equal(user.nationality, 'SWE');
  assert.match(user.photoIdentityDocumentNumber, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(user).includes('X4711K02'), 'the document number itself is never kept');
});

test("a document whose portrait is someone else's is refused", async () => {
  const personB = join(faces, 'liveness/nuaa-train/live/0002/0002_01_00_01_109.jpg');
  const { error } = await register('mismatch.example', { kind: 'mrz', text: ADULT }, undefined, personB);
  assert.equal(error?.code, 'FACE_MATCH_FAILED');
  assert.match(error.message, /document photo/);
});

test('an expired document is refused before the camera opens', async () => {
  const { error, streams } = await register('expired.example', { kind: 'mrz', text: EXPIRED });
  assert.equal(error?.code, 'DOCUMENT_EXPIRED');
  assert.equal(streams, 0);
  const malformed = await register('expired.example', { kind: 'mrz', text: ADULT.replace('X4711K02', 'X4711K03') });
  assert.equal(malformed.error?.code, 'DOCUMENT_INVALID');
  assert.match(malformed.error.message, /document number/i);
});

test('an under-13 user under COPPA is flagged, keeps no template, and is audited without an id', async () => {
  const { user, error } = await register('kids.example', { kind: 'mrz', text: CHILD }, { name: 'coppa' });
  assert.ok(user, JSON.stringify(error));
  assert.equal(user.isUnderAge, true);
  assert.equal(user.isRegistrationComplete, false);
  assert.equal(user.sessionToken, null);
  const events = await auditEvents('kids.example');
  assert.deepEqual(events.map((e) => e.type), ['under_age']);
  assert.equal(events[0].user_id, null);
  assert.match(events[0].rule, /coppa/i);
  const found = await page.evaluate(() => import('/sdk/dist/index.js').then((m) =>
    m.EntrySDK.getInstance('kids.example').identifyUser(false, document.body).then((u) => u.entryUserId, (e) => e.code)));
  assert.equal(found, 'USER_NOT_FOUND');
});
