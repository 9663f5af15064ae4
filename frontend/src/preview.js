// Live preview: the server's own article renderer (the form's Preview button,
// asked for in the background) shows the text as readers will see it, in a
// frame that can be as wide as a desktop or as narrow as a phone.
import { formFields } from './http.js';

const QUIET_MS = 800;
const WIDTHS = [
  ['Desktop', ''],
  ['Phone (360 px)', 'phone'],
];

function problemsIn(html) {
  const page = new DOMParser().parseFromString(html, 'text/html');
  return [...page.querySelectorAll('.error-summary li, .field-error')].map((li) => li.textContent.trim());
}

export function startPreview(form) {
  const slot = document.getElementById('preview-slot');
  if (!slot) return;
  const section = document.createElement('section');
  section.className = 'live-preview';
  section.setAttribute('aria-labelledby', 'preview-heading');
  const heading = document.createElement('h2');
  heading.id = 'preview-heading';
  heading.textContent = 'Preview';
  const widths = document.createElement('div');
  widths.className = 'preview-widths';
  widths.setAttribute('role', 'group');
  widths.setAttribute('aria-label', 'Preview width');
  const frame = document.createElement('iframe');
  frame.title = 'Preview of the story as readers will see it';
  frame.name = 'preview';
  frame.setAttribute('sandbox', 'allow-same-origin');
  const status = document.createElement('p');
  status.className = 'preview-status';
  status.setAttribute('role', 'status');
  for (const [label, mode] of WIDTHS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.setAttribute('aria-pressed', String(mode === ''));
    button.addEventListener('click', () => {
      for (const other of widths.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === button));
      frame.className = mode;
    });
    widths.append(button);
  }
  section.append(heading, widths, status, frame);
  slot.append(section);

  let timer = null;
  let asked = 0;
  async function refresh() {
    const ticket = ++asked;
    const data = formFields(form);
    data.append('action', 'preview');
    let response;
    try {
      response = await fetch(form.getAttribute('action'), { method: 'POST', body: data, credentials: 'same-origin' });
    } catch {
      status.textContent = 'No connection: the preview will update when it returns.';
      return;
    }
    const html = await response.text();
    if (ticket !== asked) return; // a newer request is on its way
    if (response.ok) {
      const scroll = frame.contentWindow ? frame.contentWindow.scrollY : 0;
      frame.addEventListener('load', () => frame.contentWindow?.scrollTo(0, scroll), { once: true });
      frame.srcdoc = html;
      status.textContent = '';
    } else {
      const problems = problemsIn(html);
      status.textContent = problems.length
        ? `The preview waits for these to be put right: ${problems.join('; ')}`
        : 'The preview could not be made just now.';
    }
  }
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, QUIET_MS);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  if (form.querySelector('#body')?.value.trim()) refresh();
}
