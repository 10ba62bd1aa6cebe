// The peer speaks the API the benchmark's client uses: upload → 202 with the ids, status with
// ?wait until SUCCESS, the result as an image of the size asked for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import sharp from 'sharp';

let child;
let base;

before(async () => {
  child = spawn(process.execPath, [new URL('./server.mjs', import.meta.url).pathname, '--port', '0']);
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the peer exited with ${code}`)));
  });
  base = `http://127.0.0.1:${port}`;
});

after(() => child?.kill('SIGTERM'));

test('upload, wait and download a resized JPEG', async () => {
  const fixtures = process.env.IMAGE_RESIZE_FIXTURES ?? new URL('../../tests/fixtures', import.meta.url).pathname;
  const photo = await readFile(join(fixtures, 'images', 'photo.jpg'));
  const form = new FormData();
  form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
  form.append('width', '64');
  form.append('height', '48');
  const accepted = await fetch(`${base}/api/v1/images/resize`, { method: 'POST', body: form });
  assert.equal(accepted.status, 202);
  const body = await accepted.json();
  const status = await (await fetch(`${base}${body.status_url}?wait=20`)).json();
  assert.equal(status.status, 'SUCCESS');
  const result = await fetch(`${base}${body.result_url}`);
  assert.equal(result.headers.get('content-type'), 'image/jpeg');
  const info = await sharp(Buffer.from(await result.arrayBuffer())).metadata();
  assert.equal(info.width, 64);
  assert.equal(info.height, 48);
});
