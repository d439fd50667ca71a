// A React app with <EntryLogin> from entry-face-sdk/react (React is the app's, not the SDK's). The
// test clicks the button and reads window.result and the states onState heard.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { EntryLogin } from 'entry-face-sdk/react';

window.states = [];
const app = createElement(
  EntryLogin,
  {
    app: 'react.entry.local',
    register: true,
    options: { modelsUrl: '/models/', resultDisplayMs: 0 },
    onState: (state) => window.states.push(state),
    onSuccess: (user) => (window.result = { user }),
    onFailure: (error) => (window.result = { error: { code: error.code, message: error.message } }),
  },
  'Sign in with your face',
);
createRoot(document.getElementById('root')).render(app);
window.ready = true;
