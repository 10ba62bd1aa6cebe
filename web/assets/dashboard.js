// The live dashboard: GET /api/v1/dashboard every 2 s, render it, say so when the server is gone.
import { apiFetch, byId, errorFromResponse, setUpKeyField } from './common.js';
import { cell, clock, dateTime, duration, element, emptyRow, milliseconds } from './dashboard-dom.js';
import { renderBatches } from './batches-table.js';
import { renderHistory } from './history-charts.js';
import { renderWorkers } from './workers-table.js';

const DASHBOARD_URL = '/api/v1/dashboard';
const REFRESH_MS = 2000;
const REQUEST_TIMEOUT_MS = 5000;
const PRIORITIES = ['high', 'normal', 'low'];

let timer = null;     // the next scheduled refresh
let inFlight = false;  // a request is out: never run two loops
let lastSuccess = null;

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

// Upload to a worker's first start, of the tasks started in the last minute.
function renderWaiting(waiting) {
  for (const priority of PRIORITIES) {
    const shown = waiting?.[priority] ?? { p50: null, p99: null, tasks: 0 };
    byId(`wait-${priority}-p50`).textContent = duration(shown.p50);
    byId(`wait-${priority}-p99`).textContent = duration(shown.p99);
    byId(`wait-${priority}-tasks`).textContent = String(shown.tasks);
  }
}

function render(data) {
  for (const priority of PRIORITIES) {
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
  renderWaiting(data.waiting_seconds);
  renderHistory(data.history);
  renderWorkers(data.workers, data.generated_at, data.operator === true);
  renderFailures(data.recent_failures);
  renderWebhooks(data.failing_webhooks ?? []);
  renderBatches(data.batches ?? []);
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
