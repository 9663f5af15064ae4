// "Have your say" in a real browser: an editor switches comments on through
// the newsroom, a reader registers through the pages and comments (waiting for
// a moderator, approved from the queue), replies and reports; axe (WCAG 2.1
// AA), the Nu Html Checker, and 320 px on the
// comments page and the moderation queue; then the XSS corpus typed into the
// comment box and into the display name shown beside the comments, with
// nothing run and every payload shown back as text.

import { checkAxe, checkVnu, cleanLine, inspect, loadPayloads, newContext, screenshots, sendForm, shownLine, visitClean } from '../lib/harness.mjs';
import { signIn } from './newsroom.mjs';
import { linkFromOutbox } from './readers.mjs';

const PASSWORD = "a commenter's long password";
/** src/domain/comment.rs: MAX_COMMENT_CHARS; src/domain/reader.rs: MAX_DISPLAY_NAME_CHARS. */
const COMMENT_LIMIT = 2000;
const NAME_LIMIT = 60;
/** Comments one reader may post a minute (src/web/readers/limits.rs). */
const PER_READER = 5;

const collapse = (s) => s.replace(/\s+/g, ' ').trim();
const chars = (s) => [...s].length;
/** What a comment or a name shows of a payload. */
const shownAs = shownLine;

/** The page's HTML as the server sent it (what vnu checks), with the context's cookies. */
async function served(page, url) {
  const response = await page.request.get(url);
  return response.text();
}

/** Registers a reader through the pages and follows the link from the outbox; false without an outbox. */
async function register(report, page, base, email, name) {
  await page.goto(`${base}/account/register`);
  await page.locator('#email').fill(email);
  await page.locator('#display-name').fill(name);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('form.stacked button[type=submit]').click()]);
  let link = null;
  for (let i = 0; i < 50 && !link && process.env.DATELINE_BIN; i++) {
    link = linkFromOutbox(email);
    if (!link) await page.waitForTimeout(100);
  }
  if (!link) return false;
  await page.goto(link);
  await Promise.all([page.waitForURL(/\/account\?done=verified/), page.locator('form.stacked button[type=submit]').click()]);
  report.check(true, '');
  return true;
}

/** Sets how `storyId` takes comments through the newsroom's settings page. */
async function setComments(page, base, storyId, mode) {
  await page.goto(`${base}/newsroom/stories/${storyId}/comments`);
  await page.locator(`#mode-${mode}`).check();
  await Promise.all([page.waitForURL(/notice=/), page.locator('form.stacked button[type=submit]').click()]);
}

