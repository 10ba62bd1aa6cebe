// The upload page and the dashboard in headless Chromium against the real image-resize binary.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { requiredEnv, startServer } from './server.mjs';

const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const PHOTO = { name: 'photo.jpg', width: 300, height: 200 };  // tests/fixtures/images/photo.jpg
const WAIT_MS = 30_000;  // generous: the machine may be busy building
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('web page and dashboard', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let context;
  let watched;
  let page;
  let photoPath;
  let failedTaskId;

  before(async () => {
    photoPath = join(requiredEnv('IMAGE_RESIZE_FIXTURES'), 'images', PHOTO.name);
    server = await startServer();
    browser = await launchBrowser();
    ({ context, watched, page } = await openWatchedPage(browser, {
      timeoutMs: WAIT_MS, viewport: { width: 1280, height: 800 },
    }));
    if (SCREENSHOTS) await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function submit({ file, width, height, fit = 'fill', format = 'png', gravity }) {
    await page.setInputFiles('#file', file);
    await page.fill('#width', String(width));
    await page.fill('#height', String(height));
    await page.selectOption('#fit', fit);
    await page.selectOption('#format', format);
    if (gravity) await page.selectOption('#gravity', gravity);
    await page.click('#submit');
  }

  // Waits until the task shown on the page has ended; returns its final status text.
  async function finalStatus() {
    await page.locator('#task-status', { hasText: /^(SUCCESS|FAILURE)$/ }).waitFor();
    return page.textContent('#task-status');
  }

  test('resizes an image: upload, status changes, result preview and download link', async () => {
    await page.goto(`${server.baseUrl}/`);
    await submit({ file: photoPath, width: 120, height: 80, fit: 'fill', format: 'png' });

    const status = await finalStatus();
    assert.equal(status, 'SUCCESS', `task error: ${await page.textContent('#task-error')}`);
    const taskId = await page.textContent('#task-id');
    assert.match(taskId, UUID);
    const history = await page.locator('#task-history li').allTextContents();
    assert.equal(history[0], 'PENDING');
    assert.equal(history.at(-1), 'SUCCESS');

    assert.equal(await page.textContent('#result-size'), '120x80');
    assert.equal(await page.textContent('#result-format'), 'png');
    await page.waitForFunction(() => {
      const image = document.getElementById('result-image');
      return image.complete && image.naturalWidth > 0;
    });
    const natural = await page.$eval('#result-image', (image) => [image.naturalWidth, image.naturalHeight]);
    assert.deepEqual(natural, [120, 80]);

    // The page shows what the status JSON says, and links the real result.
    const task = await (await fetch(`${server.baseUrl}/api/v1/status/${taskId}`)).json();
    assert.equal(task.result.url, `/api/v1/images/result/${taskId}`);
    assert.equal(await page.getAttribute('#result-image', 'src'), task.result.url);
    assert.equal(await page.getAttribute('#result-download', 'href'), task.result.url);
    assert.equal(await page.getAttribute('#result-download', 'download'), 'photo-120x80.png');
    assert.match(await page.textContent('#result-bytes'), new RegExp(`\\(${task.result.bytes.toLocaleString('en')} bytes\\)`));
    const download = await fetch(new URL(task.result.url, server.baseUrl));
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'image/png');
    assert.equal((await download.arrayBuffer()).byteLength, task.result.bytes);

    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOT_DIR, 'page.png') });
  });

  test('offers gravity for cover only, and sends the one picked', async () => {
    await page.goto(`${server.baseUrl}/`);
    assert.equal(await page.isVisible('#gravity'), false);
    await page.selectOption('#fit', 'cover');
    assert.equal(await page.isVisible('#gravity'), true);
    await submit({ file: photoPath, width: 80, height: 80, fit: 'cover', gravity: 'east' });
    assert.equal(await finalStatus(), 'SUCCESS');
    const taskId = await page.textContent('#task-id');
    const task = await (await fetch(`${server.baseUrl}/api/v1/status/${taskId}`)).json();
    assert.equal(task.request.gravity, 'east');
    assert.equal(task.request.progressive, false);
    assert.equal(task.request.dpr, 1);
  });

  test('format auto: the page names the formats this browser shows, and gets one of them', async () => {
    await page.goto(`${server.baseUrl}/`);
    await submit({ file: photoPath, width: 60, height: 40, format: 'auto' });
    assert.equal(await finalStatus(), 'SUCCESS', `task error: ${await page.textContent('#task-error')}`);
    const taskId = await page.textContent('#task-id');
    const task = await (await fetch(`${server.baseUrl}/api/v1/status/${taskId}`)).json();
    assert.equal(task.request.format, 'auto');
    // Chromium shows AVIF and WebP, so the page accepts both and AVIF is chosen.
    assert.deepEqual(task.request.accepts, ['avif', 'webp']);
    assert.equal(task.result.format, 'avif');
    assert.equal(await page.textContent('#result-format'), 'avif');
    await page.waitForFunction(() => {
      const image = document.getElementById('result-image');
      return image.complete && image.naturalWidth === 60;
    });
  });

  test('shows a 422 answer next to the form, with its code', async () => {
    watched.allow('/api/v1/images/resize', /status of 422/);
    await submit({ file: photoPath, width: 0, height: 80 });
    const code = page.locator('#form-error .error-code');
    await code.waitFor();
    assert.equal(await code.textContent(), 'invalid_size');
    assert.match(await page.textContent('#form-error'), /HTTP 422/);
    assert.equal(await page.getAttribute('#width', 'aria-invalid'), 'true');
  });

  test('shows a task that ends FAILURE with its error code', async () => {
    // The first 40% of a real JPEG: the header is valid, so it is accepted, then fails to decode.
    const photo = await readFile(photoPath);
    const truncated = photo.subarray(0, Math.floor(photo.length * 0.4));
    const previousTaskId = await page.textContent('#task-id');
    await submit({
      file: { name: 'truncated.jpg', mimeType: 'image/jpeg', buffer: truncated },
      width: 120, height: 80,
    });
    await page.waitForFunction((previous) => document.getElementById('task-id').textContent !== previous,
      previousTaskId);
    assert.equal(await page.textContent('#form-error'), '', 'the upload itself was accepted (202)');
    assert.equal(await finalStatus(), 'FAILURE');
    assert.equal(await page.textContent('#task-error .error-code'), 'decode_failed');
    assert.equal(await page.isHidden('#result'), true);
    failedTaskId = await page.textContent('#task-id');
  });

  test('dashboard shows the succeeded task, a live worker and the failure', async () => {
    assert.ok(failedTaskId, 'the FAILURE test ran first');
    const dashboard = await context.newPage();
    await dashboard.goto(`${server.baseUrl}/dashboard`);
    await dashboard.locator('.connection.live').waitFor();
    // Workers report their counts with each heartbeat (2 s), so this may take a few refreshes.
    await dashboard.waitForFunction((taskId) => {
      const succeeded = Number(document.getElementById('succeeded').textContent);
      const failed = Number(document.getElementById('failed').textContent);
      return succeeded >= 1 && failed >= 1
        && document.querySelector('#workers tr[data-alive="true"] .badge.alive') !== null
        && document.querySelector(`#failures tr[data-task-id="${taskId}"]`) !== null;
    }, failedTaskId).catch(async (error) => {
      const shown = (await dashboard.textContent('main')).replace(/\s+/g, ' ');
      throw new Error(`${error.message}\nwanted: succeeded >= 1, failed >= 1, an alive worker, `
        + `failure ${failedTaskId}\nthe dashboard shows: ${shown}`);
    });

    const row = dashboard.locator(`#failures tr[data-task-id="${failedTaskId}"]`);
    assert.match(await row.textContent(), /decode_failed/);
    assert.match(await dashboard.textContent('#workers tr[data-alive="true"] td:nth-child(3)'), /^\d+ \/ \d+$/);
    for (const priority of ['high', 'normal', 'low']) {
      assert.match(await dashboard.textContent(`#queue-${priority}`), /^\d+$/);
    }
    assert.match(await dashboard.textContent('#tasks-per-second'), /^\d+\.\d\d$/);
    assert.match(await dashboard.textContent('#p50'), /ms$/);
    assert.match(await dashboard.textContent('#p99'), /ms$/);

    // The page's uploads are normal priority: their queue waits are in that row.
    await dashboard.waitForFunction(() => Number(document.getElementById('wait-normal-tasks').textContent) >= 1);
    assert.match(await dashboard.textContent('#wait-normal-p50'), /\d (ms|s|min)$/);
    assert.match(await dashboard.textContent('#wait-normal-p99'), /\d (ms|s|min)$/);
    assert.equal(await dashboard.textContent('#wait-high-tasks'), '0');
    assert.equal(await dashboard.textContent('#wait-high-p50'), '—');

    // The history: the server sampled at start, so every chart has a point and says its value.
    for (const chart of ['throughput', 'queue', 'p99']) {
      await dashboard.waitForFunction((id) => !document.getElementById(id).classList.contains('empty'),
        `chart-${chart}`);
      assert.match(await dashboard.getAttribute(`#chart-${chart}`, 'aria-label'), /over the last 15 minutes: /);
    }
    assert.match(await dashboard.textContent('#chart-queue-caption'), /^now \d+ · peak \d+$/);
    const data = await (await fetch(`${server.baseUrl}/api/v1/dashboard`)).json();
    assert.equal(data.history.interval_seconds, 10);
    assert.ok(data.history.samples.length >= 1 && data.history.samples.length <= 90);
    assert.equal(data.operator, false, 'no keys and no --admin-on-loopback: nobody steers');
    assert.equal(await dashboard.isHidden('#operator-controls'), true);
    assert.equal(await dashboard.locator('#workers .steer:visible').count(), 0);

    if (SCREENSHOTS) {  // after three samples (20 s), so each chart draws a line
      await dashboard.waitForFunction(() => document.querySelector('#chart-throughput polyline')
        ?.getAttribute('points').split(' ').length >= 3, null, { timeout: 40_000 });
      await dashboard.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png') });
    }

    // Connection lost while requests fail, and back to live once they succeed again.
    watched.allow('/api/v1/dashboard', /net::ERR_CONNECTION_REFUSED/);
    await dashboard.route('**/api/v1/dashboard', (route) => route.abort('connectionrefused'));
    await dashboard.locator('.connection.lost').waitFor();
    assert.equal(await dashboard.isVisible('#lost-banner'), true);
    assert.match(await dashboard.textContent('#lost-banner'), /Connection lost/);
    await dashboard.unroute('**/api/v1/dashboard');
    await dashboard.locator('.connection.live').waitFor();
    assert.equal(await dashboard.isHidden('#lost-banner'), true);
    await dashboard.close();
  });

  test('the pages made no request to another origin', () => {
    const origin = new URL(server.baseUrl).origin;
    assert.ok(watched.requests.length > 0);
    const foreign = watched.requests.filter((url) => new URL(url).origin !== origin);
    assert.deepEqual(foreign, []);
  });

  test('the browser console had no errors (CSP violations included)', () => {
    assert.deepEqual(watched.errors, []);
  });
});
