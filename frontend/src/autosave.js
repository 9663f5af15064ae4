// Autosave: the form as typed goes to the user's autosave slot on the server a
// few seconds after they stop typing (and at least every 15 seconds while they
// type), and at once when the page goes away. When the server cannot be reached
// it is kept in this browser instead, so a lost connection loses nothing: it is
// sent when the connection returns, or when the story is opened again.
import { formFields, postJson, failure } from './http.js';

const QUIET_MS = 2000;
const MOST_MS = 15000;

function storageKey(form) {
  return `dateline-autosave:${form.dataset.autosave}`;
}

function keep(form) {
  try {
    const fields = [...formFields(form).entries()];
    localStorage.setItem(storageKey(form), JSON.stringify({ fields, at: Date.now() }));
  } catch {
    // storage full or refused: the server copy is then the only one
  }
}

function kept(form) {
  try {
    const raw = localStorage.getItem(storageKey(form));
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function toFormData(fields) {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

export function startAutosave(form) {
  const url = form.dataset.autosave;
  const status = document.createElement('p');
  status.className = 'autosave-status';
  status.id = 'autosave-status';
  status.setAttribute('role', 'status');
  form.querySelector('.actions')?.before(status);

  let timer = null;
  let firstChange = 0;
  let sending = false;
  let changedWhileSending = false;

  const say = (text, trouble = false) => {
    status.textContent = text;
    status.classList.toggle('trouble', trouble);
  };

  async function send(data) {
    try {
      return await postJson(url, data);
    } catch {
      return null; // no connection
    }
  }

  async function save() {
    timer = null;
    firstChange = 0;
    if (sending) {
      changedWhileSending = true;
      return;
    }
    sending = true;
    const answer = await send(formFields(form));
    sending = false;
    if (answer === null) {
      keep(form);
      say('No connection: your changes are kept in this browser and will be saved when the connection returns.', true);
    } else if (answer.ok) {
      try {
        localStorage.removeItem(storageKey(form));
      } catch {
        // nothing kept
      }
      const stale = answer.body.stale;
      if (stale) {
        say(`${stale.author} saved a newer version (revision ${stale.revision}) at ${stale.at}. Your changes are autosaved at ${answer.body.saved_at}, not in the story: open the story again to compare them with theirs.`, true);
      } else {
        say(`Your changes are autosaved (${answer.body.saved_at}). Save to make them the story's next revision.`);
      }
    } else {
      say(failure(answer, 'Autosave failed: your changes are kept in this browser.'), true);
    }
    if (changedWhileSending) {
      changedWhileSending = false;
      schedule();
    }
  }

  function schedule() {
    const now = Date.now();
    if (!firstChange) firstChange = now;
    clearTimeout(timer);
    const wait = Math.min(QUIET_MS, Math.max(0, firstChange + MOST_MS - now));
    timer = setTimeout(save, wait);
  }

  // Only typing the server could not take is kept in the browser: other tabs
  // of the same story would otherwise send each other's half-typed copies.
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  window.addEventListener('online', () => {
    if (kept(form)) save();
  });

  // Typing kept here from an earlier visit that never reached the server:
  // send it now, then show the page again with the server's restore offer.
  const earlier = kept(form);
  if (earlier) {
    send(toFormData(earlier.fields)).then((answer) => {
      if (answer && answer.ok) {
        localStorage.removeItem(storageKey(form));
        window.location.reload();
      }
    });
  }

  return {
    /** The form is being submitted: what it sends replaces anything kept. */
    forget() {
      clearTimeout(timer);
      try {
        localStorage.removeItem(storageKey(form));
      } catch {
        // nothing kept
      }
    },
    /** The page is going away: send what is pending without waiting for an answer. */
    flush() {
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      navigator.sendBeacon(url, formFields(form));
    },
  };
}
