// The page and the dashboard against a server run with --api-keys-file: without the key they
// show the 401, with the key typed into the header field they work, result preview included
// (fetched with the key, shown from a blob: URL since an <img> cannot send one).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { requiredEnv, startServer } from './server.mjs';

const KEY = 'e2e-key-4b9d2f7a1c3e5f60';
const WAIT_MS = 30_000;

describe('API keys in the browser', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let page;
  let photoPath;

  before(async () => {
    photoPath = join(requiredEnv('IMAGE_RESIZE_FIXTURES'), 'images', 'photo.jpg');
    server = await startServer(async (workDir) => {
      const file = join(workDir, 'keys');
      await writeFile(file, `${KEY} e2e\n`);
      return ['--api-keys-file', file];
    });
    browser = await launchBrowser();
    ({ page } = await openWatchedPage(browser, {
      timeoutMs: WAIT_MS, viewport: { width: 1280, height: 800 },
    }));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function submit() {
    await page.setInputFiles('#file', photoPath);
    await page.fill('#width', '90');
    await page.fill('#height', '60');
    await page.selectOption('#format', 'png');
    await page.click('#submit');
  }

  test('without the key the upload shows 401 unauthorized', async () => {
    await page.goto(`${server.baseUrl}/`);
    await submit();
    await page.locator('#form-error', { hasText: 'unauthorized' }).waitFor();
  });

  test('with the key the task succeeds and the result is shown and downloadable', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.fill('#api-key', KEY);
    await page.press('#api-key', 'Tab');  // a change event stores it for the tab
    await submit();
    await page.locator('#task-status', { hasText: /^(SUCCESS|FAILURE)$/ }).waitFor();
    assert.equal(await page.textContent('#task-status'), 'SUCCESS');
    await page.waitForFunction(() => {
      const image = document.getElementById('result-image');
      return image.complete && image.naturalWidth > 0;
    });
    const natural = await page.$eval('#result-image', (image) => [image.naturalWidth, image.naturalHeight]);
    assert.deepEqual(natural, [90, 60]);
    const href = await page.getAttribute('#result-download', 'href');
    assert.match(href, /^blob:/);
  });

  test('the dashboard is live with the key of the tab', async () => {
    await page.goto(`${server.baseUrl}/dashboard`);
    assert.equal(await page.inputValue('#api-key'), KEY);  // kept for the tab
    await page.locator('#connection', { hasText: /live/i }).waitFor();
  });
});
