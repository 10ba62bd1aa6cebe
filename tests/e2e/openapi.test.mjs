// The running server's /api/v1/openapi.json is a valid OpenAPI 3.1 document, checked offline
// against the official schemas that @seriousme/openapi-schema-validator bundles.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';

import { startServer } from './server.mjs';

let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('GET /api/v1/openapi.json is a valid OpenAPI 3.1 document', { timeout: 60_000 }, async () => {
  const response = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/(vnd\.oai\.openapi\+)?json/);
  const document = await response.json();
  assert.match(document.openapi, /^3\.1\./);

  const validator = new Validator();
  const result = await validator.validate(document);
  assert.equal(validator.version, '3.1');
  assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
  assert.equal(result.valid, true);
});

test('the OpenAPI document names every route the web pages use', { timeout: 60_000 }, async () => {
  const document = await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json();
  const paths = Object.keys(document.paths);
  for (const path of ['/api/v1/images/resize', '/api/v1/dashboard']) {
    assert.ok(paths.includes(path), `${path} missing from paths: ${paths.join(', ')}`);
  }
  assert.ok(paths.some((path) => /^\/api\/v1\/status\/\{[^}]+\}$/.test(path)), `no status path in ${paths.join(', ')}`);
  assert.ok(paths.some((path) => /^\/api\/v1\/images\/result\/\{[^}]+\}$/.test(path)), `no result path in ${paths.join(', ')}`);
});
