// The upload page: send the form as multipart, then long-poll the task's status until it ends.
// Several files or any outputs make a batch, which batch.js shows.
import { apiFetch, apiKey, byId, errorFromResponse, formatBytes, setUpKeyField, showError } from './common.js';
import { watchBatch } from './batch.js';
import { WAIT_SECONDS, pollUntil } from './poll.js';
import { downloadName, fetchObjectUrl, taskError } from './results.js';
import { loadPresets, presetsProblem, presetsValue } from './presets.js';
import { setUpVariants, variantsValue } from './variants.js';

const RESIZE_URL = '/api/v1/images/resize';

const form = byId('resize-form');
const fileInput = byId('file');
const fitSelect = byId('fit');
const backgroundInput = byId('background');
const gravityField = byId('gravity-field');
const submitButton = byId('submit');
const formError = byId('form-error');
setUpKeyField(loadPresets);
setUpVariants();
loadPresets();

// Which form fields an API error code is about, to mark them aria-invalid.
const FIELDS_BY_CODE = {
  no_file: ['file'],
  unsupported_image: ['file'],
  image_too_large: ['file'],
  payload_too_large: ['file'],
  invalid_size: ['width', 'height'],
  invalid_fit: ['fit'],
  invalid_format: ['format'],
  invalid_quality: ['quality'],
  invalid_priority: ['priority'],
  invalid_background: ['background'],
  invalid_gravity: ['gravity'],
  invalid_dpr: ['dpr', 'width', 'height'],
  invalid_progressive: ['progressive'],
  invalid_lossless: ['lossless'],
  unknown_preset: ['presets'],
  presets_only: ['presets'],
};

let previewUrl = null;
let watching = null;  // AbortController of the task shown now; a new submit replaces it

// ---- The chosen files: a local preview and the size of one, the count and total of several ----
fileInput.addEventListener('change', () => {
  const preview = byId('input-preview');
  const info = byId('file-info');
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = null;
  preview.hidden = true;
  const files = [...fileInput.files];
  if (files.length > 1) {
    const total = files.reduce((sum, file) => sum + file.size, 0);
    info.textContent = `${files.length} files, ${formatBytes(total)}: ${files.map((file) => file.name).join(', ')}`;
    return;
  }
  const file = files[0];
  if (!file) {
    info.textContent = 'No file chosen.';
    return;
  }
  info.textContent = `${file.name} — ${formatBytes(file.size)}`;
  previewUrl = URL.createObjectURL(file);
  preview.onload = () => {
    preview.hidden = false;
    info.textContent = `${file.name} — ${preview.naturalWidth}x${preview.naturalHeight}, ${formatBytes(file.size)}`;
  };
  // Formats the browser cannot show (TIFF, HEIC…) still upload fine: just no preview.
  preview.onerror = () => { preview.hidden = true; };
  preview.src = previewUrl;
});

// Files dropped anywhere on the form become the chosen files.
const carriesFiles = (event) => event.dataTransfer?.types.includes('Files');
form.addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
  form.classList.add('drop-target');
});
form.addEventListener('dragleave', (event) => {
  if (!form.contains(event.relatedTarget)) form.classList.remove('drop-target');
});
form.addEventListener('drop', (event) => {
  form.classList.remove('drop-target');
  if (!carriesFiles(event)) return;
  event.preventDefault();
  fileInput.files = event.dataTransfer.files;
  fileInput.dispatchEvent(new Event('change'));
});

// Background only means something for contain, gravity only for cover.
function syncFitOptions() {
  backgroundInput.disabled = fitSelect.value !== 'contain';
  gravityField.hidden = fitSelect.value !== 'cover';
}
fitSelect.addEventListener('change', syncFitOptions);
syncFitOptions();

// ---- Submit ----
// format=auto chooses from the upload's Accept header, and fetch() sends */*: name the modern
// formats this browser can show, found by decoding a one-pixel sample of each.
const SAMPLES = {
  'image/avif': 'data:image/avif;base64,AAAAHGZ0eXBhdmlmAAAAAGF2aWZtaWYxbWlhZgAAAOptZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAABAAAAImlsb2MAAAAAREAAAQABAAAAAAEOAAEAAAAAAAAAGAAAACNpaW5mAAAAAAABAAAAFWluZmUCAAAAAAEAAGF2MDEAAAAAamlwcnAAAABLaXBjbwAAABNjb2xybmNseAACAAIABoAAAAAMYXYxQ4EADAAAAAAUaXNwZQAAAAAAAAABAAAAAQAAABBwaXhpAAAAAAMICAgAAAAXaXBtYQAAAAAAAAABAAEEgYIDhAAAACBtZGF0EgAKCBgABggQEDQgMgoYAAAAQAX172To',
  'image/webp': 'data:image/webp;base64,UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA',
};
let shownTypes = null;
async function imageTypesThisBrowserShows() {
  shownTypes ??= Promise.all(Object.entries(SAMPLES).map(async ([type, url]) => {
    const sample = new Image();
    sample.src = url;
    try {
      await sample.decode();
      return type;
    } catch {
      return null;
    }
  })).then((types) => types.filter(Boolean));
  return shownTypes;
}

