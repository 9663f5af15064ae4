// Word count and reading time of the text; headline and summary lengths
// against the limits the server enforces (given by the fields' data-limit).

const WORDS_PER_MINUTE = 230;

/** The words a reader will read: markup signs, link targets and pictures left out. */
export function countWords(markup) {
  const text = markup
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`]/g, ' ');
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu);
  return words ? words.length : 0;
}

function meter(field, describe) {
  const output = document.createElement('span');
  output.className = 'meter';
  output.id = `${field.id}-meter`;
  field.after(output);
  const ids = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  field.setAttribute('aria-describedby', [...ids, output.id].join(' '));
  const update = () => describe(field, output);
  field.addEventListener('input', update);
  update();
}

function lengthMeter(field, output) {
  const limit = Number(field.dataset.limit);
  const used = [...field.value.trim()].length;
  const over = used > limit;
  output.textContent = over
    ? `${used} of ${limit} characters: ${used - limit} too many`
    : `${used} of ${limit} characters`;
  output.classList.toggle('over', over);
}

function bodyMeter(field, output) {
  const words = countWords(field.value);
  const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
  output.textContent = `${words} ${words === 1 ? 'word' : 'words'}, about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} to read`;
}

export function startMeters(form, body) {
  for (const field of form.querySelectorAll('[data-limit]')) meter(field, lengthMeter);
  // Not live regions: counting every keystroke aloud would drown the text; the
  // counts are read with each field's description instead.
  meter(body, bodyMeter);
}
