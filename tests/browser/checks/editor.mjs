// The newsroom editor with its script (issue 18): autosave and the restore offer
// after a closed tab and after a lost connection; a picture dragged into the
// text, its required description, and the picture on the published page; the
// live preview against the published article; toolbar, shortcuts, meters and
// the unsaved-changes warning; who else is editing, live; the desk updating
// without a reload; axe on the editor (with preview and dialog) and the desk,
// and 320 px without sideways scrolling; the editor still saving with
// JavaScript off.

import { checkAxe, inspect, newContext } from '../lib/harness.mjs';
import { paintPicture, press, signIn, storyId } from './newsroom.mjs';

/** Every autosave answer comes in seconds; these bound the waits. */
const AUTOSAVED = 20_000;
/** Once the page's clock has reached its next poll, the answer comes in well under a second. */
const PRESENCE = 10_000;
const DESK = 10_000;
/** How often the editor asks who else is editing, and the desk for its lists (frontend/src/presence.js, desk.js). */
const PRESENCE_POLL = 15_000;
const DESK_POLL = 20_000;

async function waitForAutosave(page) {
  await page.locator('#autosave-status', { hasText: 'autosaved' }).waitFor({ timeout: AUTOSAVED });
}

/** Fills the fields a story needs; the section is the first real one. */
async function writeStory(page, headline, body) {
  await page.locator('#headline').fill(headline);
  await page.locator('#summary').fill(`A summary of ${headline}.`);
  await page.locator('#section').selectOption({ index: 1 });
  await page.locator('#body').fill(body);
}

/** The `.story-body` of a document, with staff picture addresses made public ones. */
async function storyBody(page, html) {
  const inner = await page.evaluate((h) => new DOMParser().parseFromString(h, 'text/html').querySelector('.story-body')?.innerHTML ?? null, html);
  return inner === null ? null : inner.replaceAll('/newsroom/images/', '/images/').trim();
}

/** No sideways scrolling at the page's width. */
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Drops `file` ({ name, mimeType, buffer }) onto `selector` as a browser would from the desktop. */
async function dropFile(page, selector, file) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      return transfer;
    },
    { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
  );
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

