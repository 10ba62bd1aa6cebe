// The dashboard's "Failing webhooks" panel in a real browser: a task whose receiver keeps
// answering 500 shows with the receiver's host, its state and the last status, and goes once the
// task is deleted.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, openWatchedPage } from './browser.mjs';
import { requiredEnv, startServer } from './server.mjs';

// A webhook receiver on loopback that answers every delivery 500.
function startFailingReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(500); res.end(); });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, host: `127.0.0.1:${server.address().port}` });
    });
  });
}

describe('failing webhooks on the dashboard', { timeout: 120_000 }, () => {
  let receiver;
  let server;
  let browser;
  let page;

  before(async () => {
    receiver = await startFailingReceiver();
    server = await startServer(async (workDir) => {
      const secret = join(workDir, 'webhook-secret');
      await writeFile(secret, 'e2e-webhook-secret-0123456789abcdefghijkl\n');
      return ['--webhook-secret', secret, '--outbound-allow', '127.0.0.1'];
    });
    browser = await launchBrowser();
    ({ page } = await openWatchedPage(browser));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    receiver?.server.close();
  });

  test('a webhook that keeps failing is listed until its task is deleted', async () => {
    const photo = await readFile(join(requiredEnv('IMAGE_RESIZE_FIXTURES'), 'images', 'photo.jpg'));
    const form = new FormData();
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
    form.append('width', '40');
    form.append('callback_url', `http://${receiver.host}/hook`);
    const accepted = await fetch(`${server.baseUrl}/api/v1/images/resize`, { method: 'POST', body: form });
    assert.equal(accepted.status, 202);
    const { task_id: taskId } = await accepted.json();

    await page.goto(`${server.baseUrl}/dashboard`);
    const row = page.locator(`#webhooks tr[data-task-id="${taskId}"]`);
    await row.waitFor();
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    assert.deepEqual([cells[0], cells[1], cells[2], cells[4]], [taskId, receiver.host, 'pending', '500']);
    assert.match(cells[3], /^[1-9]\d*$/);

    const deleted = await fetch(`${server.baseUrl}/api/v1/tasks/${taskId}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    await row.waitFor({ state: 'detached' });
    assert.match(await page.textContent('#webhooks'), /No failing webhooks\./);
  });
});
