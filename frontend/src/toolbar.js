// The formatting toolbar over the text (GitHub's <markdown-toolbar> element, which
// edits the textarea through the browser's own undo history) and its shortcuts.

const BUTTONS = [
  // [element, label, shortcut as aria-keyshortcuts writes it, key test]
  ['md-header', 'Crosshead', 'Control+Alt+2', (e) => e.altKey && !e.shiftKey && e.code === 'Digit2'],
  ['md-quote', 'Quote', 'Control+Shift+Period', (e) => e.shiftKey && !e.altKey && e.code === 'Period'],
  ['md-link', 'Link', 'Control+K', (e) => !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k'],
  ['md-italic', 'Emphasis', 'Control+I', (e) => !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'i'],
  ['md-bold', 'Strong', 'Control+B', (e) => !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'b'],
];

export function startToolbar(form, body, pictures) {
  const toolbar = document.createElement('markdown-toolbar');
  toolbar.setAttribute('for', body.id);
  toolbar.setAttribute('aria-label', 'Formatting of the text');
  toolbar.setAttribute('aria-controls', body.id);
  toolbar.className = 'format-toolbar';
  const shortcuts = [];
  for (const [tag, label, keys, matches] of BUTTONS) {
    const button = document.createElement(tag);
    if (tag === 'md-header') button.setAttribute('level', '2');
    button.textContent = label;
    button.setAttribute('aria-keyshortcuts', keys);
    button.title = `${label} (${keys.replace('Control', 'Ctrl').replace('Period', '.')})`;
    toolbar.append(button);
    shortcuts.push([button, matches]);
  }
  const picture = document.createElement('button');
  picture.type = 'button';
  picture.setAttribute('data-md-button', '');
  picture.textContent = 'Picture';
  picture.setAttribute('aria-keyshortcuts', 'Control+Shift+P');
  picture.title = 'Picture (Ctrl+Shift+P): or drag one into the text, or paste it';
  picture.addEventListener('click', () => pictures.choose());
  toolbar.append(picture);
  shortcuts.push([picture, (e) => e.shiftKey && !e.altKey && e.key.toLowerCase() === 'p']);
  body.before(toolbar);

  body.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const hit = shortcuts.find(([, matches]) => matches(event));
    if (!hit) return;
    event.preventDefault();
    hit[0].click();
  });
}