// A disabled field is not sent, as a plain form would not send it: presets.js disables the size
// fields when the server takes presets only.
function buildForm() {
  const data = new FormData();
  const sent = (name) => !byId(name).disabled;
  for (const file of fileInput.files) data.append('file', file, file.name);
  for (const name of ['width', 'height', 'quality'].filter(sent)) {
    const value = byId(name).value.trim();
    if (value !== '') data.append(name, value);
  }
  for (const name of ['fit', 'format', 'dpr'].filter(sent)) data.append(name, byId(name).value);
  // Automatic (empty) leaves the priority to the server: normal for one image, low for a batch.
  const priority = byId('priority').value;
  if (sent('priority') && priority !== '') data.append('priority', priority);
  if (!gravityField.hidden) data.append('gravity', byId('gravity').value);
  for (const name of ['progressive', 'lossless']) data.append(name, String(byId(name).checked));
  const background = backgroundInput.value.trim();
  if (!backgroundInput.disabled && background !== '') data.append('background', background);
  const variants = variantsValue();
  if (variants) data.append('variants', JSON.stringify(variants));
  for (const preset of presetsValue()) data.append('preset', preset);
  return data;
}

function clearFormError() {
  formError.replaceChildren();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function showFormError({ status, message, code }) {
  showError(formError, status ? `Rejected (HTTP ${status}):` : 'Not sent:', message, code);
  for (const name of FIELDS_BY_CODE[code] ?? []) byId(name).setAttribute('aria-invalid', 'true');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFormError();
  const problem = presetsProblem();
  if (problem) {
    showFormError({ status: 0, message: problem, code: null });
    byId('presets').setAttribute('aria-invalid', 'true');
    return;
  }
  watching?.abort();
  watching = new AbortController();
  const { signal } = watching;
  const fileName = fileInput.files[0]?.name ?? 'image';

  submitButton.disabled = true;
  byId('submit-state').textContent = 'Uploading…';
  let response;
  try {
    const headers = byId('format').value === 'auto' ? { Accept: (await imageTypesThisBrowserShows()).join(', ') || '*/*' } : {};
    response = await apiFetch(RESIZE_URL, { method: 'POST', body: buildForm(), headers, signal });
  } catch (error) {
    if (!signal.aborted) showFormError({ status: 0, message: `Could not reach the server (${error.message}).`, code: null });
    return;
  } finally {
    submitButton.disabled = false;
    byId('submit-state').textContent = '';
  }
  if (response.status !== 202) {
    showFormError(await errorFromResponse(response));
    return;
  }
  const accepted = await response.json();
  if (accepted.batch_id) {
    showView('batch');
    watchBatch(accepted, signal);
    return;
  }
  showTask(accepted.task_id);
  watchTask(accepted.task_id, fileName, signal);
});

// One task, or a batch of them: the panel shows the one the last upload made.
function showView(view) {
  byId('task-empty').hidden = true;
  byId('task').hidden = view !== 'task';
  byId('batch').hidden = view !== 'batch';
  byId('task-title').textContent = view === 'batch' ? 'Batch' : 'Task';
}

// ---- The task: status as it changes, then the result or the error ----
function showTask(taskId) {
  showView('task');
  byId('task-id').textContent = taskId;
  byId('task-history').replaceChildren();
  byId('task-error').replaceChildren();
  byId('result').hidden = true;
  byId('task-status').textContent = '';
  setStatus('PENDING');  // 202 means queued
}

function setStatus(status) {
  const badge = byId('task-status');
  if (badge.textContent === status) return;
  badge.textContent = status;
  badge.className = `badge ${status}`;
  const item = document.createElement('li');
  const step = document.createElement('span');
  step.className = `badge ${status}`;
  step.textContent = status;
  item.append(step);
  byId('task-history').append(item);
}

function watchTask(taskId, fileName, signal) {
  const url = `/api/v1/status/${encodeURIComponent(taskId)}?wait=${WAIT_SECONDS}`;
  return pollUntil(url, {
    signal,
    errorBox: byId('task-error'),
    onBody: (task) => {
      setStatus(task.status);
      if (task.status === 'SUCCESS') {
        showResult(task.result, fileName);
        return true;
      }
      if (task.status === 'FAILURE') {
        const error = taskError(task);
        showError(byId('task-error'), 'Failed:', error.message, error.code);
        return true;
      }
      return false;
    },
  });
}

// The result's address for <img> and the download link: the URL itself, or, when a key is needed
// (an <img> cannot send one), the bytes fetched with the key as a blob: URL.
let resultObjectUrl = null;
async function resultSource(url) {
  if (resultObjectUrl) URL.revokeObjectURL(resultObjectUrl);
  resultObjectUrl = null;
  if (!apiKey()) return url;
  resultObjectUrl = await fetchObjectUrl(url);
  return resultObjectUrl;
}

async function showResult(result, fileName) {
  const image = byId('result-image');
  const note = byId('result-note');
  image.hidden = false;
  note.hidden = true;
  // TIFF, for one, is a fine result that most browsers cannot show: say so instead of a broken image.
  image.onerror = () => {
    image.hidden = true;
    note.textContent = `This browser cannot display ${result.format}; the download link has the file.`;
    note.hidden = false;
  };
  let source;
  try {
    source = await resultSource(result.url);
  } catch (error) {
    showError(byId('task-error'), 'Could not download the result:', error.message ?? String(error), error.code ?? null);
    return;
  }
  image.src = source;
  image.width = result.width;
  image.height = result.height;
  byId('result-size').textContent = `${result.width}x${result.height}`;
  byId('result-format').textContent = result.format;
  byId('result-bytes').textContent = `${formatBytes(result.bytes)} (${result.bytes.toLocaleString('en')} bytes)`;
  const link = byId('result-download');
  link.href = source;
  link.download = downloadName(fileName, result);
  link.textContent = `Download ${link.download}`;
  byId('result').hidden = false;
}
