// The dashboard's latest batches: each with a link to its batch document, its size, how far its
// tasks got, and the ZIP of its results once there is one. A poll reads a bounded number of tasks
// over all batches shown ("counted" of "tasks"); a batch read only in part says so instead of
// claiming to be done. With an API key, both links are fetched with it (results.js).
import { byId, showError } from './common.js';
import { cell, clock, dateTime, element, emptyRow } from './dashboard-dom.js';
import { downloadWithKey, openWithKey } from './results.js';

const COLUMNS = 7;
const body = byId('batches');
const onError = (error) => showError(byId('batches-error'), 'Could not open:', error.message, error.code);
body.addEventListener('click', downloadWithKey(onError));
body.addEventListener('click', openWithKey(onError));

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
  link.dataset.withKey = '';
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
    cell(archiveLink(batch), 'archive'),
  );
  return tr;
}

// The batch's ZIP (GET <batch_url>/archive), once one of its tasks succeeded.
function archiveLink(batch) {
  if (!(batch.summary.SUCCESS > 0)) return '—';
  const link = element('a', 'ZIP');
  link.href = `${batch.batch_url}/archive`;
  link.download = `batch-${batch.batch_id}.zip`;
  return link;
}

export function renderBatches(batches) {
  const rows = batches.map(batchRow);
  body.replaceChildren(...(rows.length ? rows : [emptyRow(COLUMNS, 'No batches yet.')]));
}
