// Face login demo: the four calls a web app makes. Settings come from the query string
// (?mode=device|server&liveness=off|passive|adaptive|passive_and_active&lang=en|de) because an SDK
// instance keeps its options. In server mode the demo's entry-server decides (the app's capture
// policy is the server's) and the demo backend (/demo/login) verifies the assertion.
import { EntrySDK } from '/sdk/dist/index.js';

const params = new URLSearchParams(location.search);
const settings = document.getElementById('settings');
settings.mode.value = params.get('mode') ?? 'device';
settings.liveness.value = params.get('liveness') ?? 'passive';
settings.lang.value = params.get('lang') ?? 'en';
const capture = document.getElementById('capture');
const result = document.getElementById('result');
const models = document.getElementById('models');
const buttons = Object.fromEntries(['register', 'identify', 'verify', 'delete'].map((id) => [id, document.getElementById(id)]));

// Read by the end-to-end tests.
const demo = (window.entryDemo = { lastUser: JSON.parse(localStorage.getItem('entry-demo-user') ?? 'null'), states: [] });
let serverMode = false;

/** The SDK in the chosen mode, once the demo server said whether an entry-server runs beside it. */
const ready = fetch('/demo/config.json')
  .then((r) => r.json())
  .catch(() => ({ entryServer: null }))
  .then(({ entryServer }) => {
    settings.mode.querySelector('[value=server]').disabled = entryServer === null;
    serverMode = settings.mode.value === 'server' && entryServer !== null;
    if (!serverMode) settings.mode.value = 'device';
    const sdk = EntrySDK.getInstance('demo.entry.local', {
      modelsUrl: '/models/',
      language: settings.lang.value,
      ...(serverMode ? { server: { url: entryServer } } : { liveness: settings.liveness.value }),
    });
    sdk.addEventListener('state', (e) => demo.states.push(e.detail.state));
    sdk.addEventListener('progress', (e) => {
      const p = e.detail;
      models.textContent = `${p.file}: ${p.fromCache ? 'from cache' : `${Math.round((100 * p.loaded) / p.total)}%`}`;
    });
    sdk.preload().catch((e) => show({ error: { code: e.code, message: e.message } }));
    return sdk;
  });

function show(outcome) {
  result.classList.toggle('error', 'error' in outcome);
  const shown = outcome.backend ? { user: outcome.user, backend: outcome.backend } : outcome.user ?? outcome.error ?? outcome;
  result.textContent = JSON.stringify(shown, null, 2);
  buttons.verify.disabled = !demo.lastUser;
  // Erasure in server mode is the backend's (with the app's API key), not the page's.
  buttons.delete.disabled = !demo.lastUser || serverMode;
}

/** What the app's backend does with an assertion: verify it, then trust the claims. */
function backendLogin(assertion) {
  return fetch('/demo/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ assertion }),
  }).then((r) => r.json());
}

/** Runs one SDK call and reports `{ user, backend? }`, `{ deleted }` or `{ error: { code, message, retryable } }`. */
async function run(action) {
  try {
    const sdk = await ready;
    let outcome;
    if (action === 'register') outcome = { user: await sdk.identifyUser(true, capture) };
    if (action === 'identify') outcome = { user: await sdk.identifyUser(false, capture) };
    if (action === 'verify') outcome = { user: await sdk.verifyUser(demo.lastUser.entryUserId, capture) };
    if (action === 'delete') {
      await sdk.deleteUser(demo.lastUser.entryUserId);
      outcome = { deleted: demo.lastUser.entryUserId };
      demo.lastUser = null;
    }
    if (outcome.user?.assertion) outcome.backend = await backendLogin(outcome.user.assertion);
    if (outcome.user) demo.lastUser = outcome.user;
    localStorage.setItem('entry-demo-user', JSON.stringify(demo.lastUser));
    show(outcome);
    return outcome;
  } catch (e) {
    const outcome = { error: { code: e.code ?? 'UNKNOWN_ERROR', message: e.message, retryable: e.retryable } };
    show(outcome);
    return outcome;
  }
}
demo.run = run;
for (const [action, button] of Object.entries(buttons)) button.addEventListener('click', () => run(action));
show({ status: demo.lastUser ? `last user ${demo.lastUser.entryUserId}` : 'no user yet' });
