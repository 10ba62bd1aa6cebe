// Helpers shared by the upload page and the dashboard.

export const byId = (id) => document.getElementById(id);

// "1.2 KiB": binary units, as the server's size options use them.
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// Any non-2xx answer as {status, message, code}. The API answers JSON errors
// ({"result":"error","message":…,"code":…}); a proxy in front of it may not.
export async function errorFromResponse(response) {
  let message = `HTTP ${response.status} ${response.statusText}`.trim();
  let code = null;
  try {
    const body = await response.json();
    if (body && typeof body.message === 'string') message = body.message;
    if (body && typeof body.code === 'string') code = body.code;
  } catch {
    // Not JSON: keep the status line.
  }
  const retryAfter = response.headers.get('Retry-After');
  if (retryAfter) message += ` Try again in ${retryAfter} s.`;
  return { status: response.status, message, code };
}

// Replaces the children of `box` with: <strong>title</strong> message <code>code</code>.
export function showError(box, title, message, code) {
  const parts = [];
  const strong = document.createElement('strong');
  strong.textContent = title;
  parts.push(strong, ` ${message}`);
  if (code) {
    const codeEl = document.createElement('code');
    codeEl.className = 'error-code';
    codeEl.textContent = code;
    parts.push(' ', codeEl);
  }
  box.replaceChildren(...parts);
}

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The API key, when the server runs with --api-keys-file: typed into the header's key field and
// kept for this tab only (sessionStorage), never in a URL.
const KEY_STORAGE = 'image-resize-api-key';
export const apiKey = () => sessionStorage.getItem(KEY_STORAGE) ?? '';

// fetch() with the Authorization header when a key is set.
export function apiFetch(url, options = {}) {
  const key = apiKey();
  if (!key) return fetch(url, options);
  const headers = new Headers(options.headers ?? {});
  headers.set('Authorization', `Bearer ${key}`);
  return fetch(url, { ...options, headers });
}

// Wires the header's API key field to sessionStorage; `onChange` runs after an edit.
export function setUpKeyField(onChange = () => {}) {
  const field = byId('api-key');
  if (!field) return;
  field.value = apiKey();
  field.addEventListener('change', () => {
    const key = field.value.trim();
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
    onChange();
  });
}
