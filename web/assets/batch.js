// A batch on the upload page: its tasks in a table, long-polled until every one has ended, a
// summary line, and the ZIP of the results once there is one.
import { byId, formatBytes, showError } from './common.js';
import { WAIT_SECONDS, pollUntil } from './poll.js';
import { downloadName, downloadWithKey, taskError } from './results.js';

const SUMMARY_PARTS = [['PENDING', 'queued'], ['STARTED', 'running'], ['SUCCESS', 'succeeded'],
  ['FAILURE', 'failed'], ['deleted', 'deleted']];

const rows = byId('batch-tasks').tBodies[0];
const errorBox = byId('batch-error');
const archive = byId('batch-archive');

byId('batch').addEventListener('click', downloadWithKey((error) => {
  showError(errorBox, 'Could not download:', error.message, error.code);
}));

function cell(text = '') {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function badge(state) {
  const span = document.createElement('span');
  span.className = `badge ${state}`;
  span.textContent = state;
  return span;
}

// One row per task of the 202 answer; its cells: file, output, state, size, result.
function taskRow({ task_id: taskId, file, variant }) {
  const row = document.createElement('tr');
  row.dataset.taskId = taskId;
  row.dataset.file = file;
  row.dataset.variant = variant;
  const state = cell();
  state.className = 'state';
  state.append(badge('PENDING'));  // 202 means queued
  row.append(cell(file), cell(variant || '—'), state, cell(), cell());
  return row;
}

function showTask(row, task) {
  const [, , stateCell, sizeCell, resultCell] = row.cells;
  const state = task?.status ?? 'deleted';
  if (row.dataset.state === state) return;
  row.dataset.state = state;
  stateCell.replaceChildren(badge(state));
  if (state === 'SUCCESS') {
    const { result } = task;
    sizeCell.textContent = `${result.width}x${result.height} ${result.format}, ${formatBytes(result.bytes)}`;
    const link = document.createElement('a');
    link.href = result.url;
    link.download = downloadName(row.dataset.file, result, row.dataset.variant);
    link.textContent = link.download;
    resultCell.replaceChildren(link);
  } else if (state === 'FAILURE') {
    const error = taskError(task);
    resultCell.className = 'failed';
    showError(resultCell, 'Failed:', error.message, error.code);
  }
}

function showSummary(summary, done) {
  const total = SUMMARY_PARTS.reduce((sum, [key]) => sum + (summary[key] ?? 0), 0);
  const parts = SUMMARY_PARTS.filter(([key]) => summary[key] > 0).map(([key, word]) => `${summary[key]} ${word}`);
  byId('batch-summary').textContent = `${total} tasks: ${parts.join(', ')}${done ? '. Done.' : '…'}`;
  archive.hidden = !(summary.SUCCESS > 0);
  byId('batch-archive-note').hidden = archive.hidden || done;
}

function showBatch(batch) {
  const byTaskId = new Map(batch.tasks.map((task) => [task.task_id, task]));
  for (const row of rows.rows) showTask(row, byTaskId.get(row.dataset.taskId));
  showSummary(batch.summary, batch.done);
}

// Shows the batch of a 202 answer and follows it until every task has ended or `signal` aborts.
export function watchBatch(accepted, signal) {
  byId('batch-id').textContent = accepted.batch_id;
  errorBox.replaceChildren();
  archive.href = accepted.archive_url;
  archive.download = `batch-${accepted.batch_id}.zip`;
  rows.replaceChildren(...accepted.tasks.map(taskRow));
  showSummary({ PENDING: accepted.tasks.length }, false);
  return pollUntil(`${accepted.batch_url}?wait=${WAIT_SECONDS}`, {
    signal,
    errorBox,
    onBody: (batch) => {
      showBatch(batch);
      return batch.done;
    },
  });
}
