// The peer of the benchmark: what a team would otherwise write in an afternoon, a small
// Express + multer + sharp server speaking the original API (upload → task id, status, result),
// with sharp's defaults (quality 80, the input's format) and results kept in memory. No
// durability, no limits beyond multer's, no isolation: the benchmark measures speed only.
//
//   node server.mjs [--port N]   prints `listening <port>` once it accepts connections
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

import express from 'express';
import multer from 'multer';
import sharp from 'sharp';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0) || 0;
const tasks = new Map();  // id → { status, result?, type?, error? }
const finished = new EventEmitter();
finished.setMaxListeners(0);
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 50 * 1024 * 1024 } });
const app = express();

async function resize(id, buffer, width, height) {
  const task = tasks.get(id);
  task.status = 'STARTED';
  try {
    const { data, info } = await sharp(buffer)
      .rotate()
      .resize(width, height, { fit: width && height ? 'fill' : 'inside' })
      .toBuffer({ resolveWithObject: true });
    Object.assign(task, { status: 'SUCCESS', result: data, type: `image/${info.format}` });
  } catch (error) {
    Object.assign(task, { status: 'FAILURE', error: String(error.message ?? error) });
  }
  finished.emit(id);
}

app.post('/api/v1/images/resize', upload.single('file'), (req, res) => {
  const width = req.body.width ? Number(req.body.width) : undefined;
  const height = req.body.height ? Number(req.body.height) : undefined;
  if (!req.file || (!width && !height)) {
    res.status(422).json({ result: 'error', message: 'file and width or height are required' });
    return;
  }
  const id = randomUUID();
  tasks.set(id, { status: 'PENDING' });
  setImmediate(() => resize(id, req.file.buffer, width, height));
  res.status(202).location(`/api/v1/status/${id}`).json({
    status: 'accepted', message: 'Upload complete', task_id: id,
    status_url: `/api/v1/status/${id}`, result_url: `/api/v1/images/result/${id}`,
  });
});

function statusBody(id, task) {
  const body = { task_id: id, status: task.status };
  if (task.error) body.error = { code: 'failed', message: task.error };
  return body;
}

app.get('/api/v1/status/:id', (req, res) => {
  const task = tasks.get(req.params.id);
  if (!task) {
    res.status(404).json({ result: 'error', code: 'task_not_found' });
    return;
  }
  const wait = Math.min(Number(req.query.wait ?? 0) || 0, 30);
  if (wait === 0 || task.status === 'SUCCESS' || task.status === 'FAILURE') {
    res.json(statusBody(req.params.id, task));
    return;
  }
  const answer = () => {
    clearTimeout(timer);
    finished.off(req.params.id, answer);
    res.json(statusBody(req.params.id, task));
  };
  const timer = setTimeout(answer, wait * 1000);
  finished.on(req.params.id, answer);
});

app.get('/api/v1/images/result/:id', (req, res) => {
  const task = tasks.get(req.params.id);
  if (!task || task.status !== 'SUCCESS') {
    res.status(404).json({ result: 'error', code: task ? 'result_not_ready' : 'task_not_found' });
    return;
  }
  res.type(task.type).send(task.result);
});

const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
