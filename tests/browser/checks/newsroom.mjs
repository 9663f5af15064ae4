// The newsroom in a real browser: sign in, write a story with an uploaded
// picture as a reporter, submit it, publish it as an editor, see it on the
// public site; two tabs saving the same story; sign out; the story made a live
// page with a post, and the breaking-news page.

import { checkAxe, inspect, newContext, screenshots, visitClean } from '../lib/harness.mjs';

/** A real PNG, painted and photographed by the browser itself. */
export async function paintPicture(browser, width = 800, height = 500) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.setContent(
    `<div id="p" style="width:${width}px;height:${height}px;background:linear-gradient(135deg,#1d4e89,#f4a259 60%,#5b8e7d)"></div>`,
  );
  const png = await page.locator('#p').screenshot({ type: 'png' });
  await page.close();
  return { name: 'harbour.png', mimeType: 'image/png', buffer: png };
}

export async function signIn(page, base, { email, password }) {
  await page.goto(`${base}/newsroom/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/sign-in')), page.locator('form.stacked button[type=submit]').click()]);
}

export async function signOut(page) {
  await Promise.all([page.waitForURL(/\/newsroom\/sign-in/), page.locator('nav.site-nav button', { hasText: 'Sign out' }).click()]);
}

/**
 * Presses one of the editor's buttons and waits for the answer. Returns the
 * problems listed on the page ('' when there are none).
 */
export async function press(page, action) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(`button[value=${action}]`).click()]);
  const summary = page.locator('.error-summary');
  return (await summary.count()) ? (await summary.innerText()).replace(/\s+/g, ' ') : '';
}

/** The numeric id in /newsroom/stories/<id>. */
export function storyId(page) {
  const match = /\/newsroom\/stories\/(\d+)/.exec(new URL(page.url()).pathname);
  return match ? Number(match[1]) : null;
}

export async function newsroom(ctx) {
  const { browser, base, report, reporter, editor, artifacts } = ctx;
  const picture = await paintPicture(browser);
  const stamp = Date.now().toString(36);
  const headline = `Lighthouse keepers return to Skerry Point ${stamp}`;
  let id;

  await report.section('newsroom: reporter signs in, writes with a picture, submits', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${base}/newsroom`);
    report.check(new URL(page.url()).pathname === '/newsroom/sign-in', `newsroom: signed-out visit goes to sign-in (${page.url()})`);
    await visitClean(report, page, page.url(), 'sign-in page');
    await checkAxe(report, page, 'sign-in page');

    // A wrong password is refused with a message, not an error page.
    await page.locator('#email').fill(reporter.email);
    await page.locator('#password').fill('not the password at all');
    await page.locator('form.stacked button[type=submit]').click();
    report.check(await page.locator('.error-summary').isVisible(), 'sign-in: wrong password explained');

    await signIn(page, base, reporter);
    report.check(/Signed in as .*\(reporter\)/.test(await page.locator('.signed-in').textContent()), 'newsroom: signed in as reporter');

    await page.locator('nav.site-nav a', { hasText: 'New story' }).click();
    await visitClean(report, page, page.url(), 'story editor (new)');
    await checkAxe(report, page, 'story editor');
    await page.locator('#headline').fill(headline);
    await page.locator('#summary').fill('Keepers are back at the remote light for the first time since it was automated in 1998.');
    await page.locator('#section').selectOption({ label: 'World › Europe' });
    await page.locator('#byline').fill('By Ailsa Munro, Highlands reporter');
    await page.locator('#body').fill(
      [
        'Two keepers have moved back into the cottages at Skerry Point after the light failed three times last winter.',
        'The lighthouse board said the crew would stay until a new power supply is fitted.',
        '## Storm damage',
        'Waves reached the lantern room in January, the first time in living memory.',
        '> "We could hear the sea inside the tower," said one keeper.',
        'Read the [board\'s statement](https://www.example.org/skerry-point).',
      ].join('\n\n'),
    );
    await page.locator('#image').setInputFiles(picture);
    await page.locator('#image_alt').fill('A white lighthouse on a rocky point under an orange evening sky');
    await page.locator('#image_caption').fill('Skerry Point light was automated in 1998.');
    await page.locator('#image_credit').fill('Dateline test suite');
    await page.locator('#link_title_1').fill('Lighthouse board');
    await page.locator('#link_url_1').fill('https://www.example.org/lighthouse-board');
    const problems = await press(page, 'submit');
    report.check(problems === '', `newsroom: the story is accepted (${problems})`);
    id = storyId(page);
    report.check(id !== null, `newsroom: story created (${page.url()})`);
    report.check((await page.locator('p.notice').textContent()).includes('submitted for review'), 'newsroom: submitted for review');
    report.check(await page.locator('fieldset img[alt="Current lead picture"]').isVisible(), 'newsroom: uploaded picture kept with the story');
    await visitClean(report, page, page.url(), 'story editor (saved)');
    await checkAxe(report, page, 'story editor (saved story)');
    for (const [label, path] of [
      ['newsroom desk', '/newsroom'],
      ['newsroom story list', '/newsroom/stories'],
      ['newsroom search', '/newsroom/search?q=Skerry'],
      ['newsroom revisions', `/newsroom/stories/${id}/history`],
      ['newsroom live page (not live)', `/newsroom/stories/${id}/live`],
    ]) {
      const response = await visitClean(report, page, `${base}${path}`, label);
      report.check(response.status() === 200, `${label}: answers 200 (${response.status()})`);
      await checkAxe(report, page, label);
    }
    await page.goto(`${base}/newsroom/stories/${id}`);
    await screenshots(report, page, page.url(), 'newsroom-editor', artifacts);
    await screenshots(report, page, `${base}/newsroom/stories`, 'newsroom-list', artifacts);
    report.check(!(await page.locator('button[value=publish]').count()), 'newsroom: a reporter has no Publish button');

    const draft = await page.goto(`${base}/news/${id}`);
    report.check(draft.status() === 404, `public: a submitted draft is not public (${draft.status()})`);
    await page.goto(`${base}/newsroom`);
    await signOut(page);
    report.check((await page.locator('p.notice').textContent()).includes('signed out'), 'sign out: says so');
    await page.goto(`${base}/newsroom`);
    report.check(new URL(page.url()).pathname === '/newsroom/sign-in', 'sign out: the newsroom asks to sign in again');
    report.check(context.dialogs.length === 0, `newsroom: dialogs opened: ${context.dialogs.join(' | ')}`);
    await context.close();
  });

  await report.section('newsroom: editor publishes; the story is public', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, editor);
    await page.locator('nav.site-nav a', { hasText: 'Stories' }).click();
    await page.locator('nav.tabs a', { hasText: 'Awaiting review' }).click();
    await page.locator('a', { hasText: headline }).first().click();
    report.check(storyId(page) === id, `editor: story opens from the list (${page.url()})`);
    await press(page, 'publish');
    report.check((await page.locator('p.notice').textContent()).includes('Published'), 'editor: published');

    await page.locator('a', { hasText: 'View on the public site' }).click();
    await visitClean(report, page, page.url(), 'newly published article');
    report.check((await page.locator('h1#headline').textContent()).trim() === headline, 'public: the new story has its headline');
    report.check(
      (await page.locator('figure.lead-image img').getAttribute('alt')) === 'A white lighthouse on a rocky point under an orange evening sky',
      'public: uploaded picture with its alt text',
    );
    report.check(
      await page.locator('figure.lead-image img').evaluate((img) => img.complete && img.naturalWidth > 0),
      'public: uploaded picture loads',
    );
    report.check((await page.locator('figcaption').textContent()).includes('Skerry Point light was automated'), 'public: caption');
    report.check(await page.locator('.story-body h2.crosshead', { hasText: 'Storm damage' }).isVisible(), 'public: crosshead');
    report.check(await page.locator('.story-body blockquote').isVisible(), 'public: quote');
    report.check(await page.locator('aside.related a', { hasText: 'Lighthouse board' }).isVisible(), 'public: related link');
    await page.goto(`${base}/news/europe`);
    report.check(await page.locator('a', { hasText: headline }).first().isVisible(), 'public: on the Europe front');
    await page.goto(`${base}/`);
    report.check((await page.locator('a', { hasText: headline }).count()) >= 1, 'public: on the front page');
    report.check(context.dialogs.length === 0, `editor: dialogs opened: ${context.dialogs.join(' | ')}`);
    await context.close();
  });

  await report.section('newsroom: two tabs save the same story (edit conflict)', async () => {
    const context = await newContext(browser);
    const first = await context.newPage();
    await signIn(first, base, editor);
    const second = await context.newPage();
    await first.goto(`${base}/newsroom/stories/${id}`);
    await second.goto(`${base}/newsroom/stories/${id}`);
    report.check(await second.locator('.presence, .story-state').first().isVisible(), 'conflict: editor shows the story state');

    await first.locator('#headline').fill(`${headline} (first tab)`);
    await press(first, 'save');
    report.check((await first.locator('p.notice').textContent()).includes('Saved'), 'conflict: the first tab saves');

    const mine = 'The second tab rewrote the intro completely.\n\n## Storm damage\n\nWaves reached the lantern room.';
    await second.locator('#body').fill(mine);
    const [response] = await Promise.all([
      second.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/newsroom/stories/${id}`)),
      second.locator('button[value=save]').click(),
    ]);
    await second.waitForLoadState('load');
    report.check(response.status() === 409, `conflict: the second save answers 409 (${response.status()})`);
    report.check(
      await second.locator('section.conflict h2', { hasText: 'Someone else saved this story' }).isVisible(),
      'conflict: the conflict page explains',
    );
    report.check((await second.locator('#body').inputValue()) === mine, 'conflict: my text is still in the form');
    report.check((await second.locator('.conflict .diff').count()) >= 1, 'conflict: a word-level diff is shown');
    report.check(
      (await second.locator('.conflict').textContent()).includes('(first tab)'),
      "conflict: their version is shown",
    );
    await inspect(report, second, 'edit-conflict page');
    await checkAxe(report, second, 'edit-conflict page');
    await visitClean(report, second, second.url(), 'story editor after reload');
    await screenshots(report, second, `${base}/newsroom/stories/${id}`, 'newsroom-editor-published', artifacts);
    report.check(context.dialogs.length === 0, `conflict: dialogs opened: ${context.dialogs.join(' | ')}`);

    await signOut(first);
    await second.goto(`${base}/newsroom/stories/${id}`);
    report.check(new URL(second.url()).pathname === '/newsroom/sign-in', 'sign out: the other tab is signed out too');
    await context.close();
  });

  await report.section('newsroom: the live page screen and the breaking-news page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, editor);
    await page.goto(`${base}/newsroom/stories/${id}`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('a', { hasText: 'Live page' }).first().click()]);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('button', { hasText: 'Start live page' }).click()]);
    report.check((await page.locator('p.notice').textContent()).includes('now a live page'), 'live: started');
    await page.locator('#body').fill('The keepers lit the lamp at dusk, the first time since **January**.');
    await page.locator('#byline').fill('Ailsa Munro');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('button', { hasText: 'Publish post' }).click()]);
    report.check((await page.locator('p.notice').textContent()).includes('Post published'), 'live: the post is published');
    await inspect(report, page, 'newsroom live page (running)');
    await checkAxe(report, page, 'newsroom live page (running)');
    // An oversize post comes back with the text as typed and the message by the field.
    const long = 'Word '.repeat(1001);
    await page.locator('#body').fill(long);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('button', { hasText: 'Publish post' }).click()]);
    report.check((await page.locator('#body-error').textContent()).includes('at most 5,000 characters'), 'live: oversize post refused');
    report.check((await page.locator('#body').inputValue()) === long, 'live: the oversize text is kept');
    await checkAxe(report, page, 'newsroom live page (refused post)');
    await page.goto(`${base}/newsroom/stories/${id}/live`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('a', { hasText: 'Edit, delete or see the revisions' }).first().click()]);
    await inspect(report, page, 'newsroom live post');
    await checkAxe(report, page, 'newsroom live post');
    await page.locator('nav.site-nav a', { hasText: 'Breaking news' }).click();
    await page.waitForLoadState('load');
    await inspect(report, page, 'newsroom breaking news');
    await checkAxe(report, page, 'newsroom breaking news');
    report.check(context.dialogs.length === 0, `live: dialogs opened: ${context.dialogs.join(' | ')}`);
    await context.close();
  });
}
