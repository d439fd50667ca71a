// The smallest app a web developer writes: import the SDK by its package name and register a face.
// Built by Vite and by webpack from the packed tarball; the test calls window.register().
import { EntrySDK } from 'entry-face-sdk';

window.register = async () => {
  const sdk = EntrySDK.getInstance('bundled.entry.local', { modelsUrl: '/models/', resultDisplayMs: 0 });
  try {
    const user = await sdk.identifyUser(true, document.getElementById('login'));
    return { user };
  } catch (e) {
    return { error: { code: e.code, message: e.message } };
  }
};
window.ready = true;