/** The first two articles on the front page: [path, id] pairs. */
async function twoArticles(page, base) {
  await page.goto(`${base}/`);
  const hrefs = await page.locator('a[href^="/news/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const articles = [...new Set(hrefs.filter((h) => /^\/news\/[a-z-]+\/[a-z0-9-]+-\d+$/.test(h)))];
  return articles.slice(0, 2).map((path) => [path, Number(/-(\d+)$/.exec(path)[1])]);
}

/** Packs payloads into comments of at most `limit` characters, one payload a line. */
function pack(payloads, limit) {
  const chunks = [];
  let current = [];
  for (const p of payloads) {
    const candidate = [...current, p].join('\n');
    if (current.length && chars(candidate) > limit) {
      chunks.push(current.join('\n'));
      current = [p];
    } else if (chars(p) <= limit) {
      current.push(p);
    }
  }
  if (current.length) chunks.push(current.join('\n'));
  return chunks;
}

async function postComment(page, text) {
  await page.locator('#comment-body').fill(text);
  await Promise.all([page.waitForNavigation(), page.locator('form.comment-form button[type=submit]').click()]);
}

export async function comments(ctx) {
  const { browser, base, report, artifacts, editor } = ctx;
  const staffContext = await newContext(browser);
  const staff = await staffContext.newPage();
  const readerContext = await newContext(browser);
  const reader = await readerContext.newPage();
  const anonymousContext = await newContext(browser);
  const anonymous = await anonymousContext.newPage();
  const stamp = Date.now().toString(36);
  await signIn(staff, base, editor);
  const [[article, storyId], [xssArticle, xssStoryId]] = await twoArticles(anonymous, base);
  const commentsPath = `${article}/comments`;
  const waiting = `Waiting for a moderator ${stamp}`;

  await report.section('comments: an editor switches them on', async () => {
    await visitClean(report, staff, `${base}/newsroom/stories/${storyId}/comments`, 'comment settings');
    await checkAxe(report, staff, 'comment settings');
    await setComments(staff, base, storyId, 'pre');
    report.check((await staff.locator('.notice').textContent()).includes('waits for a moderator'), 'comment settings: saved');
    await anonymous.goto(`${base}${article}`);
    await Promise.all([anonymous.waitForURL(/\/comments$/), anonymous.locator('.comments-link a').click()]);
    report.check((await anonymous.locator('h1').textContent()).trim() === 'Have your say', 'comments: the article links to its comments page');
    await inspect(report, anonymous, 'comments page, anonymous');
    await checkAxe(report, anonymous, 'comments page, anonymous');
  });

  let registered = false;
  await report.section('comments: a reader registers and comments', async () => {
    registered = await register(report, reader, base, `commenter-${stamp}@browser.test`, 'Commenting <Reader>');
    if (!registered) {
      report.note('comments: no outbox to read (DATELINE_BIN unset); commenting is not checked');
      return;
    }
    await reader.goto(`${base}${commentsPath}`);
    await postComment(reader, `${waiting}, with a link: https://example.org/more`);
    report.check((await reader.locator('.notice').textContent()).includes('once a moderator'), 'comment: waits for a moderator');
    report.check(!(await reader.content()).includes(waiting), 'comment: not shown before approval');
    report.check((await reader.locator('#comment-body').getAttribute('required')) !== null, 'comment: the box is required');
  });
  if (!registered) {
    await Promise.all([staffContext.close(), readerContext.close(), anonymousContext.close()]);
    return;
  }

  await report.section('comments: the moderation queue', async () => {
    await visitClean(report, staff, `${base}/newsroom/comments`, 'moderation queue');
    await checkAxe(report, staff, 'moderation queue');
    await screenshots(report, staff, `${base}/newsroom/comments`, 'moderation-queue', artifacts);
    await checkVnu(report, [['moderation queue', await served(staff, `${base}/newsroom/comments`)]]);
    const item = staff.locator('.moderated-comment', { hasText: waiting });
    await item.locator('input[id^="approve-"]').fill('on topic');
    await Promise.all([staff.waitForURL(/notice=/), item.locator('button', { hasText: 'Approve' }).click()]);
    report.check((await staff.locator('.notice').textContent()).includes('published'), 'queue: approved');
  });

  await report.section('comments: reply, report, and the page checked', async () => {
    await reader.goto(`${base}${commentsPath}`);
    const first = reader.locator('.comment', { hasText: waiting }).first();
    report.check((await first.locator('a[rel="nofollow ugc"]').count()) === 1, 'comment: its link is rel="nofollow ugc"');
    await first.locator('summary', { hasText: 'Reply' }).click();
    await first.locator('textarea').fill('A reply, one level deep.');
    await Promise.all([reader.waitForNavigation(), first.locator('button', { hasText: 'Post your reply' }).click()]);
    report.check((await reader.locator('.notice').textContent()).includes('once a moderator'), 'reply: waits for a moderator too');
    await first.locator('summary', { hasText: 'Report' }).first().click();
    await first.locator('input[id^="report-"]').first().fill('Just checking the form');
    await Promise.all([reader.waitForNavigation(), first.locator('button', { hasText: 'Report' }).first().click()]);
    report.check((await reader.locator('.notice').textContent()).includes('reported'), 'report: thanked');
    await inspect(report, reader, 'comments page, signed in');
    await checkAxe(report, reader, 'comments page, signed in');
    await screenshots(report, reader, `${base}${commentsPath}`, 'comments-signed-in', artifacts);
    await screenshots(report, anonymous, `${base}${commentsPath}`, 'comments-anonymous', artifacts);
    await checkVnu(report, [
      ['comments page, signed in', await served(reader, `${base}${commentsPath}`)],
      ['comments page, anonymous', await served(anonymous, `${base}${commentsPath}`)],
      ['comment settings', await served(staff, `${base}/newsroom/stories/${storyId}/comments`)],
    ]);
  });

  await report.section('comments: the XSS corpus in the comment box and the display name', async () => {
    const payloads = await loadPayloads();
    await setComments(staff, base, xssStoryId, 'post');
    const xssComments = `${base}${xssArticle}/comments`;
    const context = await newContext(browser, { bypassCSP: true });
    const page = await context.newPage();
    const chunks = pack(payloads, COMMENT_LIMIT);
    let readerIndex = 0;
    for (const [n, chunk] of chunks.entries()) {
      if (n % PER_READER === 0) {
        await context.clearCookies();
        report.check(await register(report, page, base, `xss-${stamp}-${readerIndex++}@browser.test`, `XSS reader ${readerIndex}`), 'xss: reader registered');
        await page.goto(xssComments);
      }
      await postComment(page, chunk);
      report.check(/done=posted/.test(page.url()), `xss: comment ${n + 1} of ${chunks.length} posted (${page.url()})`);
    }
    await visitClean(report, page, xssComments, 'comments page with the XSS corpus');
    const shown = collapse(await page.locator('.comment-list').innerText());
    const missing = payloads.filter((p) => chars(p) <= COMMENT_LIMIT && !shown.includes(shownAs(p)));
    report.check(missing.length === 0, `xss: comments show every payload as typed; missing: ${missing.slice(0, 5).map((p) => JSON.stringify(p)).join(', ')}`);

    // The display name: each payload a valid name becomes is shown beside the reader's comments.
    const names = payloads.map((p) => cleanLine(p)).filter((n) => n && chars(n) <= NAME_LIMIT && /[\p{L}\p{N}]/u.test(n));
    let tried = 0;
    // Sent with the account page's name form, as the form sends it, from a tab of
    // its own: the page that answers (the account page) is not where the name
    // is shown, so it is not loaded each time.
    const account = await context.newPage();
    await account.goto(`${base}/account`);
    for (const name of names) {
      const { url: answered } = await sendForm(account, { form: 'form[action="/account/name"]', set: { display_name: name }, urlencoded: true });
      if (!/done=name/.test(answered)) continue;
      tried += 1;
      await visitClean(report, page, xssComments, `comments page, name ${JSON.stringify(name).slice(0, 40)}`);
      const metas = await page.locator('.comment-meta strong').allInnerTexts();
      report.check(metas.some((m) => collapse(m) === shownAs(name)), `xss: the name ${JSON.stringify(name).slice(0, 40)} is shown as typed`);
    }
    await account.close();
    report.note(`xss: ${chunks.length} comments with ${payloads.length} payloads; ${tried} payloads as display names`);
    // A reported payload comment in the moderation queue and the reader's history.
    const target = page.locator('.comment').first();
    await target.locator('summary', { hasText: 'Report' }).first().click();
    await Promise.all([page.waitForNavigation(), target.locator('button', { hasText: 'Report' }).first().click()]);
    const xssStaff = await newContext(browser, { bypassCSP: true });
    const staffPage = await xssStaff.newPage();
    await signIn(staffPage, base, editor);
    await visitClean(report, staffPage, `${base}/newsroom/comments`, 'moderation queue with the XSS corpus');
    const history = await staffPage.locator('.moderated-comment .meta a').first().getAttribute('href');
    await visitClean(report, staffPage, `${base}${history}`, "a reader's history with the XSS corpus");
    await checkAxe(report, staffPage, "a reader's history");
    await checkVnu(report, [
      ['comments page with the XSS corpus', await served(page, xssComments)],
      ['moderation queue with the XSS corpus', await served(staffPage, `${base}/newsroom/comments`)],
      ["a reader's history with the XSS corpus", await served(staffPage, `${base}${history}`)],
    ]);
    report.check(context.dialogs.length === 0 && xssStaff.dialogs.length === 0, `xss: dialogs opened: ${[...context.dialogs, ...xssStaff.dialogs].join(' | ')}`);
    await xssStaff.close();
    await context.close();
  });

  report.check(readerContext.dialogs.length === 0, `comments: dialogs opened: ${readerContext.dialogs.join(' | ')}`);
  await Promise.all([staffContext.close(), readerContext.close(), anonymousContext.close()]);
}
