// Long-polling a status route (a task's or a batch's) until its answer says it has ended.
import { apiFetch, delay, errorFromResponse, showError } from './common.js';

export const WAIT_SECONDS = 10;  // the server holds each status request up to this long
const RETRY_MS = [500, 1000, 2000, 4000];

// GETs `url` (with the API key) again and again until `onBody(json)` returns true, `signal`
// aborts or the server answers an error (404: deleted or expired meanwhile), which shows in
// `errorBox`. The server holds each request until something ends or its ?wait= passes; a lost
// connection shows in `errorBox` too and is retried, backing off.
export async function pollUntil(url, { signal, errorBox, onBody }) {
  let failures = 0;
  while (!signal.aborted) {
    let response;
    try {
      response = await apiFetch(url, { signal, cache: 'no-store' });
    } catch {
      if (signal.aborted) return;
      showError(errorBox, 'Connection lost:', 'retrying…', null);
      await delay(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
      continue;
    }
    errorBox.replaceChildren();
    failures = 0;
    if (!response.ok) {
      const error = await errorFromResponse(response);
      showError(errorBox, `Status unavailable (HTTP ${error.status}):`, error.message, error.code);
      return;
    }
    const body = await response.json();
    if (signal.aborted || onBody(body)) return;
  }
}
