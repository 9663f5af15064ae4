// What a reader follows, in a real browser: the following page (before and
// after following something, with a fresh private feed address), My news and
// the unsubscribe page pass axe at WCAG 2.1 AA and the Nu Html Checker and fit
// 320 px; then the XSS corpus typed into the topic box (the follow search)
// never runs, on the following page or on My news, and reads back as typed.

import { checkAxe, checkVnu, cleanLine, inspect, loadPayloads, newContext, screenshots, sendForm, visitClean, wellFormed } from '../lib/harness.mjs';

/** Most topics a reader may follow (src/domain/follow.rs MAX_TOPICS). */
const MAX_TOPICS = 10;
/** The longest topic, in characters (MAX_TOPIC_CHARS). */
const MAX_TOPIC_CHARS = 100;

/** Clicks `locator` and waits for the page it loads. */
async function submit(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

/** The HTML the server sends for `url` to this page's cookies, for the checker. */
async function served(page, url) {
  const response = await page.request.get(url);
  return response.text();
}

/** The pages, checked by a signed-in reader in `page`. */
export async function following(ctx, page) {
  const { base, report, artifacts } = ctx;
  const documents = [];

  await report.section('following: the pages, axe, vnu and 320 px', async () => {
    await visitClean(report, page, `${base}/account/following`, 'following');
    report.check((await page.locator('h1').textContent()).trim() === 'What you follow', 'following: its heading');
    await checkAxe(report, page, 'following');
    documents.push(['following', await served(page, `${base}/account/following`)]);
    await screenshots(report, page, `${base}/account/following`, 'account-following', artifacts);

    await page.goto(`${base}/account/following`);
    await submit(page, page.getByRole('button', { name: 'Follow World', exact: true }));
    report.check((await page.locator('.notice').textContent()).includes('You now follow it'), 'following: World followed through its button');
    report.check(await page.getByRole('button', { name: 'Stop following World', exact: true }).isVisible(), 'following: World can be unfollowed');
    await page.locator('#topic').fill('harbour');
    await submit(page, page.getByRole('button', { name: 'Follow this topic' }));
    report.check((await page.locator('#topics-heading ~ ul .follow-name').allTextContents()).includes('harbour'), 'following: a topic followed');
    await page.locator('#daily-hour').selectOption('7');
    await submit(page, page.getByRole('button', { name: 'Save the daily e-mail' }));
    report.check((await page.locator('#daily-hour').inputValue()) === '7', 'following: the daily e-mail hour is kept');

    // A topic refused: the message by its field, what was typed kept.
    await page.locator('#topic').fill('-rail');
    await submit(page, page.getByRole('button', { name: 'Follow this topic' }));
    report.check(await page.locator('.error-summary').isVisible(), 'following: a refused topic is explained at the top');
    report.check((await page.locator('#topic').getAttribute('aria-describedby')).includes('topic-error'), 'following: the error is tied to its field');
    await inspect(report, page, 'following with a problem');
    await checkAxe(report, page, 'following with a problem');
    documents.push(['following with a problem', await page.content()]);

    // At 320 px: the long address must wrap, not push the page sideways.
    await page.setViewportSize({ width: 320, height: 740 });
    await page.goto(`${base}/account/following`);
    await submit(page, page.getByRole('button', { name: 'Make a private feed address' }));
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    report.check(fits, 'following with a new feed address at 320px scrolls sideways');
    await page.setViewportSize({ width: 1280, height: 900 });
    const address = (await page.locator('.feed-address code').textContent()).trim();
    report.check(address.startsWith(`${base}/account/my-news/`) && address.endsWith('.atom'), `following: the private feed's address is shown (${address})`);
    await inspect(report, page, 'following with a new feed address');
    await checkAxe(report, page, 'following with a new feed address');
    documents.push(['following with a new feed address', await page.content()]);
    const feed = await page.request.get(address);
    report.check(feed.status() === 200 && (await feed.text()).includes('<feed'), `following: the private feed answers (${feed.status()})`);

    await visitClean(report, page, `${base}/account/my-news`, 'my news');
    report.check((await page.locator('h1').textContent()).trim() === 'My news', 'my news: its heading');
    report.check((await page.locator('main').textContent()).includes('\u201charbour\u201d'), 'my news: names what is followed');
    await checkAxe(report, page, 'my news');
    documents.push(['my news', await served(page, `${base}/account/my-news`)]);
    await screenshots(report, page, `${base}/account/my-news`, 'account-my-news', artifacts);

    const unsubscribe = `${base}/account/daily/unsubscribe?token=${'0'.repeat(64)}`;
    await visitClean(report, page, unsubscribe, 'unsubscribe, a link that does not work');
    await checkAxe(report, page, 'unsubscribe, a link that does not work');
    documents.push(['unsubscribe, a link that does not work', await served(page, unsubscribe)]);
    await screenshots(report, page, unsubscribe, 'account-unsubscribe', artifacts);

    await checkVnu(report, documents);
  });
}

/**
 * The XSS corpus typed into the topic box by `reader`, ten topics at a time (the
 * most a reader may follow): every answer inspected, each accepted topic read
 * back as typed on the following page and shown on My news, then all removed.
 */
export async function followingXss(ctx, reader) {
  const { browser, base, report } = ctx;
  const payloads = await loadPayloads();
  const context = await newContext(browser, { bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/account/sign-in`);
  await page.locator('#email').fill(reader.email);
  await page.locator('#password').fill(reader.password);
  await submit(page, page.locator('form[action="/account/sign-in"] button'));

  await report.section('xss: every payload typed into the follow search', async () => {
    let accepted = [];
    let refused = 0;
    // The first topic goes with its "Stop following" button, which loads the page
    // again (with no topics, and the box for the next one); the others before it,
    // with their forms posted from the page's session, without loading a page each.
    const removeAll = async () => {
      await page.goto(`${base}/account/following`);
      const remove = page.locator('form[action="/account/following/topics/remove"]');
      const forms = await remove.evaluateAll((all) => all.map((form) => Object.fromEntries(new FormData(form))));
      for (const form of forms.slice(1)) {
        const response = await page.request.post(`${base}/account/following/topics/remove`, { form });
        report.check(response.ok(), `follow search: topic ${form.topic} removed (${response.status()})`);
      }
      if (forms.length) await submit(page, remove.first().locator('button'));
      report.check((await remove.count()) === 0, `follow search: every topic removed (${await remove.count()} left)`);
    };
    const checkAndClear = async () => {
      await visitClean(report, page, `${base}/account/following`, 'following with corpus topics');
      const shown = await page.locator('#topics-heading ~ ul .follow-name').allTextContents();
      for (const topic of accepted) {
        report.check(shown.includes(topic), `follow search: ${JSON.stringify(topic).slice(0, 60)} reads back as typed`);
      }
      await visitClean(report, page, `${base}/account/my-news`, 'my news with corpus topics');
      await removeAll();
      accepted = [];
    };
    // Start with no topics, so ten from the corpus fit.
    await removeAll();
    report.check(await page.locator('#topic').isVisible(), 'follow search: the reader is signed in and may add topics');
    for (const payload of payloads) {
      const typed = wellFormed(payload);
      // An input drops line breaks; a value that is empty then cannot be sent (`required`).
      if (cleanLine(typed.replace(/[\r\n]/g, '')) === '') continue;
      if (!(await page.locator('#topic').count())) await page.goto(`${base}/account/following`);
      await page.locator('#topic').fill(typed);
      // What the box holds is what is sent (Chromium turns a line break into a space).
      const sent = await page.locator('#topic').inputValue();
      // Sent first as the form sends it, without loading the answer: an accepted
      // topic is shown on the following page, loaded and inspected with every ten
      // (checkAndClear). A refused one is sent again with the button, and the page
      // that gives it back inspected.
      const { url: answered } = await sendForm(page, { form: 'form:has(#topic)', urlencoded: true });
      if (new URL(answered).searchParams.get('done') === 'topic') {
        accepted.push(cleanLine(sent));
        if (accepted.length === MAX_TOPICS) await checkAndClear();
      } else {
        refused += 1;
        await submit(page, page.getByRole('button', { name: 'Follow this topic' }));
        await inspect(report, page, `follow search refusing ${JSON.stringify(payload).slice(0, 40)}`);
        report.check(new URL(page.url()).searchParams.get('done') !== 'topic', `follow search: ${JSON.stringify(payload).slice(0, 40)} refused the second time too`);
        const back = await page.locator('#topic').inputValue();
        report.check(back.length > 0, `follow search: a refused topic is given back ${JSON.stringify(payload).slice(0, 40)}`);
      }
    }
    if (accepted.length) await checkAndClear();
    report.note(`follow search: ${payloads.length} payloads typed, ${refused} refused (too long over ${MAX_TOPIC_CHARS} characters, nothing to find, or followed already)`);
    report.check(context.dialogs.length === 0, `follow search: dialogs opened: ${context.dialogs.join(' | ')}`);
  });
  await context.close();
}
