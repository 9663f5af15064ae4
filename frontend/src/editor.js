// The story editor: toolbar and shortcuts, meters, autosave, live preview,
// pictures in the text, who else is editing, and the unsaved-changes warning.
import { startToolbar } from './toolbar.js';
import { startMeters } from './meters.js';
import { startAutosave } from './autosave.js';
import { startPreview } from './preview.js';
import { startPictures } from './pictures.js';
import { startPresence } from './presence.js';

export function startEditor(form) {
  const body = form.querySelector('#body');
  if (!body) return;
  const state = { dirty: false, submitting: false };

  const pictures = startPictures(form, body);
  startToolbar(form, body, pictures);
  startMeters(form, body);
  const autosave = startAutosave(form);
  startPreview(form);
  startPresence(form);

  form.addEventListener('input', () => {
    state.dirty = true;
  });
  form.addEventListener('change', () => {
    state.dirty = true;
  });
  form.addEventListener('submit', () => {
    state.submitting = true;
    autosave.forget();
  });

  // Ctrl/Cmd+S saves through the form's own Save button, as a click would.
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      const save = form.querySelector('button[name="action"][value="save"]');
      if (save) form.requestSubmit(save);
    }
  });

  window.addEventListener('pagehide', () => {
    if (!state.submitting) autosave.flush();
  });
  window.addEventListener('beforeunload', (event) => {
    if (state.dirty && !state.submitting) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
}
