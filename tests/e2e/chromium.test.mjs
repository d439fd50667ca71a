// The user-facing subset (engine-subset.mjs) in Chromium, with the same camera stand-in as Firefox
// and WebKit, so the three engines pass one file's assertions on the same frames. (The rest of the
// end-to-end suite runs in Chromium with its fake camera playing the recordings as video.)
import { engineSubset, playwrightPages } from './engine-subset.mjs';
import { launch } from './harness.mjs';

engineSubset('Chromium', async () => playwrightPages(await launch()));