export async function editor(ctx) {
  const { browser, base, report, reporter, editor: editorAccount } = ctx;
  const stamp = Date.now().toString(36);
  let id;

  await report.section('editor: autosave survives a closed tab; restore, save, publish', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, editorAccount);
    await page.goto(`${base}/newsroom/stories/new`);
    const headline = `Ferry timetable restored after winter storms ${stamp}`;
    const typed = `Typed before the tab closed ${stamp}.`;
    await writeStory(page, headline, `${typed}\n\nThe first sailing leaves at six.`);
    await waitForAutosave(page);
    await page.close({ runBeforeUnload: false });

    const again = await context.newPage();
    await again.goto(`${base}/newsroom/stories/new`);
    const offer = again.locator('#restore-offer');
    report.check(await offer.isVisible(), 'editor: reopening a new story offers the unsaved changes');
    report.check(/Restore your unsaved changes from \d{2}:\d{2}/.test(await offer.innerText()), 'editor: the offer says when they were saved');
    report.check((await offer.innerText()).includes(typed), 'editor: the offer shows the typed text');
    await inspect(report, again, 'editor with a restore offer');
    await checkAxe(report, again, 'editor with a restore offer');
    await Promise.all([again.waitForNavigation(), offer.locator('a', { hasText: 'Restore' }).click()]);
    report.check((await again.locator('#body').inputValue()).includes(typed), 'editor: restoring puts the typed text back in the form');
    report.check((await again.locator('#headline').inputValue()) === headline, 'editor: restoring puts the headline back');
    const problems = await press(again, 'save');
    report.check(problems === '', `editor: the restored story saves (${problems})`);
    id = storyId(again);
    report.check(id !== null, `editor: the restored story is created (${again.url()})`);
    report.check(!(await again.locator('#restore-offer').count()), 'editor: after saving there is nothing to restore');
    const refused = await press(again, 'publish');
    report.check(refused === '', `editor: the restored story publishes (${refused})`);
    const publicPage = await again.goto(`${base}/news/${id}`);
    const shown = publicPage.status() === 200 ? await again.locator('article.story').innerText() : `status ${publicPage.status()}`;
    report.check(shown.includes(typed), `editor: the restored text is published (${shown.slice(0, 200)})`);
    report.check(context.dialogs.length === 0, `editor: dialogs opened: ${context.dialogs.join(' | ')}`);
    await context.close();
  });

  await report.section('editor: typing offline is kept and sent when the connection returns', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, editorAccount);
    await page.goto(`${base}/newsroom/stories/${id}`);
    const offline = `Written on the train without a signal ${stamp}.`;
    await context.setOffline(true);
    const body = page.locator('#body');
    await body.fill(`${await body.inputValue()}\n\n${offline}`);
    await page.locator('#autosave-status', { hasText: 'No connection' }).waitFor({ timeout: AUTOSAVED });
    report.check(true, 'editor: losing the connection is said');
    await page.close({ runBeforeUnload: false });
    await context.setOffline(false);

    const again = await context.newPage();
    // The kept copy is sent, then the page comes back with the server's offer.
    await again.goto(`${base}/newsroom/stories/${id}`);
    const offer = again.locator('#restore-offer');
    await offer.waitFor({ timeout: AUTOSAVED });
    report.check((await offer.innerText()).includes(offline), 'editor: text typed offline comes back as the restore offer');
    await Promise.all([again.waitForNavigation(), offer.locator('a', { hasText: 'Restore' }).click()]);
    await press(again, 'publish');
    await again.goto(`${base}/news/${id}`);
    report.check((await again.locator('article.story').innerText()).includes(offline), 'editor: text typed offline is published');
    await context.close();
  });

  await report.section('editor: a picture dragged into the text', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, editorAccount);
    await page.goto(`${base}/newsroom/stories/${id}`);
    const body = page.locator('#body');
    await body.focus();
    await page.keyboard.press('Control+End');
    await dropFile(page, '#body', await paintPicture(browser, 640, 400));
    const dialog = page.locator('dialog.picture-dialog');
    await dialog.waitFor({ state: 'visible' });
    await inspect(report, page, 'editor with the picture dialog');
    await checkAxe(report, page, 'editor with the picture dialog');
    await dialog.locator('button[value=insert]').click();
    report.check(await dialog.isVisible(), 'picture dialog: an empty description is refused');
    report.check((await dialog.locator('.field-error').innerText()).includes('required'), 'picture dialog: says the description is required');
    report.check((await page.locator('#picture-alt').getAttribute('aria-invalid')) === 'true', 'picture dialog: the field is marked invalid');
    const alt = `Passengers boarding the morning ferry ${stamp}`;
    const caption = `The first sailing since January ${stamp}`;
    await page.locator('#picture-alt').fill(alt);
    await page.locator('#picture-caption').fill(caption);
    await dialog.locator('button[value=insert]').click();
    await dialog.waitFor({ state: 'hidden' });
    const text = await body.inputValue();
    report.check(new RegExp(`!\\[${alt}\\]\\(image:\\d+ "${caption}"\\)`).test(text), `picture: its reference is in the text (${text.slice(-160)})`);
    await press(page, 'publish');
    await page.goto(`${base}/news/${id}`);
    const figure = page.locator('.story-body figure.body-picture');
    report.check((await figure.count()) === 1, 'picture: the published page shows it in the text');
    if (await figure.count()) {
      report.check((await figure.locator('img').getAttribute('alt')) === alt, 'picture: with its description');
      report.check(Boolean(await figure.locator('img').getAttribute('srcset')), 'picture: with srcset');
      report.check((await figure.locator('figcaption').innerText()).includes(caption), 'picture: with its caption');
      report.check(await figure.locator('img').evaluate((img) => img.complete && img.naturalWidth > 0), 'picture: it loads');
    }
    await context.close();
  });

  await report.section('editor: live preview, toolbar, shortcuts, meters, warning', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, base, editorAccount);
    await page.goto(`${base}/newsroom/stories/${id}`);
    const frame = page.frameLocator('.live-preview iframe');
    await frame.locator('.story-body').waitFor();
    const previewed = `A sentence for the preview ${stamp}.`;
    const body = page.locator('#body');
    await body.fill(`${await body.inputValue()}\n\n${previewed}`);
    await frame.locator('.story-body', { hasText: previewed }).waitFor({ timeout: AUTOSAVED });
    report.check(true, 'preview: follows the typing');
    const previewHtml = await page.locator('.live-preview iframe').evaluate((f) => f.srcdoc);
    await page.locator('.preview-widths button', { hasText: 'Phone' }).click();
    report.check((await page.locator('.live-preview iframe').evaluate((f) => f.getBoundingClientRect().width)) <= 362, 'preview: phone width');
    await inspect(report, page, 'editor with the live preview');
    await checkAxe(report, page, 'editor with the live preview');

    // Toolbar and shortcuts on a selected word.
    await body.fill('Calm seas return.');
    await body.evaluate((t) => t.setSelectionRange(0, 4));
    await page.locator('md-italic').click();
    report.check((await body.inputValue()).startsWith('_Calm_'), `toolbar: Emphasis marks the selection (${await body.inputValue()})`);
    await body.evaluate((t) => t.setSelectionRange(t.value.length - 8, t.value.length - 1));
    await page.keyboard.press('Control+b');
    report.check((await body.inputValue()).includes('**return**'), `shortcut: Ctrl+B (${await body.inputValue()})`);
    await body.evaluate((t) => t.setSelectionRange(0, 0));
    await page.keyboard.press('Control+Alt+2');
    report.check((await body.inputValue()).startsWith('## '), `shortcut: Ctrl+Alt+2 makes a crosshead (${await body.inputValue()})`);
    report.check(/\d+ words?, about \d+ minutes? to read/.test(await page.locator('#body-meter').innerText()), 'meter: word count and reading time');
    await page.locator('#headline').fill('x'.repeat(130));
    report.check(await page.locator('#headline-meter.over').isVisible(), 'meter: a headline over the limit is flagged');
    report.check((await page.locator('#headline-meter').innerText()).includes('10 too many'), 'meter: says by how much');

    // Leaving with unsaved changes asks first.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.type();
      d.dismiss().catch(() => {});
    });
    await page.goto(`${base}/newsroom`).catch(() => {});
    report.check(asked === 'beforeunload', `warning: leaving with unsaved changes asks (${asked || 'no dialog'})`);
    // Whatever is now in the form is not this check's: the story keeps its published text.
    await context.close();

    // The preview is the published article's HTML for the same text.
    const check = await newContext(browser);
    const reader = await check.newPage();
    await signIn(reader, base, editorAccount);
    await reader.goto(`${base}/newsroom/stories/${id}`);
    await reader.locator('#body').fill(`${await reader.locator('#body').inputValue()}\n\n${previewed}`);
    await press(reader, 'publish');
    const published = await (await reader.request.get(`${base}/news/${id}`)).text();
    const a = await storyBody(reader, previewHtml);
    const b = await storyBody(reader, published);
    report.check(a !== null && a === b, `preview: the same article HTML as the published page (${a === null ? 'no story body in the preview' : 'differs'})`);
    // Ctrl+S saves.
    await reader.locator('#body').focus();
    await Promise.all([reader.waitForNavigation(), reader.keyboard.press('Control+s')]);
    report.check((await reader.locator('p.notice').innerText()).toLowerCase().includes('saved'), 'shortcut: Ctrl+S saves');
    await check.close();
  });

  await report.section('editor: who else is editing shows and goes without a reload', async () => {
    const first = await newContext(browser);
    const one = await first.newPage();
    // The editor's page asks every 15 s who else is there, the desk every 20 s: the
    // page's clock is moved on by that much rather than waited for.
    await one.clock.install();
    await signIn(one, base, editorAccount);
    await one.goto(`${base}/newsroom/stories/${id}`);
    const second = await newContext(browser);
    const two = await second.newPage();
    await signIn(two, base, reporter);
    // The reporter may not open a published story: the presence comes from a story of their own.
    await two.goto(`${base}/newsroom/stories/new`);
    await writeStory(two, `Harbour wall repairs ${stamp}`, 'Work starts on Monday.');
    await press(two, 'save');
    const own = storyId(two);
    await one.goto(`${base}/newsroom/stories/${own}`);
    await one.clock.runFor(PRESENCE_POLL);
    await one.locator('#presence .presence', { hasText: 'is editing this story' }).waitFor({ timeout: PRESENCE });
    report.check((await one.locator('#presence').innerText()).includes('is editing this story'), 'presence: the other person appears without a reload');
    // They move on to their desk: the page says goodbye (a beacon) as it goes. Closing
    // the whole browser context instead would cancel the beacon in flight, which
    // closing a tab in a real browser does not.
    await two.goto(`${base}/newsroom`);
    await one.clock.runFor(PRESENCE_POLL);
    await one.locator('#presence .presence').waitFor({ state: 'detached', timeout: PRESENCE });
    report.check(true, 'presence: and disappears when they leave');
    await second.close();

    // The desk: the reporter's story sent for review appears on the editor's desk without a reload.
    await one.goto(`${base}/newsroom`);
    await inspect(report, one, 'desk (editor)');
    await checkAxe(report, one, 'desk (editor)');
    const third = await newContext(browser);
    const three = await third.newPage();
    await signIn(three, base, reporter);
    await three.goto(`${base}/newsroom/stories/${own}`);
    await press(three, 'submit');
    await one.clock.runFor(DESK_POLL);
    await one.locator('#desk-lists a', { hasText: `Harbour wall repairs ${stamp}` }).first().waitFor({ timeout: DESK });
    report.check(true, 'desk: a story sent for review appears without a reload');
    await three.goto(`${base}/newsroom`);
    await checkAxe(report, three, 'desk (reporter)');
    await third.close();
    await first.close();
  });

  await report.section('editor: 320 px and JavaScript off', async () => {
    const narrow = await newContext(browser, { viewport: { width: 320, height: 800 } });
    const page = await narrow.newPage();
    await signIn(page, base, editorAccount);
    for (const path of [`/newsroom/stories/${id}`, '/newsroom/stories/new', '/newsroom']) {
      await page.goto(`${base}${path}`);
      report.check(await fitsWidth(page), `320 px: ${path} needs no sideways scrolling`);
    }
    await page.goto(`${base}/newsroom/stories/${id}`);
    report.check(await page.locator('md-italic').isVisible(), '320 px: the toolbar is there');
    await narrow.close();

    const noScript = await newContext(browser, { javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await signIn(plain, base, editorAccount);
    await plain.goto(`${base}/newsroom/stories/new`);
    report.check(!(await plain.locator('markdown-toolbar').count()), 'no JavaScript: the plain form');
    await writeStory(plain, `Lifeboat crew honoured ${stamp}`, 'The crew were given medals.');
    const problems = await press(plain, 'save');
    report.check(problems === '' && storyId(plain) !== null, `no JavaScript: the form saves (${problems})`);
    await noScript.close();
  });
}
