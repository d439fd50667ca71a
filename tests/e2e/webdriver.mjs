// WebKitGTK for the end-to-end tests: Debian's MiniBrowser, driven by its WebKitWebDriver over W3C
// WebDriver (classic, HTTP), on a private Xvfb display (WebKitGTK has no headless mode). Playwright
// cannot drive it: Playwright's WebKit is its own patched build, downloaded from a CDN not reachable
// here. The few WebDriver commands the tests need are below; each answer's error is thrown as is.
import { spawn } from 'node:child_process';
import { freePort } from './harness.mjs';

const WEBDRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';

/** Starts `Xvfb` on a display it picks; resolves with the process and the display (`:N`). */
async function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise((ok, fail) => {
    let text = '';
    xvfb.stdio[3].on('data', (d) => {
      text += d;
      if (text.includes('\n')) ok(`:${text.trim()}`);
    });
    xvfb.on('exit', (code) => fail(new Error(`Xvfb exited with ${code}`)));
  });
  return { xvfb, display };
}

/** One WebDriver session: a MiniBrowser window with one profile for its whole life. */
class Session {
  constructor(base, id, stop) {
    this.base = base;
    this.id = id;
    this.stop = stop;
  }

  async command(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${path}: ${value?.error}: ${value?.message}`);
    return value;
  }

  /**
   * Loads `url` and waits for its load event. WebKitWebDriver may answer the navigation before the
   * new document has loaded (seen: readyState `interactive`, and scripts that then ran in the page
   * being left), so the old document is marked and the new one awaited until `complete`.
   */
  async goto(url) {
    const sync = (script) => this.command('POST', '/execute/sync', { script, args: [] });
    await sync('window.__leaving = true');
    await this.command('POST', '/url', { url });
    for (let i = 0; (await sync('return window.__leaving ? "old" : document.readyState')) !== 'complete'; i++) {
      if (i === 600) throw new Error(`${url} did not load in 30 s`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  /**
   * `fn(arg)` in the page, awaited: as Playwright's `page.evaluate`, `fn` travels as source, so it
   * may use only its argument. Rejections come back as errors.
   */
  async evaluate(fn, arg, timeoutMs = 300_000) {
    await this.command('POST', '/timeouts', { script: timeoutMs });
    const script = `const done = arguments[1];
      Promise.resolve().then(() => (${fn})(arguments[0])).then(
        (value) => done({ value: value === undefined ? null : value }),
        (e) => done({ error: String(e && e.stack || e) }));`;
    const answer = await this.command('POST', '/execute/async', { script, args: [arg ?? null] });
    if (answer.error) throw new Error(answer.error);
    return answer.value;
  }

  /**
   * Clicks the element `find()` returns in the page (a real pointer click, as WebDriver performs it;
   * a script finds it because WebDriver's selectors do not enter shadow roots).
   */
  async click(find) {
    const found = await this.command('POST', '/execute/sync', { script: `return (${find})()`, args: [] });
    const element = found && Object.values(found)[0];
    if (!element) throw new Error(`nothing to click: ${find}`);
    await this.command('POST', `/element/${element}/click`, {});
  }

  async close() {
    await this.command('DELETE', '').catch(() => undefined);
    this.stop();
  }
}

/** A new MiniBrowser session under its own Xvfb; `close()` ends the browser, the driver and Xvfb. */
export async function launchWebKit() {
  const { xvfb, display } = await startXvfb();
  const port = await freePort();
  const driver = spawn(WEBDRIVER, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: display },
    stdio: 'ignore',
  });
  const stop = () => {
    driver.kill();
    xvfb.kill();
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${base}/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ capabilities: { alwaysMatch: {} } }),
        });
        const { value } = await res.json();
        if (!res.ok) throw new Error(`WebDriver new session: ${value?.error}: ${value?.message}`);
        return new Session(base, value.sessionId, stop);
      } catch (e) {
        if (i === 100 || !String(e.cause ?? e).includes('ECONNREFUSED')) throw e;
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
  } catch (e) {
    stop();
    throw e;
  }
}
