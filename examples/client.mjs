#!/usr/bin/env node
// Resize one image with the image-resize service: upload, wait, download.
//
//   node examples/client.mjs photo.jpg 100 100 thumb.jpg
//   node examples/client.mjs photo.jpg 800 600 out.webp --field fit=cover --field format=webp \
//       --url http://127.0.0.1:8080 --key "$KEY"
//
// Node 18+ built-ins only (fetch, FormData, Blob). Retries 429 and 503 after their Retry-After,
// and a request whose answer was lost. The upload carries an Idempotency-Key, so that a retried
// upload (or a second run with the same --idempotency-key, within 24 hours) gets the first answer
// instead of a second task.
// Exit 0 on success, 1 on failure (the reason is printed to stderr), 2 on bad usage.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

const MAX_RETRIES = 20; // 429/503 answers in a row before giving up
const MAX_LOST_ANSWERS = 3; // requests in a row without an answer before giving up
const WAIT_SECONDS = 30; // the longest ?wait= the service allows

class Failure extends Error {}

function usage(message) {
  console.error(`${message}\nusage: node client.mjs IMAGE WIDTH HEIGHT [OUTPUT] ` +
                '[--url URL] [--key KEY] [--field NAME=VALUE]... [--timeout SECONDS] ' +
                '[--idempotency-key KEY]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    url: process.env.IMAGE_RESIZE_URL || 'http://127.0.0.1:8080',
    key: process.env.IMAGE_RESIZE_API_KEY || '',
    fields: [],
    timeout: 600,
    idempotencyKey: randomUUID(),
    positional: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`));
    if (arg === '--url') options.url = value();
    else if (arg === '--key') options.key = value();
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--idempotency-key') options.idempotencyKey = value();
    else if (arg === '--field') {
      const field = value();
      const eq = field.indexOf('=');
      if (eq < 1) usage(`--field ${field}: expected NAME=VALUE`);
      options.fields.push([field.slice(0, eq), field.slice(eq + 1)]);
    } else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.positional.push(arg);
  }
  const [image, width, height, output] = options.positional;
  if (!image || !/^\d+$/.test(width ?? '') || !/^\d+$/.test(height ?? '')) {
    usage('IMAGE, WIDTH and HEIGHT are required; WIDTH and HEIGHT are integers');
  }
  return { ...options, image, width, height, output: output || `out-${basename(image)}` };
}

// The service's error body {"result": "error", "code": ..., "message": ...} in one line.
async function describe(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    return `${body.code}: ${body.message}`;
  } catch {
    return text.slice(0, 200);
  }
}

function retryAfter(value) {
  const seconds = Number.parseInt(value ?? '', 10);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 1), 60) : 1;
}

// One request, retried on 429/503 after Retry-After, and when no answer came (safe: GETs, and an
// upload with an Idempotency-Key); returns the ok response.
async function request(method, url, key, makeBody, idempotencyKey) {
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let lost = 0;
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    let response;
    try {
      response = await fetch(url, {
        method, headers, body: makeBody?.(),
        signal: AbortSignal.timeout((WAIT_SECONDS + 30) * 1000),
      });
    } catch (error) {
      const reason = error.cause?.message ?? error.message;
      if (++lost > MAX_LOST_ANSWERS) throw new Failure(`${method} ${url}: ${reason}`);
      console.error(`${method} ${url}: ${reason} (retrying in 1 s)`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (response.ok) return response;
    if (response.status !== 429 && response.status !== 503) {
      throw new Failure(`${method} ${url}: HTTP ${response.status} ${await describe(response)}`);
    }
    const delay = retryAfter(response.headers.get('Retry-After'));
    console.error(`HTTP ${response.status} ${await describe(response)} (retrying in ${delay} s)`);
    await new Promise((resolve) => setTimeout(resolve, delay * 1000));
  }
  throw new Failure(`${method} ${url}: still refused after ${MAX_RETRIES} retries`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const base = args.url.replace(/\/+$/, '');
  const data = await readFile(args.image);

  const form = () => {
    const body = new FormData();
    body.append('width', args.width);
    body.append('height', args.height);
    for (const [name, value] of args.fields) body.append(name, value);
    body.append('file', new Blob([data]), basename(args.image));
    return body;
  };
  const accepted = await request('POST', `${base}/api/v1/images/resize`, args.key, form,
                                 args.idempotencyKey);
  const task = await accepted.json();
  const replayed = accepted.headers.get('Idempotent-Replayed') === 'true'
    ? ' (the earlier answer to this Idempotency-Key)' : '';
  console.error(`accepted ${task.task_id}${replayed}`);

  const deadline = Date.now() + args.timeout * 1000;
  let state;
  for (;;) {
    const status = await request('GET', `${base}${task.status_url}?wait=${WAIT_SECONDS}`, args.key);
    state = await status.json();
    if (state.status === 'SUCCESS') break;
    if (state.status === 'FAILURE') {
      throw new Failure(`task failed: ${state.error?.code}: ${state.error?.message}`);
    }
    if (Date.now() > deadline) {
      throw new Failure(`task still ${state.status} after ${args.timeout} s`);
    }
  }

  const result = await request('GET', `${base}${state.result.url}`, args.key);
  const image = Buffer.from(await result.arrayBuffer());
  await writeFile(args.output, image);
  const { width, height, format } = state.result;
  console.log(`${args.output}: ${width}x${height} ${format}, ${image.length} bytes ` +
              `(${result.headers.get('Content-Type')})`);
}

main().catch((error) => {
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
});
