// `<entry-login>` (entry-face-sdk/element) in Chromium with the fake camera playing a real recording:
// attributes configure the check, a click runs it, and every state comes out as a DOM event.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchProfile, newProfileDir, recordingClip, startServer } from './harness.mjs';

let server;
let url;
let context;
let page;
const profile = newProfileDir();

before(async () => {
  ({ server, url } = await startServer());
  context = await launchProfile(profile, { clip: recordingClip('live/0001', '0001_00_00_01') });
  page = await context.newPage();
  await page.goto(`${url}components-blank`);
  await page.evaluate(async () => {
    const { defineEntryLogin } = await import('/sdk/dist/element/entry-login.js');
    defineEntryLogin();
    defineEntryLogin(); // a second definition is a no-op, not a DOMException
  });
});

after(async () => {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
});

/**
 * Adds `<entry-login>` with `attributes`, clicks its button (or calls `start()`/`cancel()`), and
 * returns the events it dispatched up to its success or failure, and whether the camera was released.
 */
function check(attributes, { how = 'click' } = {}) {
  return page.evaluate(
    async ({ attributes, how }) => {
      const element = document.createElement('entry-login');
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      element.textContent = 'Sign in with your face';
      document.body.append(element);
      const events = [];
      const done = new Promise((resolve) => {
        for (const type of ['entry-state', 'entry-success', 'entry-failure']) {
          document.addEventListener(type, (e) => {
            events.push({ type, state: e.detail.state, user: e.detail.user, code: e.detail.error?.code });
            if (type !== 'entry-state') resolve();
          });
        }
      });
      const button = element.shadowRoot.querySelector('button');
      if (how === 'click') button.click();
      else {
        element.start().catch(() => undefined);
        if (how === 'cancel') setTimeout(() => element.cancel(), 300);
      }
      const disabledWhileRunning = button.disabled;
      await done;
      const streams = [...document.querySelectorAll('video')].map((v) => v.srcObject).filter(Boolean);
      element.remove();
      return { events, disabledWhileRunning, enabledAfter: !button.disabled, liveStreams: streams.length };
    },
    { attributes, how },
  );
}

let registered;

test('a click registers the person, with every state as an event, and the camera is released', async () => {
  const r = await check({ app: 'element.entry.local', register: '', models: '/models/' });
  const states = r.events.filter((e) => e.type === 'entry-state').map((e) => e.state);
  for (const state of ['loading', 'camera', 'collecting', 'matching', 'success']) {
    assert.ok(states.includes(state), `${state} in ${states}`);
  }
  const success = r.events.find((e) => e.type === 'entry-success');
  assert.ok(success?.user?.isRegistrationComplete, JSON.stringify(r.events));
  assert.equal(r.disabledWhileRunning, true);
  assert.equal(r.enabledAfter, true);
  assert.equal(r.liveStreams, 0, 'no camera left open');
  registered = success.user.entryUserId;
});

test('mode="verify" with the user attribute verifies that person', async () => {
  const r = await check({ app: 'element.entry.local', mode: 'verify', user: registered }, { how: 'start' });
  const success = r.events.find((e) => e.type === 'entry-success');
  assert.equal(success?.user?.entryUserId, registered, JSON.stringify(r.events));
});

test('a missing app or user attribute and an unknown liveness mode fail with INVALID_CONFIGURATION', async () => {
  for (const attributes of [{}, { app: 'element.entry.local', mode: 'verify' }, { app: 'other.entry.local', liveness: 'sometimes' }]) {
    const r = await check(attributes);
    assert.deepEqual(r.events.map((e) => [e.type, e.code]), [['entry-failure', 'INVALID_CONFIGURATION']], JSON.stringify(attributes));
    assert.equal(r.enabledAfter, true);
  }
});

test('cancel() stops a running check with USER_CANCELLED and releases the camera', async () => {
  const r = await check({ app: 'element.entry.local' }, { how: 'cancel' });
  const failure = r.events.find((e) => e.type === 'entry-failure');
  assert.equal(failure?.code, 'USER_CANCELLED', JSON.stringify(r.events));
  assert.equal(r.liveStreams, 0);
});
