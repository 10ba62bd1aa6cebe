// The dashboard's operator controls in headless Chromium against the real binary: a plain API
// key sees no controls (and the routes refuse it); an admin key sets a worker's concurrency,
// pauses it and resumes it, each seen in the table after the worker's next heartbeat; a refused
// change shows the server's message and code; and without keys, --admin-on-loopback gives a
// loopback browser the controls.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { startServer } from './server.mjs';

const ADMIN_KEY = 'e2e-admin-7c1f9a3d5b2e4f60';
const VIEWER_KEY = 'e2e-viewer-2a8d4c6e0b1f3a59';
const WAIT_MS = 30_000;  // generous: heartbeats are 2 s, and the machine may be busy building

// A worker's row, by its name (the data-worker attribute).
const rowOf = (page, name) => page.locator(`#workers tr[data-worker="${name}"]`);

async function openDashboard(browser, baseUrl, key) {
  const opened = await openWatchedPage(browser, { timeoutMs: WAIT_MS, viewport: { width: 1280, height: 800 } });
  await opened.page.goto(`${baseUrl}/dashboard`);
  if (key) {
    // The first refresh goes out before the key is typed: its 401 is expected.
    opened.watched.allow('/api/v1/dashboard', /status of 401/);
    await opened.page.fill('#api-key', key);
    await opened.page.press('#api-key', 'Tab');  // a change event stores it and refreshes
  }
  await opened.page.locator('#workers tr[data-alive="true"]').first().waitFor();
  return opened;
}

describe('operator controls with API keys', { timeout: 150_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer(async (workDir) => {
      const file = join(workDir, 'keys');
      await writeFile(file, `${ADMIN_KEY} ops admin\n${VIEWER_KEY} viewer\n`);
      return ['--api-keys-file', file];
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const patch = (path, key, body) => fetch(`${server.baseUrl}${path}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

  test('a key that is not an admin sees the dashboard without controls', async () => {
    const { context, watched, page } = await openDashboard(browser, server.baseUrl, VIEWER_KEY);
    const data = await (await fetch(`${server.baseUrl}/api/v1/dashboard`,
      { headers: { Authorization: `Bearer ${VIEWER_KEY}` } })).json();
    assert.equal(data.operator, false);
    assert.equal(await page.isHidden('#operator-controls'), true);
    assert.equal(await page.isHidden('#controls-head'), true);
    assert.equal(await page.locator('#workers .steer:visible').count(), 0);
    // Hidden controls are not the guard: the route itself refuses the key.
    const refused = await patch('/api/v1/workers', VIEWER_KEY, { paused: true });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).code, 'admin_required');
    assert.deepEqual(watched.errors, []);
    await context.close();
  });

  test('an admin sets a worker to one thread, pauses it and resumes it', async () => {
    const { context, watched, page } = await openDashboard(browser, server.baseUrl, ADMIN_KEY);
    await page.locator('#operator-controls').waitFor();
    assert.equal(await page.isVisible('#controls-head'), true);
    const name = await page.locator('#workers tr[data-alive="true"]').first().getAttribute('data-worker');
    const row = rowOf(page, name);
    assert.match(await row.locator('td:nth-child(3)').textContent(), /^\d+ \/ 2$/, 'started with --workers 2');

    await row.getByRole('spinbutton', { name: `Concurrency of worker ${name}`, exact: true }).fill('1');
    await row.getByRole('button', { name: `Set the concurrency of worker ${name}` }).click();
    await page.locator('#operator-message', { hasText: `Worker ${name}: concurrency 1 requested` }).waitFor();
    await row.locator('td:nth-child(3)', { hasText: /^\d+ \/ 1$/ }).waitFor();

    await row.getByRole('button', { name: `Pause worker ${name}` }).click();
    await page.locator(`#workers tr[data-worker="${name}"][data-paused="true"] .badge.paused`).waitFor();
    const paused = await (await fetch(`${server.baseUrl}/api/v1/dashboard`,
      { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json();
    assert.equal(paused.operator, true);
    assert.equal(paused.workers.find((worker) => worker.name === name).paused, true);

    await row.getByRole('button', { name: `Resume worker ${name}` }).click();
    await page.locator(`#workers tr[data-worker="${name}"][data-paused="false"]`).waitFor();
    assert.equal(await row.locator('.badge.paused').count(), 0);
    assert.equal(await page.textContent('#operator-error'), '');
    assert.deepEqual(watched.errors, []);
    await context.close();
  });

  test('every worker at once, and a refused change shows the server\'s message', async () => {
    const { context, watched, page } = await openDashboard(browser, server.baseUrl, ADMIN_KEY);
    await page.locator('#operator-controls').waitFor();
    await page.getByRole('spinbutton', { name: 'Concurrency of every worker', exact: true }).fill('2');
    await page.getByRole('button', { name: 'Set the concurrency of every worker' }).click();
    await page.locator('#operator-message', { hasText: 'Every worker: concurrency 2 requested' }).waitFor();
    await page.locator('#workers tr[data-alive="true"] td:nth-child(3)', { hasText: /^\d+ \/ 2$/ }).first().waitFor();

    watched.allow('/api/v1/workers', /status of 422/);
    await page.getByRole('spinbutton', { name: 'Concurrency of every worker', exact: true }).fill('0');
    await page.getByRole('button', { name: 'Set the concurrency of every worker' }).click();
    const error = page.locator('#operator-error');
    await error.locator('.error-code', { hasText: 'invalid_concurrency' }).waitFor();
    assert.match(await error.textContent(), /HTTP 422/);
    assert.match(await error.textContent(), /concurrency must be from 1 to \d+/);
    assert.equal(await page.textContent('#operator-message'), '');
    assert.deepEqual(watched.errors, []);
    await context.close();
  });
});

describe('operator controls on loopback without API keys', { timeout: 90_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer(async () => ['--admin-on-loopback', 'true']);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('--admin-on-loopback gives a loopback browser the controls', async () => {
    const { context, watched, page } = await openDashboard(browser, server.baseUrl, null);
    await page.locator('#operator-controls').waitFor();
    assert.equal(await page.locator('#workers .steer:visible').count() > 0, true);
    assert.deepEqual(watched.errors, []);
    await context.close();
  });
});
