// What the dashboard's tables are made of: cells, badges, and times and durations written the
// same way everywhere.

// Local time, unambiguous in every locale: "03:40:00" and "2026-11-28 03:40:00".
export const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString('sv-SE') : '—');
export const dateTime = (iso) => (iso ? new Date(iso).toLocaleString('sv-SE') : '—');

export function milliseconds(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const ms = seconds * 1000;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

// A wait: milliseconds below a second, then seconds, then minutes.
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return milliseconds(seconds);
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

// Measured against the server's own clock (generated_at), so a skewed client clock does not matter.
export function ago(iso, nowIso) {
  const seconds = (Date.parse(nowIso) - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 1.5) return 'just now';
  if (seconds < 120) return `${Math.round(seconds)} s ago`;
  return `${Math.round(seconds / 60)} min ago`;
}

export function cell(content, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(content);
  return td;
}

export function element(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

export function emptyRow(columns, text) {
  const tr = document.createElement('tr');
  const td = cell(text, 'empty');
  td.colSpan = columns;
  tr.append(td);
  return tr;
}
