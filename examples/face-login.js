// Face login demo: the four calls a web app makes. Settings come from the query string
// (?liveness=off|passive|adaptive|passive_and_active&lang=en|de) because an SDK instance keeps its options.
import { EntrySDK } from '/sdk/dist/index.js';

const params = new URLSearchParams(location.search);
const settings = document.getElementById('settings');
settings.liveness.value = params.get('liveness') ?? 'passive';
settings.lang.value = params.get('lang') ?? 'en';

const sdk = EntrySDK.getInstance('demo.entry.local', {
  modelsUrl: '/models/',
  liveness: settings.liveness.value,
  language: settings.lang.value,
});
const capture = document.getElementById('capture');
const result = document.getElementById('result');
const models = document.getElementById('models');
const buttons = Object.fromEntries(['register', 'identify', 'verify', 'delete'].map((id) => [id, document.getElementById(id)]));

// Read by the end-to-end tests.
const demo = (window.entryDemo = { lastUser: JSON.parse(localStorage.getItem('entry-demo-user') ?? 'null'), states: [] });
sdk.addEventListener('state', (e) => demo.states.push(e.detail.state));
sdk.addEventListener('progress', (e) => {
  const p = e.detail;
  models.textContent = `${p.file}: ${p.fromCache ? 'from cache' : `${Math.round((100 * p.loaded) / p.total)}%`}`;
});

function show(outcome) {
  result.classList.toggle('error', 'error' in outcome);
  result.textContent = JSON.stringify(outcome.user ?? outcome.error ?? outcome, null, 2);
  buttons.verify.disabled = buttons.delete.disabled = !demo.lastUser;
}

/** Runs one SDK call and reports `{ user }`, `{ deleted }` or `{ error: { code, message, retryable } }`. */
async function run(action) {
  try {
    let outcome;
    if (action === 'register') outcome = { user: await sdk.identifyUser(true, capture) };
    if (action === 'identify') outcome = { user: await sdk.identifyUser(false, capture) };
    if (action === 'verify') outcome = { user: await sdk.verifyUser(demo.lastUser.entryUserId, capture) };
    if (action === 'delete') {
      await sdk.deleteUser(demo.lastUser.entryUserId);
      outcome = { deleted: demo.lastUser.entryUserId };
      demo.lastUser = null;
    }
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
sdk.preload().catch((e) => show({ error: { code: e.code, message: e.message } }));
