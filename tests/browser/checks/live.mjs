// Live pages in a real browser: a reader has the demo's running live page open
// while an editor publishes, edits and deletes a post in the newsroom, and the
// page follows without a reload (announced politely to screen readers); axe
// (WCAG 2.1 AA) and the Nu Html Checker on the page before and after; with
// JavaScript off every post is on the page and "Show new posts" brings the
// next one; then the XSS corpus typed into posts and bylines, received over
// the stream and after a reload, with nothing run and nothing unexpected in
// the page.

import { checkAxe, cleanLine, inspect, loadPayloads, newContext, screenshots } from '../lib/harness.mjs';
import { signIn } from './newsroom.mjs';

/** src/domain/live.rs: MAX_POST_CHARS and MAX_BYLINE_CHARS. */
const POST_LIMIT = 5000;
const BYLINE_LIMIT = 100;
/** How long a pushed post may take to appear before the check fails (it takes milliseconds). */
const PUSH_BOUND = 15000;

/** Text that the body markup shows exactly as typed: every ASCII punctuation escaped. */
const literal = (s) => s.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
const chars = (s) => [...s].length;

/** The demo's running live page (the oldest running one), found through the Content API: { id, url }. */
async function runningLivePage(page, base, apiKey) {
  const headers = apiKey ? { 'X-Api-Key': apiKey } : {};
  let cursor = '';
  let found = null;
  for (let i = 0; i < 20; i++) {
    const response = await page.request.get(`${base}/api/v1/stories?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    const json = await response.json();
    // The list does not say which stories are live; each story does.
    for (const listed of json.stories || []) {
      const story = await (await page.request.get(`${base}/api/v1/stories/${listed.id}`, { headers })).json();
      // The oldest running one is the demo's; other checks may have started newer ones.
      if (story.live && story.live.state === 'running' && (!found || story.id < found.id)) {
        found = { id: story.id, url: new URL(story.url, base).pathname };
      }
    }
    if (!json.next_cursor) break;
    cursor = encodeURIComponent(json.next_cursor);
  }
  return found;
}

/** Publishes a post (an editor's is published at once) through the newsroom's form. */
async function writePost(page, base, id, body, byline = '') {
  await page.goto(`${base}/newsroom/stories/${id}/live`);
  await page.locator('#body').fill(body);
  if (byline) await page.locator('#byline').fill(byline);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`form[action$="/live/posts"] button[type=submit]`).click(),
  ]);
  const notice = page.locator('p.notice');
  return (await notice.count()) ? (await notice.textContent()) : (await page.locator('main').innerText()).slice(0, 300);
}

/** The newsroom's id of the newest post whose text contains `needle`. */
async function postIdOf(page, base, id, needle) {
  await page.goto(`${base}/newsroom/stories/${id}/live`);
  const href = await page
    .locator('a[href*="/live/posts/"]', { hasText: /.*/ })
    .evaluateAll((as, n) => {
      for (const a of as) {
        const item = a.closest('li, article, tr, section') || a.parentElement;
        if (item && item.textContent.includes(n)) return a.getAttribute('href');
      }
      return null;
    }, needle);
  const match = href && /\/live\/posts\/(\d+)/.exec(href);
  return match ? Number(match[1]) : null;
}

export async function live(ctx) {
  const { browser, base, report, editor, artifacts, apiKey } = ctx;
  const stamp = Date.now().toString(36);
  const editorContext = await newContext(browser);
  const newsroom = await editorContext.newPage();
  newsroom.setDefaultTimeout(PUSH_BOUND * 2);
  await signIn(newsroom, base, editor);
  const found = await runningLivePage(newsroom, base, apiKey);
  report.check(found !== null, 'live: the demo has a running live page');
  if (!found) return;
  const { id, url } = found;

  await report.section('live: a reader\'s open page follows the newsroom without a reload', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(PUSH_BOUND);
    await page.goto(`${base}${url}`);
    // axe runs last: it leaves elements of its own in the page.
    await inspect(report, page, 'live page');
    report.check((await page.locator('link[rel=alternate][type="text/event-stream"]').count()) >= 1, 'live: the page names its stream');
    report.check((await page.locator('#key-points li').count()) >= 1, 'live: the demo page has key points');
    const before = await page.locator('#live-posts .live-post').count();
    // A reload would lose this.
    await page.evaluate(() => { window.__stayed = true; });

    const text = `Ferry services resume from the north quay ${stamp}`;
    const said = await writePost(newsroom, base, id, text);
    report.check(said.includes('Post published'), `live: the editor's post is published (${said})`);
    const pushed = page.locator('#live-posts .live-post', { hasText: text });
    await pushed.first().waitFor({ timeout: PUSH_BOUND }).catch(() => {});
    report.check((await pushed.count()) === 1, 'live: the new post appears in the open page once');
    report.check(await page.evaluate(() => window.__stayed === true), 'live: the page was not reloaded');
    report.check((await page.locator('#live-posts .live-post').first().textContent()).includes(text), 'live: the new post is first');
    report.check((await page.locator('#live-posts .live-post').count()) === before + 1, 'live: one post more');
    await page.waitForFunction(() => (document.getElementById('live-status')?.textContent || '').startsWith('New post'), null, { timeout: PUSH_BOUND }).catch(() => {});
    report.check(
      (await page.locator('#live-status').textContent()).includes(text.slice(0, 40)),
      'live: the new post is announced in the polite live region',
    );
    await inspect(report, page, 'live page after a pushed post');

    // An edit replaces the post in place; a deletion removes it.
    const postId = await postIdOf(newsroom, base, id, text);
    report.check(postId !== null, 'live: the newsroom lists the post');
    if (postId !== null) {
      await newsroom.goto(`${base}/newsroom/stories/${id}/live/posts/${postId}`);
      await newsroom.locator('#body').fill(`${text}, an hour late`);
      await Promise.all([newsroom.waitForNavigation({ waitUntil: 'load' }), newsroom.locator('form[action$="/live/posts/' + postId + '"] button[type=submit]').first().click()]);
      await page.locator(`#post-${postId}`, { hasText: 'an hour late' }).waitFor({ timeout: PUSH_BOUND }).catch(() => {});
      report.check((await page.locator(`#post-${postId}`, { hasText: 'an hour late' }).count()) === 1, 'live: the edit shows in place');
      await newsroom.goto(`${base}/newsroom/stories/${id}/live/posts/${postId}`);
      const confirm = newsroom.locator('form[action$="/delete"] input[type=checkbox]');
      if (await confirm.count()) await confirm.check();
      await Promise.all([newsroom.waitForNavigation({ waitUntil: 'load' }), newsroom.locator('form[action$="/delete"] button[type=submit]').click()]);
      await page.locator(`#post-${postId}`).waitFor({ state: 'detached', timeout: PUSH_BOUND }).catch(() => {});
      report.check((await page.locator(`#post-${postId}`).count()) === 0, 'live: the deleted post leaves the page');
    }
    report.check(await page.evaluate(() => window.__stayed === true), 'live: still the same page, never reloaded');
    report.check(context.dialogs.length === 0, `live: dialogs opened: ${context.dialogs.join(' | ')}`);
    await checkAxe(report, page, 'live page after pushed changes');
    await screenshots(report, page, `${base}${url}`, 'live-page', artifacts);
    await context.close();
  });

  await report.section('live: without JavaScript every post is there, and "Show new posts" brings the next', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(PUSH_BOUND);
    await page.goto(`${base}${url}`);
    const api = await page.request.get(`${base}/api/v1/stories/${id}/live-posts?limit=100`, apiKey ? { headers: { 'X-Api-Key': apiKey } } : {});
    const listed = (await api.json()).posts || [];
    const shown = await page.locator('#live-posts .live-post').count();
    report.check(shown === Math.min(listed.length, 50), `live (no JS): ${shown} posts shown of ${listed.length} published`);
    const text = `Bridge reopens to traffic ${stamp}`;
    await writePost(newsroom, base, id, text);
    report.check((await page.locator('#live-posts', { hasText: text }).count()) === 0, 'live (no JS): nothing changes by itself');
    // Following the link: what a click does without JavaScript.
    const refresh = await page.locator('.live-refresh a').getAttribute('href');
    await page.goto(new URL(refresh, page.url()).href, { waitUntil: 'load' });
    report.check((await page.locator('#live-posts .live-post').first().textContent()).includes(text), 'live (no JS): "Show new posts" shows the new post first');
    // (axe needs JavaScript: the page with it on is checked above.)
    await context.close();
  });

  await report.section('live: the XSS corpus typed into posts never runs, pushed or reloaded', async () => {
    const payloads = await loadPayloads();
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(PUSH_BOUND);
    await page.goto(`${base}${url}`);
    // Posts of whole payloads, escaped so the markup shows each as typed.
    const bodies = [];
    let current = [];
    for (const p of payloads) {
      const line = literal(p.replace(/[\r\n]+/g, ' ').trim());
      const next = [...current, line].join('\n\n');
      if (current.length && chars(next) > POST_LIMIT - 100) {
        bodies.push(current.join('\n\n'));
        current = [];
      }
      if (chars(line) <= POST_LIMIT - 100) current.push(line);
    }
    if (current.length) bodies.push(current.join('\n\n'));
    // A chunk the post rules refuse (markup they do not take even escaped, such
    // as an indented block) is posted again a payload at a time, so every
    // payload the rules accept is published and checked.
    const accepted = [];
    const refusedPayloads = [];
    const publish = async (label, body, byline) => {
      const said = await writePost(newsroom, base, id, `${label} ${stamp}\n\n${body}`, byline);
      if (said.includes('Post published')) accepted.push(label);
      return said.includes('Post published');
    };
    for (const [i, body] of bodies.entries()) {
      const byline = [...cleanLine(payloads[i % payloads.length])].slice(0, BYLINE_LIMIT).join('');
      if (await publish(`XSS post ${i}`, body, byline)) continue;
      for (const [j, line] of body.split('\n\n').entries()) {
        if (!(await publish(`XSS post ${i}.${j}`, line, ''))) refusedPayloads.push(line.slice(0, 60));
      }
    }
    report.note(`live: ${accepted.length} corpus posts published; ${refusedPayloads.length} payloads refused by the post rules`);
    report.check(refusedPayloads.length <= payloads.length / 20, `live: too many payloads refused: ${refusedPayloads.join(' | ')}`);
    const last = page.locator('#live-posts .live-post', { hasText: `${accepted[accepted.length - 1]} ${stamp}` });
    await last.first().waitFor({ timeout: PUSH_BOUND }).catch(() => {});
    report.check((await last.count()) === 1, 'live: the corpus posts were pushed to the open page');
    await inspect(report, page, 'live page with the corpus pushed');
    await page.reload({ waitUntil: 'load' });
    await inspect(report, page, 'live page with the corpus, reloaded');
    report.check(context.dialogs.length === 0, `live: dialogs opened: ${context.dialogs.join(' | ')}`);
    await context.close();
  });
  await editorContext.close();
}
