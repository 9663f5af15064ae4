// The desk's lists, fetched again every 20 seconds while the tab is visible and
// replaced only when they changed, so what the desk is doing shows without a reload.

const EVERY_MS = 20000;

export function startDesk(lists) {
  const url = lists.dataset.refresh;
  if (!url) return;
  async function refresh() {
    if (document.visibilityState !== 'visible') return;
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) return;
      const html = await response.text();
      // Only a change is put in, so focus and reading position stay put otherwise.
      if (html.trim() !== lists.innerHTML.trim()) lists.innerHTML = html;
    } catch {
      // no connection: try again next time
    }
  }
  setInterval(refresh, EVERY_MS);
  document.addEventListener('visibilitychange', refresh);
}
