// Presets on the upload page in headless Chromium against the real image-resize binary: with
// --presets-file the page offers each preset as a checkbox and the checked ones make a batch of
// their outputs; with --only-presets too the size fields and output rows are gone and an upload
// without a preset is stopped on the page, no request sent; without a presets file the page
// shows no Presets fieldset and works as before.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { requiredEnv, startServer } from './server.mjs';

const PRESETS = {
  thumb: [{ name: 'thumb', width: 150, height: 150, fit: 'cover', format: 'webp' }],
  card: [{ name: 'card', width: 600 }, { name: 'card_2x', width: 600, dpr: 2 }],
};
const PHOTO = 'photo.jpg';  // tests/fixtures/images, 300x200
const WAIT_MS = 60_000;  // generous: the machine may be busy building
const RESIZE_URL = '/api/v1/images/resize';

// A server started with the presets file written to its work dir, plus `flags`.
const withPresets = (...flags) => startServer(async (workDir) => {
  const file = join(workDir, 'presets.json');
  await writeFile(file, JSON.stringify(PRESETS));
  return ['--presets-file', file, ...flags];
});

describe('presets on the web page', { timeout: 180_000 }, () => {
  let browser;
  let photoPath;

  before(async () => {
    photoPath = join(requiredEnv('IMAGE_RESIZE_FIXTURES'), 'images', PHOTO);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  // A server from `start` and a watched page on it, for one describe block.
  function serverAndPage(start) {
    const session = {};
    before(async () => {
      session.server = await start();
      Object.assign(session, await openWatchedPage(browser, {
        timeoutMs: WAIT_MS, viewport: { width: 1280, height: 800 },
      }));
    });
    after(async () => {
      await session.context?.close();
      await session.server?.stop();
    });
    return session;
  }

  // The batch table once every task has ended, as "output WxH format" sorted.
  async function finishedBatch(page) {
    await page.locator('#batch-summary', { hasText: /Done\.$/ }).waitFor();
    const rows = await page.locator('#batch-tasks tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      output: tr.cells[1].textContent,
      state: tr.cells[2].textContent,
      size: tr.cells[3].textContent.replace(/,.*$/, ''),
    })));
    return rows.sort((a, b) => a.output.localeCompare(b.output));
  }

  describe('with --presets-file', () => {
    const session = serverAndPage(() => withPresets());

    test('each preset is a labelled checkbox with its outputs', async () => {
      const { page, server } = session;
      await page.goto(`${server.baseUrl}/`);
      await page.locator('#preset-list input[value="thumb"]').waitFor();
      assert.equal(await page.isVisible('#presets'), true);
      const labels = await page.locator('#preset-list label').allTextContents();
      assert.deepEqual(labels.map((text) => text.trim()).sort(),
        ['card: card 600 wide, card_2x 600 wide @2x', 'thumb: 150×150 webp']);
      assert.equal(await page.getByLabel('thumb: 150×150 webp').isChecked(), false);
      assert.equal(await page.isHidden('#presets-only'), true);
      assert.equal(await page.isVisible('#width'), true);
      assert.equal(await page.isVisible('#add-variant'), true);
    });

    test('one file with presets thumb and card: a batch of thumb, card and card_2x, all SUCCESS', async () => {
      const { page, server, watched } = session;
      await page.goto(`${server.baseUrl}/`);
      await page.setInputFiles('#file', photoPath);
      await page.check('#preset-list input[value="thumb"]');
      await page.check('#preset-list input[value="card"]');
      await page.click('#submit');
      await page.locator('#batch').waitFor();
      assert.deepEqual(await finishedBatch(page), [
        { output: 'card', state: 'SUCCESS', size: '600x400 jpeg' },
        { output: 'card_2x', state: 'SUCCESS', size: '1200x800 jpeg' },
        { output: 'thumb', state: 'SUCCESS', size: '150x150 webp' },
      ], `batch error: ${await page.textContent('#batch-error')}`);
      assert.equal(await page.textContent('#batch-summary'), '3 tasks: 3 succeeded. Done.');
      assert.deepEqual(watched.errors, []);
    });
  });

  describe('with --only-presets', () => {
    const session = serverAndPage(() => withPresets('--only-presets', 'true'));

    test('width, height, pixel ratio and outputs are not offered, and the page says why', async () => {
      const { page, server } = session;
      await page.goto(`${server.baseUrl}/`);
      await page.locator('#presets-only').waitFor();
      for (const id of ['#width', '#height', '#dpr', '#size-hint', '#add-variant']) {
        assert.equal(await page.isHidden(id), true, `${id} hidden`);
      }
      for (const id of ['#width', '#height', '#dpr']) {
        assert.equal(await page.isDisabled(id), true, `${id} disabled`);
      }
      assert.match(await page.textContent('#presets-only'), /only its presets/);
    });

    test('without a preset the page says so and sends no request', async () => {
      const { page, server, watched } = session;
      await page.goto(`${server.baseUrl}/`);
      await page.locator('#presets-only').waitFor();
      await page.setInputFiles('#file', photoPath);
      const sentBefore = watched.requests.filter((url) => url.endsWith(RESIZE_URL)).length;
      await page.click('#submit');
      await page.locator('#form-error', { hasText: 'preset' }).waitFor();
      assert.match(await page.textContent('#form-error'), /^Not sent: Choose at least one preset/);
      assert.equal(await page.getAttribute('#presets', 'aria-invalid'), 'true');
      assert.equal(watched.requests.filter((url) => url.endsWith(RESIZE_URL)).length, sentBefore);
      assert.equal(await page.isHidden('#batch'), true);
    });

    test('with a preset the upload is accepted and its output succeeds', async () => {
      const { page, server, watched } = session;
      await page.goto(`${server.baseUrl}/`);
      await page.locator('#presets-only').waitFor();
      await page.setInputFiles('#file', photoPath);
      await page.check('#preset-list input[value="thumb"]');
      await page.click('#submit');
      await page.locator('#batch').waitFor();
      assert.deepEqual(await finishedBatch(page), [{ output: 'thumb', state: 'SUCCESS', size: '150x150 webp' }],
        `form error: ${await page.textContent('#form-error')}`);
      assert.deepEqual(watched.errors, []);
    });
  });

  describe('without a presets file', () => {
    const session = serverAndPage(() => startServer());

    test('no Presets fieldset, and the size fields work as before', async () => {
      const { page, server, watched } = session;
      const listed = page.waitForResponse((response) => response.url().endsWith('/api/v1/presets'));
      await page.goto(`${server.baseUrl}/`);
      assert.deepEqual(await (await listed).json(), { only_presets: false, presets: [] });
      await page.setInputFiles('#file', photoPath);
      await page.fill('#width', '120');
      await page.fill('#height', '80');
      await page.click('#submit');
      await page.locator('#task-status', { hasText: /^(SUCCESS|FAILURE)$/ }).waitFor();
      assert.equal(await page.textContent('#task-status'), 'SUCCESS');
      assert.equal(await page.textContent('#result-size'), '120x80');
      assert.equal(await page.isHidden('#presets'), true);
      assert.equal(await page.locator('#preset-list input').count(), 0);
      assert.deepEqual(watched.errors, []);
    });
  });
});
