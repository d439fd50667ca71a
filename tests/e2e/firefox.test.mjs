// The user-facing subset (engine-subset.mjs) in Firefox ESR: Debian's, over WebDriver BiDi through
// Playwright.
import { engineSubset, playwrightPages } from './engine-subset.mjs';
import { launchFirefox } from './harness.mjs';

engineSubset('Firefox', async () => playwrightPages(await launchFirefox()));
