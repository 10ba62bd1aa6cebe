// The live dashboard: GET /api/v1/dashboard every 2 s, render it, say so when the server is gone.
import { apiFetch, byId, errorFromResponse, setUpKeyField } from './common.js';

const DASHBOARD_URL = '/api/v1/dashboard';
const REFRESH_MS = 2000;
const REQUEST_TIMEOUT_MS = 5000;
const SPARKLINE_SAMPLES = 150;  // 5 minutes at one sample per refresh

const rate = [];  // tasks/s history, kept here since the server only reports the current window
let timer = null;     // the next scheduled refresh
let inFlight = false;  // a request is out: never run two loops
let lastSuccess = null;

// Local time, unambiguous in every locale: "03:40:00" and "2026-11-28 03:40:00".
const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString('sv-SE') : '—');
const dateTime = (iso) => (iso ? new Date(iso).toLocaleString('sv-SE') : '—');

function milliseconds(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const ms = seconds * 1000;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

// Measured against the server's own clock (generated_at), so a skewed client clock does not matter.
function ago(iso, nowIso) {
  const seconds = (Date.parse(nowIso) - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 1.5) return 'just now';
  if (seconds < 120) return `${Math.round(seconds)} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

function cell(content, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(content);
  return td;
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function emptyRow(columns, text) {
  const tr = document.createElement('tr');
  const td = cell(text, 'empty');
  td.colSpan = columns;
  tr.append(td);
  return tr;
}

function renderWorkers(workers, now) {
  const rows = workers.map((worker) => {
    const tr = document.createElement('tr');
    tr.dataset.alive = String(worker.alive);
    const time = element('time', ago(worker.last_seen, now));
    time.dateTime = worker.last_seen;
    time.title = dateTime(worker.last_seen);
    tr.append(
      cell(element('span', worker.name, 'mono')),
      cell(element('span', worker.alive ? 'alive' : 'dead', `badge ${worker.alive ? 'alive' : 'dead'}`)),
      cell(`${worker.busy} / ${worker.threads}`),
      cell(dateTime(worker.started_at)),
      cell(time),
    );
    return tr;
  });
  byId('workers').replaceChildren(...(rows.length ? rows : [emptyRow(5, 'No worker has reported.')]));
}

function renderFailures(failures) {
  const rows = failures.map((failure) => {
    const tr = document.createElement('tr');
    tr.dataset.taskId = failure.task_id;
    const time = element('time', clock(failure.finished_at));
    time.dateTime = failure.finished_at ?? '';
    time.title = dateTime(failure.finished_at);
    tr.append(
      cell(element('code', failure.task_id)),
      cell(time),
      cell(element('code', failure.code)),
      cell(failure.message, 'message'),
    );
    return tr;
  });
  byId('failures').replaceChildren(...(rows.length ? rows : [emptyRow(4, 'No recent failures.')]));
}

function renderWebhooks(webhooks) {
  const rows = webhooks.map((webhook) => {
    const tr = document.createElement('tr');
    tr.dataset.taskId = webhook.task_id;
    tr.append(
      cell(element('code', webhook.task_id)),
      cell(element('code', webhook.host)),
      cell(element('span', webhook.state, `badge ${webhook.state === 'failed' ? 'dead' : 'pending'}`)),
      cell(String(webhook.attempts)),
      cell(webhook.last_status === null ? 'no answer' : String(webhook.last_status)),
    );
    return tr;
  });
  byId('webhooks').replaceChildren(...(rows.length ? rows : [emptyRow(5, 'No failing webhooks.')]));
}

// An area chart of tasks/s, newest at the right; it fills from the right over the first minute.
function renderSparkline() {
  const svg = byId('sparkline');
  svg.classList.toggle('empty', rate.length < 3);
  const slots = Math.max(rate.length, 30);
  const step = 300 / (slots - 1);
  const offset = slots - rate.length;
  const max = Math.max(...rate, 0.001);
  const points = rate.map((value, i) => `${((offset + i) * step).toFixed(1)},${(39 - (value / max) * 35).toFixed(1)}`);
  svg.querySelector('polyline').setAttribute('points', points.join(' '));
  const left = (offset * step).toFixed(1);
  svg.querySelector('polygon').setAttribute('points', `${left},40 ${points.join(' ')} 300,40`);
}

function render(data) {
  for (const priority of ['high', 'normal', 'low']) {
    byId(`queue-${priority}`).textContent = String(data.queue[priority] ?? 0);
  }
  const throughput = data.throughput;
  byId('window').textContent = `(last ${throughput.window_seconds} s)`;
  byId('tasks-per-second').textContent = throughput.tasks_per_second.toFixed(2);
  byId('succeeded').textContent = String(throughput.succeeded);
  byId('failed').textContent = String(throughput.failed);
  byId('failed').classList.toggle('failed-nonzero', throughput.failed > 0);
  byId('p50').textContent = milliseconds(data.processing_seconds.p50);
  byId('p99').textContent = milliseconds(data.processing_seconds.p99);
  renderWorkers(data.workers, data.generated_at);
  renderFailures(data.recent_failures);
  renderWebhooks(data.failing_webhooks ?? []);
  rate.push(throughput.tasks_per_second);
  if (rate.length > SPARKLINE_SAMPLES) rate.shift();
  renderSparkline();
}

function showLive(generatedAt) {
  lastSuccess = generatedAt;
  const connection = byId('connection');
  connection.className = 'connection live';
  connection.textContent = `Live · updated ${clock(generatedAt)}`;
  byId('lost-banner').hidden = true;
  document.body.classList.remove('stale');
}

function showLost(reason) {
  const connection = byId('connection');
  connection.className = 'connection lost';
  connection.textContent = 'Connection lost';
  const banner = byId('lost-banner');
  const since = lastSuccess ? ` The figures below are from ${clock(lastSuccess)}.` : '';
  banner.textContent = `Connection lost: ${reason}. Retrying every ${REFRESH_MS / 1000} s.${since}`;
  banner.hidden = false;
  document.body.classList.add('stale');  // the figures shown are old: dim them
}

async function refresh() {
  timer = null;
  inFlight = true;
  try {
    await load();
  } finally {
    inFlight = false;
  }
  if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
}

async function load() {
  let response;
  try {
    response = await apiFetch(DASHBOARD_URL, { cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    showLost(error.name === 'TimeoutError' ? 'no answer within 5 s' : 'the server cannot be reached');
    return;
  }
  if (!response.ok) {
    const error = await errorFromResponse(response);
    showLost(`HTTP ${error.status}${error.code ? ` (${error.code})` : ''}`);
    return;
  }
  try {
    const data = await response.json();
    render(data);
    showLive(data.generated_at);
  } catch (error) {
    showLost(`unexpected answer (${error.message})`);
  }
}

// A hidden tab stops polling; it refreshes at once when shown again.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && timer === null && !inFlight) refresh();
});

// A new key takes effect at once.
setUpKeyField(() => {
  clearTimeout(timer);
  timer = null;
  if (!inFlight) refresh();
});
refresh();
