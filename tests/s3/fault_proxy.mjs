// A reverse proxy in front of the test S3 server that can make requests fail on demand:
//   node fault_proxy.mjs --port N --target-port P
// Requests go to 127.0.0.1:P unchanged, Host header included (SigV4 signs it), bodies streamed
// both ways. On the same port:
//   POST /__faults {"method":"PUT","path":"regex","status":503,"code":"SlowDown","count":3}
//     the next `count` requests whose method and path (no query) match get `status` with an S3
//     XML error body, without reaching S3; status 0 drops the connection instead. With
//     "after":N the first N matching requests pass untouched before the fault begins (the third
//     of a batch's writes, not the first).
//   DELETE /__faults    forgets every fault.
//   GET /__requests     {"PUT /images/key": 2, ...}: every request seen, faulted ones included.
//   GET /__connections  {"connections": N}: client connections that carried S3 requests.
// Prints `listening <port>` to stdout once it accepts connections. When S3 is down it drops the
// client's connection, as a client talking to S3 directly would see.
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'target-port': { type: 'string' },
  },
});
const targetPort = Number(args['target-port']);
if (!targetPort) {
  process.stderr.write('fault_proxy: --target-port is required\n');
  process.exit(2);
}

let faults = [];  // {method, path: RegExp, status, code, count, after}
const seen = new Map();  // "METHOD /path" -> count
const upstream = new http.Agent({ keepAlive: true });

function pathOf(req) {
  const query = req.url.indexOf('?');
  return query < 0 ? req.url : req.url.slice(0, query);
}

function takeFault(method, path) {
  const fault = faults.find((f) => f.count > 0 && (f.method === '*' || f.method === method) &&
    f.path.test(path));
  if (!fault) return undefined;
  if (fault.after > 0) {
    fault.after -= 1;
    return undefined;
  }
  fault.count -= 1;
  return fault;
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

async function control(req, res, path) {
  if (path === '/__faults' && req.method === 'POST') {
    try {
      const spec = JSON.parse(await readBody(req));
      faults.push({
        method: (spec.method || '*').toUpperCase(),
        path: new RegExp(spec.path ?? ''),
        status: Number(spec.status ?? 503),
        code: String(spec.code ?? 'SlowDown'),
        count: Number(spec.count ?? 1),
        after: Number(spec.after ?? 0),
      });
      sendJson(res, 200, { faults: faults.length });
    } catch (err) {
      sendJson(res, 400, { error: String(err) });
    }
  } else if (path === '/__faults' && req.method === 'DELETE') {
    faults = [];
    sendJson(res, 200, { faults: 0 });
  } else if (path === '/__requests' && req.method === 'GET') {
    sendJson(res, 200, Object.fromEntries(seen));
  } else if (path === '/__connections' && req.method === 'GET') {
    sendJson(res, 200, { connections: s3Connections.size });
  } else {
    sendJson(res, 404, { error: `no control route ${req.method} ${path}` });
  }
}

function answerFault(req, res, fault, bodyUnread) {
  if (fault.status === 0) {
    req.socket.destroy();
    return;
  }
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${fault.code}</Code><Message>Injected by fault_proxy.mjs</Message>` +
    `<Resource>${pathOf(req)}</Resource></Error>`;
  const headers = { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) };
  // With Expect: 100-continue the body was never asked for; S3 closes such a connection too.
  if (bodyUnread) headers.Connection = 'close';
  res.writeHead(fault.status, headers);
  res.end(body);
}

// Every client socket that carried an S3 request (a client that reuses connections has few).
const s3Connections = new Set();

function forward(req, res) {
  const proxied = http.request({
    host: '127.0.0.1',
    port: targetPort,
    method: req.method,
    path: req.url,
    headers: req.rawHeaders,  // names, case, order and duplicates as the client sent them
    agent: upstream,
  });
  proxied.on('response', (answer) => {
    res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
    answer.pipe(res);
    answer.on('error', () => req.socket.destroy());
  });
  proxied.on('error', () => req.socket.destroy());
  req.pipe(proxied);
}

function handle(req, res, expectsContinue) {
  const path = pathOf(req);
  if (path.startsWith('/__')) {
    if (expectsContinue) res.writeContinue();
    control(req, res, path);
    return;
  }
  const key = `${req.method} ${path}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  s3Connections.add(req.socket);
  const fault = takeFault(req.method, path);
  if (fault) {
    // Read the body first (unless it was never asked for), so the connection stays usable.
    if (expectsContinue) {
      answerFault(req, res, fault, true);
    } else {
      req.resume();
      req.on('end', () => answerFault(req, res, fault, false));
    }
    return;
  }
  if (expectsContinue) res.writeContinue();
  forward(req, res);
}

const server = http.createServer((req, res) => handle(req, res, false));
server.on('checkContinue', (req, res) => handle(req, res, true));
server.on('clientError', (err, socket) => socket.destroy());
server.listen(Number(args.port), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
