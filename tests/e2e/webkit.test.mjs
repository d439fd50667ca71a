// The user-facing subset (engine-subset.mjs) in WebKitGTK: Debian's MiniBrowser under WebKitWebDriver
// and Xvfb (webdriver.mjs). One MiniBrowser window is the profile; a "new page" is a navigation in it.
// Without a GPU, WebKitGTK composites with Mesa's software GL on the page's main thread: that thread
// ran at 100% of a core while the camera played, and 10 ms timers came 60-220 ms late during a
// capture while the SDK's own main-thread tasks all stayed under 10 ms. So here the subset checks the
// SDK's tasks, not every stall of the main thread (`gapMonitor: false`).
import { engineSubset } from './engine-subset.mjs';
import { launchWebKit } from './webdriver.mjs';

engineSubset('WebKit', async () => {
  const session = await launchWebKit();
  const page = {
    evaluate: (fn, arg) => session.evaluate(fn, arg),
    click: (find) => session.click(find),
    reload: () => session.goto(page.url),
    close: () => session.goto('about:blank'),
  };
  return {
    async open(url) {
      page.url = url;
      await session.goto(url);
      return page;
    },
    close: () => session.close(),
  };
}, { gapMonitor: false });
