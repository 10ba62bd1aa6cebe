// A real S3-compatible server for tests (s3rver, which checks SigV4 signatures), on loopback:
//   node s3_server.mjs --dir DIR --port N --address 127.0.0.1 --bucket NAME [--bucket NAME...]
// The only credentials it accepts come from S3_TEST_ACCESS_KEY_ID / S3_TEST_SECRET_ACCESS_KEY,
// and unsigned requests are refused too, so a test proves the client signs. Prints exactly one
// line, `listening <port>`, to stdout once it accepts connections (--port 0: any free port);
// errors go to stderr. Objects stay in DIR across restarts on the same DIR.
import { mkdirSync } from 'node:fs';
import { rename, rm, unlink } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import S3rver from '@20minutes/s3rver';
import AWSAccount from '@20minutes/s3rver/lib/models/account.js';
import S3Error from '@20minutes/s3rver/lib/models/error.js';
import FilesystemStore from '@20minutes/s3rver/lib/stores/filesystem.js';

function fail(message) {
  process.stderr.write(`s3_server: ${message}\n`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    address: { type: 'string', default: '127.0.0.1' },
    bucket: { type: 'string', multiple: true, default: [] },
  },
});
if (!args.dir) fail('--dir is required');
const accessKeyId = process.env.S3_TEST_ACCESS_KEY_ID;
const secretAccessKey = process.env.S3_TEST_SECRET_ACCESS_KEY;
if (!accessKeyId || !secretAccessKey) {
  fail('S3_TEST_ACCESS_KEY_ID and S3_TEST_SECRET_ACCESS_KEY must be set');
}

// s3rver ships a well-known S3RVER/S3RVER key pair; a client that fell back to it must fail.
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);

// s3rver streams a PUT's body straight into the object's file, so an upload cut short leaves a
// truncated object that GET then serves; S3 keeps the previous object (or none). Write the body
// beside it and rename it into place only once all of it arrived.
let partFiles = 0;
const putContent = FilesystemStore.prototype.putContent;
FilesystemStore.prototype.putContent = async function (objectPath, content) {
  const partPath = `${objectPath}.part-${process.pid}-${++partFiles}`;
  try {
    const result = await putContent.call(this, partPath, content);
    await rename(partPath, objectPath);
    return result;
  } catch (err) {
    await rm(partPath, { force: true });
    throw err;
  }
};

// s3rver's delete removes the key's directories when readdir finds them empty, then `rm -r`s
// them after an await: a PUT of another key into the same directory in between is deleted with
// it (seen: an input gone right after its PUT was answered 200). S3 has no directories; keep
// them, and delete only the object's own files.
FilesystemStore.prototype.deleteObject = async function (bucket, key) {
  await Promise.all(['object', 'object.md5', 'metadata.json'].map((resource) =>
    unlink(this.getResourcePath(bucket, key, resource)).catch((err) => {
      if (err.code !== 'ENOENT') throw err;
    })));
};

mkdirSync(args.dir, { recursive: true });
const server = new S3rver({
  directory: args.dir,
  address: args.address,
  port: Number(args.port),
  silent: true,
  vhostBuckets: false,
  resetOnClose: false,
  // putBucket is a mkdir -p: an existing bucket keeps its objects across restarts.
  configureBuckets: args.bucket.map((name) => ({ name })),
});

// s3rver lets requests without any signature through as anonymous; a private bucket on real
// S3 answers them 403 AccessDenied. First in the chain, so nothing else sees them.
server.middleware.unshift(async (ctx, next) => {
  const signed = 'authorization' in ctx.headers || 'X-Amz-Algorithm' in ctx.query ||
    'Signature' in ctx.query;
  if (!signed && ctx.method !== 'OPTIONS') throw new S3Error('AccessDenied', 'Access Denied');
  await next();
});

// Silent hides request logs; internal errors (and uploads cut short) still belong in the log.
server.on('error', (err, ctx) => {
  if (err.status < 500) return;
  const request = ctx ? `${ctx.method} ${ctx.url}: ` : '';
  process.stderr.write(`s3_server: ${request}${err.message}\n`);
});

const { port } = await server.run();
process.stdout.write(`listening ${port}\n`);

process.on('SIGTERM', () => {
  server.httpServer.close(() => process.exit(0));
  // Kept-alive client connections would hold close() open.
  server.httpServer.closeAllConnections();
});
