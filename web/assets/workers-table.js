// The dashboard's workers table, and for an operator (the dashboard JSON says "operator": true)
// the controls that steer the workers: PATCH /api/v1/workers/{name} for one, PATCH
// /api/v1/workers for all, with {"concurrency": n} or {"paused": bool}. A worker applies a change
// at its next heartbeat, and the table shows it from that heartbeat on.
// Rows are kept across refreshes (keyed by worker name), so a number being typed stays put.
import { apiFetch, byId, errorFromResponse, showError } from './common.js';
import { ago, cell, dateTime, element, emptyRow } from './dashboard-dom.js';

const WORKERS_URL = '/api/v1/workers';
const REQUEST_TIMEOUT_MS = 5000;
const COLUMNS = 6;

const rows = new Map();  // worker name → {tr, cells, controls, worker, shownThreads}

// Sends one change; says what was asked, or why it was refused, under the table.
async function steer(name, change) {
  const url = name === null ? WORKERS_URL : `${WORKERS_URL}/${encodeURIComponent(name)}`;
  const message = byId('operator-message');
  const errorBox = byId('operator-error');
  let response;
  try {
    response = await apiFetch(url, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(change),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    message.textContent = '';
    const reason = error.name === 'TimeoutError' ? 'no answer within 5 s' : 'the server cannot be reached';
    showError(errorBox, 'Not sent:', reason);
    return;
  }
  if (!response.ok) {
    const error = await errorFromResponse(response);
    message.textContent = '';
    showError(errorBox, `Refused (HTTP ${error.status}):`, error.message, error.code);
    return;
  }
  errorBox.replaceChildren();
  message.textContent = describeAccepted(await response.json().catch(() => ({})), name, change);
}

function describeAccepted(body, name, change) {
  const who = (body.worker ?? name ?? '*') === '*' ? 'Every worker' : `Worker ${body.worker ?? name}`;
  const what = [];
  const concurrency = body.concurrency ?? change.concurrency;
  const paused = body.paused ?? change.paused;
  if (concurrency !== undefined && concurrency !== null) what.push(`concurrency ${concurrency}`);
  if (paused !== undefined && paused !== null) what.push(paused ? 'pause' : 'resume');
  return `${who}: ${what.join(', ')} requested; applied at the next heartbeat.`;
}

// A form with a number input (1..max) and a Set button, sending {"concurrency": n}.
function concurrencyForm(label, onSet) {
  const form = document.createElement('form');
  form.className = 'steer';
  form.noValidate = true;  // the server checks the number, and its answer says what is wrong
  const input = document.createElement('input');
  input.type = 'number';
  input.min = '1';
  input.required = true;
  input.setAttribute('aria-label', `Concurrency of ${label}`);
  const set = element('button', 'Set');
  set.type = 'submit';
  set.setAttribute('aria-label', `Set the concurrency of ${label}`);
  form.append(input, set);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSet(Number(input.value));
  });
  return { form, input, set };
}

function pauseButton() {
  const button = element('button', 'Pause', 'pause');
  button.type = 'button';
  return button;
}

function createRow(name) {
  const tr = document.createElement('tr');
  const cells = Array.from({ length: COLUMNS }, () => document.createElement('td'));
  tr.append(...cells);
  const row = { tr, cells, worker: null, shownThreads: null };
  const { form, input, set } = concurrencyForm(`worker ${name}`, (n) => steer(name, { concurrency: n }));
  const pause = pauseButton();
  pause.addEventListener('click', () => steer(name, { paused: !row.worker.paused }));
  const controls = document.createElement('div');
  controls.className = 'controls';
  controls.append(form, pause);
  cells[5].append(controls);
  row.controls = { input, set, pause };
  return row;
}

function updateRow(row, worker, now, operator) {
  row.worker = worker;
  const { tr, cells, controls } = row;
  tr.dataset.worker = worker.name;
  tr.dataset.alive = String(worker.alive);
  tr.dataset.paused = String(worker.paused);
  cells[0].replaceChildren(element('span', worker.name, 'mono'));
  const state = [element('span', worker.alive ? 'alive' : 'dead', `badge ${worker.alive ? 'alive' : 'dead'}`)];
  if (worker.paused) state.push(' ', element('span', 'paused', 'badge paused'));
  cells[1].replaceChildren(...state);
  cells[2].replaceChildren(`${worker.busy} / ${worker.threads}`);
  cells[3].replaceChildren(dateTime(worker.started_at));
  const time = element('time', ago(worker.last_seen, now));
  time.dateTime = worker.last_seen;
  time.title = dateTime(worker.last_seen);
  cells[4].replaceChildren(time);

  cells[5].hidden = !operator;
  // The number follows the worker until someone types another; then it is theirs.
  if (document.activeElement !== controls.input
      && (controls.input.value === '' || controls.input.value === String(row.shownThreads))) {
    controls.input.value = String(worker.threads);
  }
  row.shownThreads = worker.threads;
  controls.input.max = String(worker.max_threads);
  const action = worker.paused ? 'Resume' : 'Pause';
  controls.pause.textContent = action;
  controls.pause.setAttribute('aria-label', `${action} worker ${worker.name}`);
  for (const control of Object.values(controls)) control.disabled = !worker.alive;
}

// The controls for every worker at once, above the table.
function setUpAllWorkers() {
  const box = byId('all-workers');
  const { form, input } = concurrencyForm('every worker', (n) => steer(null, { concurrency: n }));
  input.id = 'all-concurrency';
  const pause = pauseButton();
  pause.textContent = 'Pause all';
  pause.addEventListener('click', () => steer(null, { paused: true }));
  const resume = element('button', 'Resume all', 'pause');
  resume.type = 'button';
  resume.addEventListener('click', () => steer(null, { paused: false }));
  box.append(form, pause, resume);
  return input;
}

let allConcurrency = null;

export function renderWorkers(workers, now, operator) {
  allConcurrency ??= setUpAllWorkers();
  byId('operator-controls').hidden = !operator;
  byId('controls-head').hidden = !operator;
  // At most the largest any worker allows; a worker that allows fewer refuses with a 422.
  allConcurrency.max = String(Math.max(1, ...workers.map((worker) => worker.max_threads ?? 1)));

  const tbody = byId('workers');
  if (!workers.length) {
    rows.clear();
    tbody.replaceChildren(emptyRow(COLUMNS, 'No worker has reported.'));
    return;
  }
  const names = new Set(workers.map((worker) => worker.name));
  for (const name of rows.keys()) if (!names.has(name)) rows.delete(name);
  const ordered = workers.map((worker) => {
    if (!rows.has(worker.name)) rows.set(worker.name, createRow(worker.name));
    const row = rows.get(worker.name);
    updateRow(row, worker, now, operator);
    return row.tr;
  });
  // Moved only when the order changed: moving a row would take the focus off its input.
  const current = [...tbody.children];
  if (current.length !== ordered.length || current.some((tr, i) => tr !== ordered[i])) {
    tbody.replaceChildren(...ordered);
  }
}
