// The page and the dashboard against a server run with --api-keys-file: without the key they
// show the 401, with the key typed into the header field they work, result preview included
// (fetched with the key, shown from a blob: URL since an <img> cannot send one), and a batch's ZIP
// (a link cannot send the key either: the page fetches it with the key and saves that), on the
// upload page and on the dashboard, whose batch link opens the batch fetched with the key.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
  let batchId;

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

  test('with the key a batch is followed and its ZIP downloads (fetched with the key)', async () => {
    await page.goto(`${server.baseUrl}/`);
    assert.equal(await page.inputValue('#api-key'), KEY);  // kept for the tab
    await page.setInputFiles('#file', [photoPath, join(dirname(photoPath), 'progressive.jpg')]);
    await page.fill('#width', '90');
    await page.fill('#height', '60');
    await page.click('#submit');
    await page.locator('#batch-summary', { hasText: /Done\.$/ }).waitFor();
    assert.equal(await page.textContent('#batch-summary'), '2 tasks: 2 succeeded. Done.');
    batchId = await page.textContent('#batch-id');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-archive')]);
    assert.equal(download.suggestedFilename(), `batch-${batchId}.zip`);
    const zip = await readFile(await download.path());
    assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP, not the 401 answer');
  });

  test('the dashboard is live with the key of the tab', async () => {
    await page.goto(`${server.baseUrl}/dashboard`);
    assert.equal(await page.inputValue('#api-key'), KEY);  // kept for the tab
    await page.locator('#connection', { hasText: /live/i }).waitFor();
  });

  test("the dashboard's batch link and ZIP are fetched with the key", async () => {
    assert.ok(batchId, 'an earlier test made a batch');
    await page.goto(`${server.baseUrl}/dashboard`);
    const row = page.locator(`#batches tr[data-batch-id="${batchId}"]`);
    await row.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('td.archive a').click()]);
    assert.equal(download.suggestedFilename(), `batch-${batchId}.zip`);
    const zip = await readFile(await download.path());
    assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP, not the 401 answer');

    const [opened] = await Promise.all([page.waitForEvent('popup'), row.locator('td:nth-child(1) a').click()]);
    await opened.waitForLoadState();
    assert.match(opened.url(), /^blob:/);
    const batch = JSON.parse(await opened.evaluate(() => document.querySelector('pre').textContent));
    assert.equal(batch.batch_id, batchId);
    assert.equal(batch.summary.SUCCESS, 2);
    await opened.close();
    assert.equal(await page.textContent('#batches-error'), '');
  });
});
