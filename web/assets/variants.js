// The form's optional outputs: rows of name, width, height and format, sent as the upload's
// `variants` JSON field (docs/API.md, "Batches, variants and presets"). What a row leaves empty
// comes from the form's own fields.
import { byId } from './common.js';

const list = byId('variants');
const template = byId('variant-template');
let nextNumber = 1;  // for default names that stay unique after a row is removed

// Each row is a fieldset whose legend and remove button say which output it is.
function renumber() {
  list.querySelectorAll('fieldset.variant').forEach((row, index) => {
    row.querySelector('legend').textContent = `Output ${index + 1}`;
    row.querySelector('.remove').setAttribute('aria-label', `Remove output ${index + 1}`);
  });
}

// A row's formats are the form's, but for auto: the Accept header it needs is the form's business.
function formatOptions() {
  return [...byId('format').options].filter((option) => option.value !== 'auto')
    .map((option) => new Option(option.textContent, option.value));
}

function addRow() {
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelector('.variant-format').append(...formatOptions());
  row.querySelector('.variant-name').value = `output${nextNumber++}`;
  list.append(row);
  renumber();
  row.querySelector('.variant-width').focus();
}

export function setUpVariants() {
  byId('add-variant').addEventListener('click', addRow);
  list.addEventListener('click', (event) => {
    const remove = event.target.closest('.remove');
    if (!remove) return;
    remove.closest('fieldset.variant').remove();
    renumber();
    byId('add-variant').focus();
  });
}

// The rows as the API's variants, or null when there are none or their fieldset is disabled
// (presets.js does that when the server takes presets only). Numbers go as typed (a 0 too): the
// server judges them and names the row in its answer.
export function variantsValue() {
  const rows = [...list.querySelectorAll('fieldset.variant')];
  if (rows.length === 0 || list.closest('fieldset').disabled) return null;
  return rows.map((row) => {
    const variant = { name: row.querySelector('.variant-name').value.trim() };
    for (const side of ['width', 'height']) {
      const value = row.querySelector(`.variant-${side}`).value.trim();
      if (value !== '') variant[side] = Number(value);
    }
    const format = row.querySelector('.variant-format').value;
    if (format !== '') variant.format = format;
    return variant;
  });
}
