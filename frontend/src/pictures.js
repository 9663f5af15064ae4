// Pictures in the text: dropped, pasted or chosen with the toolbar's button, a
// picture is uploaded through the newsroom's picture checks, then a dialog asks
// for its description (required) and caption, and its reference goes in at the cursor.
import { postJson, failure } from './http.js';

/**
 * Markup for a body picture. Every ASCII punctuation sign in the description and
 * caption is escaped, as the server's `markup::picture_markup` does, so neither
 * can become markup and both read back exactly as typed.
 */
export function pictureMarkup(reference, alt, caption) {
  const literal = (s) => s.replace(/[!-/:-@[-`{-~]/g, '\\$&');
  const title = caption ? ` "${literal(caption)}"` : '';
  return `![${literal(alt)}](${reference}${title})`;
}

function field(id, label, hint) {
  const p = document.createElement('p');
  const l = document.createElement('label');
  l.htmlFor = id;
  l.textContent = label;
  const input = document.createElement('input');
  input.id = id;
  input.autocomplete = 'off';
  p.append(l, input);
  if (hint) {
    const error = document.createElement('span');
    error.className = 'field-error';
    error.id = `${id}-error`;
    error.hidden = true;
    p.append(error);
  }
  return [p, input];
}

function buildDialog() {
  const dialog = document.createElement('dialog');
  dialog.className = 'picture-dialog';
  dialog.setAttribute('aria-labelledby', 'picture-dialog-heading');
  const form = document.createElement('form');
  form.method = 'dialog';
  form.noValidate = true;
  const heading = document.createElement('h2');
  heading.id = 'picture-dialog-heading';
  heading.textContent = 'Describe the picture';
  // The uploaded picture is shown here once there is one.
  const preview = document.createElement('p');
  const [altP, alt] = field('picture-alt', 'Description for people who cannot see it (required)', true);
  const [captionP, caption] = field('picture-caption', 'Caption (optional)', false);
  const actions = document.createElement('p');
  const insert = document.createElement('button');
  insert.type = 'submit';
  insert.value = 'insert';
  insert.textContent = 'Put it in the text';
  const cancel = document.createElement('button');
  cancel.type = 'submit';
  cancel.value = 'cancel';
  cancel.textContent = 'Cancel';
  cancel.formNoValidate = true;
  actions.append(insert, ' ', cancel);
  form.append(heading, preview, altP, captionP, actions);
  dialog.append(form);
  document.body.append(dialog);
  return { dialog, form, preview, alt, caption, error: altP.querySelector('.field-error') };
}

export function startPictures(editorForm, body) {
  const url = editorForm.dataset.pictures;
  const csrf = editorForm.querySelector('input[name="csrf"]')?.value || '';
  // A span: the text's label, textarea and notes share one paragraph.
  const status = document.createElement('span');
  status.className = 'picture-status';
  status.setAttribute('role', 'status');
  body.after(status);
  const ui = buildDialog();
  let pending = null;
  let cursor = [0, 0];

  const chooser = document.createElement('input');
  chooser.type = 'file';
  chooser.accept = 'image/jpeg,image/png,image/webp';
  chooser.hidden = true;
  chooser.tabIndex = -1;
  // Outside the form, so the no-JavaScript upload fields stay the only ones it sends.
  document.body.append(chooser);
  chooser.addEventListener('change', () => {
    if (chooser.files[0]) upload(chooser.files[0]);
    chooser.value = '';
  });

  async function upload(file) {
    cursor = [body.selectionStart, body.selectionEnd];
    status.textContent = `Uploading ${file.name || 'the picture'}…`;
    const data = new FormData();
    data.append('csrf', csrf);
    data.append('file', file, file.name || 'pasted-picture');
    let answer;
    try {
      answer = await postJson(url, data);
    } catch {
      status.textContent = 'No connection: the picture was not uploaded. Try again when the connection returns.';
      return;
    }
    if (!answer.ok) {
      status.textContent = failure(answer, 'The picture could not be uploaded.');
      return;
    }
    status.textContent = 'Uploaded: describe the picture to put it in the text.';
    pending = answer.body;
    const thumbnail = document.createElement('img');
    thumbnail.src = pending.src;
    thumbnail.alt = '';
    thumbnail.width = 320;
    ui.preview.replaceChildren(thumbnail);
    ui.alt.value = '';
    ui.caption.value = '';
    showError('');
    ui.dialog.showModal();
    ui.alt.focus();
  }

  function showError(message) {
    ui.error.textContent = message;
    ui.error.hidden = !message;
    if (message) {
      ui.alt.setAttribute('aria-invalid', 'true');
      ui.alt.setAttribute('aria-describedby', ui.error.id);
    } else {
      ui.alt.removeAttribute('aria-invalid');
      ui.alt.removeAttribute('aria-describedby');
    }
  }

  ui.form.addEventListener('submit', (event) => {
    const button = event.submitter;
    if (button && button.value === 'cancel') {
      status.textContent = `The picture was not put in the text; it stays uploaded as number ${pending.id}.`;
      return;
    }
    if (!ui.alt.value.trim()) {
      event.preventDefault();
      showError('Describe the picture for people who cannot see it: the description is required.');
      ui.alt.focus();
      return;
    }
    const markup = pictureMarkup(pending.reference, ui.alt.value.trim(), ui.caption.value.trim());
    body.focus();
    body.setSelectionRange(cursor[0], cursor[1]);
    const before = body.value.slice(0, cursor[0]);
    const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    const text = `${lead}${markup}\n\n`;
    // execCommand keeps the insertion in the textarea's undo history.
    if (!document.execCommand('insertText', false, text)) body.setRangeText(text, cursor[0], cursor[1], 'end');
    body.dispatchEvent(new Event('input', { bubbles: true }));
    status.textContent = 'The picture is in the text.';
  });

  const firstPicture = (list) => [...(list || [])].find((f) => f.kind === undefined ? f.type.startsWith('image/') : f.kind === 'file' && f.type.startsWith('image/'));
  body.addEventListener('dragover', (event) => {
    if ([...event.dataTransfer.types].includes('Files')) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  });
  body.addEventListener('drop', (event) => {
    const file = firstPicture(event.dataTransfer.files);
    if (!file) return;
    event.preventDefault();
    body.focus();
    upload(file);
  });
  body.addEventListener('paste', (event) => {
    const item = firstPicture(event.clipboardData && event.clipboardData.items);
    const file = item && item.getAsFile();
    if (!file) return;
    event.preventDefault();
    upload(file);
  });

  return {
    choose() {
      cursor = [body.selectionStart, body.selectionEnd];
      chooser.click();
    },
  };
}
