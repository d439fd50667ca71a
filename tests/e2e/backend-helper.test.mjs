// `entry-face-sdk/server`'s verifyAssertion against the real entry-server: an assertion the server
// signed for a real registration verifies from its JWKS URL; altered, misdirected, expired,
// replayed-elsewhere and foreign-key assertions are refused with the SDK's error codes.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { faces, root } from './harness.mjs';
import { startEntryServer } from './entry-server.mjs';

const { verifyAssertion } = await import(join(root, 'npm/dist/server/index.js'));

/** The first `n` frames of a NUAA recording, in order. */
function recording(dir, session, n) {
  const folder = join(faces, 'liveness/nuaa-train', dir);
  return readdirSync(folder)
    .filter((f) => f.startsWith(`${session}_`))
    .sort((a, b) => Number(a.split('_').pop().split('.')[0]) - Number(b.split('_').pop().split('.')[0]))
    .slice(0, n)
    .map((f) => join(folder, f));
}

let server;
let registered;
before(async () => {
  server = await startEntryServer('shop.example', ['shop.example']);
  registered = server.login('register', recording('live/0001', '0001_00_00_01', 12));
  assert.equal(registered.status, 200, JSON.stringify(registered));
});
after(() => server?.stop());

test('an assertion from a real registration verifies against the server JWKS', async () => {
  const jwksUrl = `${server.url}/.well-known/jwks.json`;
  const { claims, kid } = await verifyAssertion(registered.answer.assertion, {
    jwksUrl, audience: 'shop.example', nonce: registered.nonce, maxAge: 60,
  });
  assert.equal(claims.sub, registered.answer.user.entryUserId);
  assert.equal(claims.new_user, true);
  assert.equal(claims.device_known, false);
  assert.deepEqual(claims.amr, ['face']);
  assert.match(kid, /^v1-/);
  const keys = await (await fetch(jwksUrl)).json();
  assert.equal((await verifyAssertion(registered.answer.assertion, { keys, audience: 'shop.example' })).claims.sub,
    claims.sub, 'the keys can be given instead of a URL');
});

test('altered, misdirected, expired or foreign assertions are refused with typed errors', async () => {
  const jwksUrl = `${server.url}/.well-known/jwks.json`;
  const jws = registered.answer.assertion;
  const options = { jwksUrl, audience: 'shop.example' };
  const code = (promise) => promise.then(() => 'accepted', (e) => e.code);
  const [header, claims, signature] = jws.split('.');
  const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString());
  const altered = Buffer.from(JSON.stringify({ ...decoded, sub: 'someone-else' })).toString('base64url');
  assert.equal(await code(verifyAssertion(`${header}.${altered}.${signature}`, options)), 'SESSION_INVALID');
  assert.equal(await code(verifyAssertion(jws, { ...options, audience: 'bank.example' })), 'SESSION_INVALID');
  assert.equal(await code(verifyAssertion(jws, { ...options, nonce: 'another-attempt' })), 'SESSION_INVALID');
  assert.equal(await code(verifyAssertion(jws, { ...options, now: (decoded.exp + 31) * 1000 })), 'SESSION_EXPIRED');
  assert.equal(await code(verifyAssertion(jws, { ...options, maxAge: 10, now: (decoded.iat + 60) * 1000 })),
    'SESSION_EXPIRED');
  assert.equal(await code(verifyAssertion('not.a-jws', options)), 'SESSION_INVALID');
  const none = Buffer.from(JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(header, 'base64url')).kid }))
    .toString('base64url');
  assert.equal(await code(verifyAssertion(`${none}.${claims}.`, options)), 'SESSION_INVALID', 'alg none is refused');

  // Signed by a key the server never published, under a kid of its own or of the server's.
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  const sign = async (kid) => {
    const head = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid })).toString('base64url');
    const sig = await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, Buffer.from(`${head}.${claims}`));
    return `${head}.${claims}.${Buffer.from(sig).toString('base64url')}`;
  };
  assert.equal(await code(verifyAssertion(await sign('v9-attacker'), options)), 'SESSION_INVALID');
  const serverKid = JSON.parse(Buffer.from(header, 'base64url')).kid;
  assert.equal(await code(verifyAssertion(await sign(serverKid), options)), 'SESSION_INVALID');
  assert.equal(await code(verifyAssertion(jws, { jwksUrl: 'http://127.0.0.1:9/jwks.json', audience: 'shop.example' })),
    'NETWORK_ERROR');
});

test('a stranger gets no assertion from the server', () => {
  const refused = server.login('verify', recording('live/0002', '0002_01_00_01', 12), registered.answer.user.entryUserId);
  assert.equal(refused.status, 422);
  assert.equal(refused.answer.code, 'FACE_MATCH_FAILED');
  assert.equal(refused.answer.assertion, undefined);
});
