// Batches on the upload page in headless Chromium against the real image-resize binary, run with
// its default flags: several files chosen at once plus two outputs make one upload, whose tasks
// fill a table until all succeed and whose ZIP downloads; one file without outputs keeps the
// single-task view; a bad output shows the 422; files dropped on the form are chosen; the
// dashboard lists the finished batch with its progress; the priority select left at "automatic"
// sends no priority, so a batch runs low and a single image normal, and a chosen one is sent.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { requiredEnv, startServer } from './server.mjs';

const FILES = ['photo.jpg', 'alpha.png', 'progressive.jpg'];  // tests/fixtures/images
const OUTPUTS = [
  { name: 'thumb', width: 64, height: 64, format: 'webp' },
  { name: 'wide', width: 100, height: '', format: 'png' },
];
const WAIT_MS = 60_000;  // generous: the machine may be busy building
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('batches on the web page', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let watched;
  let page;
  let images;
  let batchId;  // the first test's batch

  before(async () => {
    images = join(requiredEnv('IMAGE_RESIZE_FIXTURES'), 'images');
    server = await startServer();
    browser = await launchBrowser();
    ({ watched, page } = await openWatchedPage(browser, {
      timeoutMs: WAIT_MS, viewport: { width: 1280, height: 800 }, acceptDownloads: true,
    }));
    await page.addInitScript(() => {
      const send = window.fetch;
      window.sentForms = [];
      window.fetch = (input, init) => {
        if (init?.body instanceof FormData) {
          window.sentForms.push([...init.body.entries()].filter(([, value]) => typeof value === 'string'));
        }
        return send(input, init);
      };
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  // Clicks submit; the text fields of the form the page sent, as {name: [values]}. Chromium does
  // not show a body with files to playwright, so an init script (before()) keeps each FormData
  // the page hands to fetch.
  async function submitAndCapture() {
    await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/images/resize')),
      page.click('#submit'),
    ]);
    const fields = {};
    for (const [name, value] of await page.evaluate(() => window.sentForms.at(-1))) {
      (fields[name] ??= []).push(value);
    }
    return fields;
  }

  async function addOutput({ name, width, height, format }) {
    await page.click('#add-variant');
    const row = page.locator('#variants fieldset.variant').last();
    await row.getByLabel('Name').fill(name);
    await row.getByLabel('Width').fill(String(width));
    await row.getByLabel('Height').fill(String(height));
    await row.getByLabel('Format').selectOption(format);
  }

  test('three files and two outputs: six tasks in a table, all SUCCESS, and a ZIP of six', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.setInputFiles('#file', FILES.map((name) => join(images, name)));
    assert.match(await page.textContent('#file-info'), /^3 files, .*: photo\.jpg, alpha\.png, progressive\.jpg$/);
    for (const output of OUTPUTS) await addOutput(output);
    assert.deepEqual(await page.locator('#variants legend').allTextContents(), ['Output 1', 'Output 2']);
    assert.equal(await page.inputValue('#priority'), '', 'automatic by default');
    const sent = await submitAndCapture();
    assert.ok(sent.variants, 'the outputs were sent');
    assert.equal(sent.priority, undefined, 'automatic sends no priority');

    await page.locator('#batch').waitFor();
    assert.equal(await page.isHidden('#task'), true);
    assert.equal(await page.textContent('#task-title'), 'Batch');
    batchId = await page.textContent('#batch-id');
    assert.match(batchId, new RegExp(`^${UUID}$`));
    const rows = page.locator('#batch-tasks tbody tr');
    assert.equal(await rows.count(), 6);

    await page.locator('#batch-summary', { hasText: /Done\.$/ }).waitFor();
    assert.equal(await page.textContent('#batch-summary'), '6 tasks: 6 succeeded. Done.',
      `batch error: ${await page.textContent('#batch-error')}`);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({
      file: tr.cells[0].textContent,
      output: tr.cells[1].textContent,
      state: tr.cells[2].textContent,
      size: tr.cells[3].textContent,
      link: tr.cells[4].querySelector('a')?.getAttribute('href'),
      name: tr.cells[4].querySelector('a')?.getAttribute('download'),
    })));
    const expected = FILES.flatMap((file) => OUTPUTS.map((output) => `${file} ${output.name}`)).sort();
    assert.deepEqual(shown.map((row) => `${row.file} ${row.output}`).sort(), expected);
    for (const row of shown) {
      assert.equal(row.state, 'SUCCESS');
      assert.match(row.link, new RegExp(`^/api/v1/images/result/${UUID}$`));
      if (row.output === 'thumb') {
        assert.match(row.size, /^64x64 webp, /);
        assert.match(row.name, /^[a-z]+-thumb-64x64\.webp$/);
      } else {
        assert.match(row.size, /^100x67 png, /);
        assert.match(row.name, /^[a-z]+-wide-100x67\.png$/);
      }
    }

    // What the page shows is the server's batch.
    const batch = await (await fetch(`${server.baseUrl}/api/v1/batches/${batchId}`)).json();
    assert.equal(batch.done, true);
    assert.equal(batch.summary.SUCCESS, 6);
    // Left to the server, a batch runs at low priority.
    assert.deepEqual([...new Set(batch.tasks.map((task) => task.request.priority))], ['low']);

    assert.equal(await page.isVisible('#batch-archive'), true);
    assert.equal(await page.isHidden('#batch-archive-note'), true);
    assert.equal(await page.getAttribute('#batch-archive', 'href'), `/api/v1/batches/${batchId}/archive`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-archive')]);
    assert.equal(download.suggestedFilename(), `batch-${batchId}.zip`);
    const { stdout } = await promisify(execFile)('unzip', ['-Z1', await download.path()]);
    const entries = stdout.trim().split('\n').sort();
    assert.deepEqual(entries, FILES.flatMap((file) => OUTPUTS.map(
      (output) => `${file.replace(/\.[^.]*$/, '')}-${output.name}.${output.format}`)).sort());
  });

  test('the dashboard lists the batch: its link, files, tasks, all six done and its ZIP', async () => {
    assert.ok(batchId, 'the first test made a batch');
    await page.goto(`${server.baseUrl}/dashboard`);
    const row = page.locator(`#batches tr[data-batch-id="${batchId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], batchId);
    assert.equal(await row.locator('td:nth-child(1) a').getAttribute('href'), `/api/v1/batches/${batchId}`);
    assert.equal(cells[2], '3', 'files');
    assert.equal(cells[3], '6', 'tasks');
    assert.match(cells[4], /^finished\s+6\/6 done$/);
    assert.equal(await row.locator('progress').evaluate((bar) => [bar.value, bar.max].join('/')), '6/6');
    assert.equal(cells[5], '0', 'failures');
    assert.equal(cells[6], 'ZIP');
    assert.equal(await row.locator('td.archive a').getAttribute('href'), `/api/v1/batches/${batchId}/archive`);
    // The newest batch comes first.
    assert.equal(await page.locator('#batches tr').first().getAttribute('data-batch-id'), batchId);
  });

  test('one file without outputs keeps the single-task view', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.setInputFiles('#file', join(images, 'photo.jpg'));
    await page.fill('#width', '120');
    await page.fill('#height', '80');
    assert.equal((await submitAndCapture()).priority, undefined);
    await page.locator('#task-status', { hasText: /^(SUCCESS|FAILURE)$/ }).waitFor();
    assert.equal(await page.textContent('#task-status'), 'SUCCESS');
    assert.equal(await page.isHidden('#batch'), true);
    assert.equal(await page.textContent('#task-title'), 'Task');
    assert.equal(await page.textContent('#result-size'), '120x80');
    const taskId = await page.textContent('#task-id');
    const task = await (await fetch(`${server.baseUrl}/api/v1/status/${taskId}`)).json();
    assert.equal(task.batch_id, undefined, 'an ordinary task, not a batch of one');
    assert.equal(task.request.priority, 'normal', 'left to the server, one image runs normal');
  });

  test('a priority chosen on the page is sent, for a batch too', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.setInputFiles('#file', [join(images, 'photo.jpg'), join(images, 'alpha.png')]);
    await page.fill('#width', '40');
    await page.selectOption('#priority', 'high');
    const sent = await submitAndCapture();
    assert.deepEqual(sent.priority, ['high']);
    await page.locator('#batch-summary', { hasText: /Done\.$/ }).waitFor();
    const chosenId = await page.textContent('#batch-id');
    const batch = await (await fetch(`${server.baseUrl}/api/v1/batches/${chosenId}`)).json();
    assert.deepEqual(batch.tasks.map((task) => task.request.priority), ['high', 'high']);
  });

  test('an output of width 0 shows the 422 next to the form', async () => {
    watched.allow('/api/v1/images/resize', /status of 422/);
    await page.goto(`${server.baseUrl}/`);
    await page.setInputFiles('#file', join(images, 'photo.jpg'));
    await addOutput({ name: 'broken', width: 0, height: 50, format: 'png' });
    await page.click('#submit');
    const code = page.locator('#form-error .error-code');
    await code.waitFor();
    assert.equal(await code.textContent(), 'invalid_variants');
    const message = await page.textContent('#form-error');
    assert.match(message, /HTTP 422/);
    assert.match(message, /variants\[0\]/);
    assert.equal(await page.isHidden('#batch'), true);
  });

  test('files dropped on the form become the chosen files', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.evaluate(() => {
      const data = new DataTransfer();
      for (const name of ['a.png', 'b.png']) data.items.add(new File(['x'], name, { type: 'image/png' }));
      const form = document.getElementById('resize-form');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        form.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    });
    assert.equal(await page.$eval('#file', (input) => input.files.length), 2);
    assert.match(await page.textContent('#file-info'), /^2 files, .*: a\.png, b\.png$/);
    assert.equal(await page.$eval('#resize-form', (form) => form.classList.contains('drop-target')), false);
  });

  test('the page made no request to another origin, and the console had no errors', () => {
    const origin = new URL(server.baseUrl).origin;
    assert.deepEqual(watched.requests.filter((url) => new URL(url).origin !== origin), []);
    assert.deepEqual(watched.errors, []);
  });
});
