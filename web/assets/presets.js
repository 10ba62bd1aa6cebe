// The server's presets (GET /api/v1/presets; docs/API.md, "Batches, variants and presets") as
// checkboxes, sent as the upload's `preset` fields. With --only-presets the server refuses a size
// of the upload's own, so the size fields and the output rows go away. No presets, or an error
// from the route: nothing shows and the form is as without this module.
import { apiFetch, byId } from './common.js';

const PRESETS_URL = '/api/v1/presets';
// What --only-presets refuses (422 presets_only): these fields, and the output rows.
const FREE_SIZE_FIELDS = ['width', 'height', 'dpr'];

const fieldset = byId('presets');
const list = byId('preset-list');
let onlyPresets = false;
let loading = 0;  // which load is the latest: an older answer that arrives late is dropped

// "150×150", "600 wide", "80 high" or "same size", then "@2x" and the format when given.
function describeVariant(variant) {
  const { width, height } = variant;
  let size = 'same size';
  if (width && height) size = `${width}×${height}`;
  else if (width) size = `${width} wide`;
  else if (height) size = `${height} high`;
  const parts = [size];
  if (variant.dpr && Number(variant.dpr) !== 1) parts.push(`@${variant.dpr}x`);
  if (variant.format) parts.push(String(variant.format));
  return parts.join(' ');
}

// "thumb: 150×150 webp"; a preset of several outputs names each: "card: card 600 wide, card_2x …".
function describePreset({ name, variants }) {
  const only = variants.length === 1 && variants[0].name === name;
  const outputs = variants.map((variant) => (only ? '' : `${variant.name} `) + describeVariant(variant));
  return `${name}: ${outputs.join(', ')}`;
}

function presetRow(preset) {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.name = 'preset';
  box.value = preset.name;
  label.append(box, ` ${describePreset(preset)}`);
  return label;
}

// With --only-presets the fields of a free size, their hint and the output rows are hidden and
// disabled (a disabled field is not sent); without it they are back.
function holdToPresets(only) {
  onlyPresets = only;
  for (const name of FREE_SIZE_FIELDS) {
    const input = byId(name);
    input.disabled = only;
    input.closest('.field').hidden = only;
  }
  byId('size-hint').hidden = only;
  const outputs = byId('variants').closest('fieldset');
  outputs.disabled = only;
  outputs.hidden = only;
  byId('presets-only').hidden = !only;
}

// A preset checked before a reload stays checked if it is still there.
function show(presets, only) {
  const checked = new Set(presetsValue());
  list.replaceChildren(...presets.map(presetRow));
  for (const box of list.querySelectorAll('input[name="preset"]')) box.checked = checked.has(box.value);
  fieldset.hidden = presets.length === 0;
  holdToPresets(only && presets.length > 0);
}

// Lists the presets, again whenever called (after the API key changed: with keys on, the route
// needs one).
export async function loadPresets() {
  const current = ++loading;
  let body = null;
  try {
    const response = await apiFetch(PRESETS_URL);
    if (response.ok) body = await response.json();
  } catch {
    // Unreachable or not JSON: as without presets.
  }
  if (current !== loading) return;
  const presets = Array.isArray(body?.presets) ? body.presets : [];
  show(presets, body?.only_presets === true);
}

// The checked presets' names.
export function presetsValue() {
  return [...list.querySelectorAll('input[name="preset"]:checked')].map((box) => box.value);
}

// Why the upload cannot go yet, or null: with --only-presets it needs a preset.
export function presetsProblem() {
  if (!onlyPresets || presetsValue().length > 0) return null;
  return 'Choose at least one preset: this server makes only its presets.';
}
