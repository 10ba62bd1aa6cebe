// --cors-origins in a real browser: a page served from a listed origin (another loopback port,
// so another origin) uploads, polls and deletes through the API with fetch(); the same page
// served from an origin not listed is blocked by the browser itself.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { requiredEnv, startServer } from './server.mjs';

// A page that does nothing by itself: the test runs fetch() in it.
function startOrigin() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>another origin</title>');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

// Runs in the page: upload, wait for the task, delete it. Returns what the page could read.
async function roundTrip({ api, photo }) {
  const bytes = Uint8Array.from(atob(photo), (c) => c.charCodeAt(0));
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
  form.append('width', '40');
  const accepted = await fetch(`${api}/api/v1/images/resize`, { method: 'POST', body: form });
  const body = await accepted.json();
  const status = await (await fetch(`${api}${body.status_url}?wait=20`)).json();
  // DELETE is not a "simple" request: the browser sends a preflight OPTIONS first.
  const deleted = await fetch(`${api}/api/v1/tasks/${body.task_id}`, {
    method: 'DELETE', headers: { 'X-Request-Id': 'cors-e2e' },
  });
  return {
    accepted: accepted.status,
    location: accepted.headers.get('Location'),
    status: status.status,
    deleted: deleted.status,
  };
}

describe('CORS in the browser', { timeout: 120_000 }, () => {
  let allowed;
  let other;
  let server;
  let browser;
  let page;
  let photo;

  before(async () => {
    photo = (await readFile(join(requiredEnv('IMAGE_RESIZE_FIXTURES'), 'images', 'photo.jpg')))
      .toString('base64');
    allowed = await startOrigin();
    other = await startOrigin();
    server = await startServer(async () => ['--cors-origins', allowed.url]);
    browser = await launchBrowser();
    ({ page } = await openWatchedPage(browser));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    allowed?.server.close();
    other?.server.close();
  });

  test('a listed origin uploads, polls and deletes', async () => {
    await page.goto(allowed.url);
    const seen = await page.evaluate(roundTrip, { api: server.baseUrl, photo });
    assert.equal(seen.accepted, 202);
    assert.match(seen.location ?? '', /^\/api\/v1\/status\//);
    assert.equal(seen.status, 'SUCCESS');
    assert.equal(seen.deleted, 204);
  });

  test('an origin not listed is blocked by the browser', async () => {
    await page.goto(other.url);
    const outcome = await page.evaluate(async (args) => {
      try {
        const response = await fetch(`${args.api}/api/v1/status/c4ac4a34-40a2-4750-a158-767c2c68164d`);
        return `read ${response.status}`;
      } catch (error) {
        return `blocked: ${error.name}`;
      }
    }, { api: server.baseUrl });
    assert.equal(outcome, 'blocked: TypeError');
  });
});
