// Who else is editing: the page asks every 15 seconds while it is visible (which
// also tells the server this user still has the story open), shows the names or
// removes them without a reload, and says goodbye when the page goes away.

const EVERY_MS = 15000;

/** "Ana Reporter is editing this story (since 14:02)." for one or more others. */
export function presenceText(others) {
  const names = others.map((o) => `${o.name} (since ${o.since})`);
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${list} ${names.length === 1 ? 'is' : 'are'} editing this story. Saving over each other is caught, but talk first.`;
}

export function startPresence(form) {
  const url = form.dataset.presence;
  const box = document.getElementById('presence');
  if (!url || !box) return;
  const csrf = form.querySelector('input[name="csrf"]')?.value || '';

  let shown = box.textContent.trim();
  async function ask() {
    if (document.visibilityState !== 'visible') return;
    let answer;
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return;
    }
    const text = presenceText(answer.others || []);
    if (text === shown) return;
    shown = text;
    box.replaceChildren();
    if (text) {
      const p = document.createElement('p');
      p.className = 'presence';
      p.textContent = text;
      box.append(p);
    }
  }
  setInterval(ask, EVERY_MS);
  document.addEventListener('visibilitychange', ask);
  ask();
  window.addEventListener('pagehide', () => {
    const data = new FormData();
    data.append('csrf', csrf);
    navigator.sendBeacon(url.replace(/\/presence$/, '/leave'), data);
  });
}
