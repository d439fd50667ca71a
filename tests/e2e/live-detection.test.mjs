// The demo page opens the (fake) camera, sends frames to the wasm core and draws the detections.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { artifacts, fakeCameraClip, faces, launch, startServer } from './harness.mjs';

let server, url;
before(async () => ({ server, url } = await startServer()));
after(() => server.close());

test('a real face on the camera reaches wasm and is detected where it is', async () => {
  // A single frontal face; in the 640x480 clip its centre lies near (333, 186): its box centre in the 560x415 photo (291.5, 159.8), scaled by 640/560 and padded 3 px down (measured with
  // `entry detect` on the padded frame and checked by eye on the screenshot).
  const browser = await launch({ clip: fakeCameraClip(join(faces, 'identities/deepface/person02/img12.jpg')) });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}live-detection.html`);
    await page.waitForFunction(() => window.entryDemo.error || (window.entryDemo.framesProcessed >= 3 && window.entryDemo.detections.length > 0), null, { timeout: 180_000 });
    const state = await page.evaluate(() => window.entryDemo);
    await page.screenshot({ path: join(artifacts, 'live-detection.png') });
    assert.equal(state.error, null, JSON.stringify(state.error));
    assert.deepEqual(errors, []);
    assert.deepEqual(state.frameSize, { width: 640, height: 480 });
    assert.equal(state.detections.length, 1, 'exactly one face in the photo');
    const { bbox, score } = state.detections[0];
    assert.ok(score >= 0.65, `score ${score}`);
    const [cx, cy] = [(bbox.x1 + bbox.x2) / 2, (bbox.y1 + bbox.y2) / 2];
    const [ex, ey] = [333, 186];
    assert.ok(Math.abs(cx - ex) < 40 && Math.abs(cy - ey) < 40, `face centre (${cx}, ${cy}) far from (${ex}, ${ey})`);
    assert.ok(bbox.x2 - bbox.x1 > 60, 'the face is not tiny');
  } finally {
    await browser.close();
  }
});
