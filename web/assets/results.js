// Result files: the names they are saved under, and fetching them when the server needs a key.
import { apiFetch, apiKey, errorFromResponse } from './common.js';

const EXTENSIONS = { jpeg: 'jpg', tiff: 'tif' };

// "photo-120x80.png", or "photo-thumb-120x80.png" for a batch's output named "thumb".
export function downloadName(fileName, result, variant = '') {
  const stem = fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'image';
  const ext = EXTENSIONS[result.format] ?? result.format;
  const output = variant ? `-${variant}` : '';
  return `${stem}${output}-${result.width}x${result.height}.${ext}`;
}

// A FAILURE task's error, as the status JSON gives it.
export const taskError = (task) => task.error ?? { code: 'unknown', message: 'The task failed.' };

// The bytes at `url`, fetched with the API key, as a blob: URL that the caller revokes.
export async function fetchObjectUrl(url) {
  const response = await apiFetch(url, { cache: 'no-store' });
  if (!response.ok) throw await errorFromResponse(response);
  return URL.createObjectURL(await response.blob());
}

// A click handler for the links that match `selector` in a container. A link cannot send the
// Authorization header, so while a key is set the click fetches the link's target with it and
// hands `use(link, objectUrl)` a blob: URL of that instead; `onError({message, code})` hears
// when that fails. Without a key, links work as they are.
function fetchedWithKey(selector, use, onError) {
  return async (event) => {
    const link = event.target.closest(selector);
    if (!link || !apiKey()) return;
    event.preventDefault();
    try {
      const objectUrl = await fetchObjectUrl(link.href);
      use(link, objectUrl);
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
    } catch (error) {
      onError({ message: error.message ?? String(error), code: error.code ?? null });
    }
  };
}

// Download links (a[download]): the fetched file is saved under the link's name.
export const downloadWithKey = (onError) => fetchedWithKey('a[download]', (link, objectUrl) => {
  const save = document.createElement('a');
  save.href = objectUrl;
  save.download = link.download;
  save.click();
}, onError);

// Links to JSON documents (a[data-with-key]): the fetched document opens in a new tab.
export const openWithKey = (onError) => fetchedWithKey('a[data-with-key]', (link, objectUrl) => {
  window.open(objectUrl, '_blank');
}, onError);
