// The dashboard's latest batches: each with a link to its batch document, its size, and how far
// its tasks got. A poll reads a bounded number of tasks over all batches shown ("counted" of
// "tasks"); a batch read only in part says so instead of claiming to be done.
import { byId } from './common.js';
import { cell, clock, dateTime, element, emptyRow } from './dashboard-dom.js';

const COLUMNS = 6;

// "3/6 done", or "3/6 done (of 4 read)" when the server read only part of the batch.
function progressText(batch, ended) {
  const partial = batch.counted < batch.tasks ? ` (of ${batch.counted} read)` : '';
  return `${ended}/${batch.tasks} done${partial}`;
}

function stateBadge(batch) {
  if (batch.done) {
    const failed = batch.summary.FAILURE > 0;
    return element('span', 'finished', `badge ${failed ? 'FAILURE' : 'SUCCESS'}`);
  }
  return element('span', 'running', 'badge');
}

function batchRow(batch) {
  const tr = document.createElement('tr');
  tr.dataset.batchId = batch.batch_id;
  const link = element('a', batch.batch_id);
  link.href = batch.batch_url;
  const code = document.createElement('code');
  code.append(link);
  const time = element('time', clock(batch.created_at));
  time.dateTime = batch.created_at;
  time.title = dateTime(batch.created_at);
  const summary = batch.summary;
  const ended = summary.SUCCESS + summary.FAILURE + summary.deleted;
  const bar = document.createElement('progress');
  bar.max = Math.max(batch.tasks, 1);
  bar.value = ended;
  const progress = cell(stateBadge(batch), 'progress');
  progress.append(' ', bar, ' ', element('span', progressText(batch, ended), 'progress-text'));
  const failures = cell(String(summary.FAILURE), 'failures');
  failures.classList.toggle('failed-nonzero', summary.FAILURE > 0);
  tr.append(
    cell(code),
    cell(time),
    cell(String(batch.files), 'files'),
    cell(String(batch.tasks), 'tasks'),
    progress,
    failures,
  );
  return tr;
}

export function renderBatches(batches) {
  const rows = batches.map(batchRow);
  byId('batches').replaceChildren(...(rows.length ? rows : [emptyRow(COLUMNS, 'No batches yet.')]));
}
