// The XSS corpus (tests/fixtures/xss-payloads.txt) typed by the browser into
// every text field of the newsroom's forms, published, and then looked for on
// every page that shows it: public pages, newsroom pages, feeds and the API.
// A payload "executes" if a hooked function is called, a dialog opens, the
// DOM gains markup no template writes, or the text does not come back as typed.
//
// The XSS contexts are created with bypassCSP, so the site's strict
// Content-Security-Policy cannot hide an escaping bug: only escaping counts.

import { cleanLine, executed, gotoFromServer, inspect, loadPayloads, newContext, pack, pool, sendForm, visitClean, wellFormed } from '../lib/harness.mjs';
import { paintPicture, press, signIn, storyId } from './newsroom.mjs';

/** Pages working at once: the server, not the browser, is what they wait on. */
const WORKERS = 4;

/** A word in every XSS story's text, so search finds them all. */
const MARKER = 'quokkaxylophone';

/** Field limits from src/domain/story.rs (and the correction form). */
const LIMITS = { headline: 120, promo_headline: 60, summary: 300, byline: 120, image_alt: 250, image_caption: 300, image_credit: 120, link_title: 200, correction: 1000, staff_name: 100, kill_reason: 1000 };

/** Backslash-escapes every ASCII punctuation character, so body markup shows it as text. */
const escapeMarkup = (s) => cleanLine(s).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);

/** The error shown next to a field (its paragraph's .field-error), or ''. */
async function fieldError(page, selector) {
  const error = page.locator(selector).locator('xpath=..').locator('.field-error');
  return (await error.count()) ? (await error.first().textContent()).trim() : '';
}

const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** Link rows in the editor (src/web/newsroom/form.rs LINK_ROWS). */
const LINK_ROWS = 5;
/** Payloads shown on one page when their verdicts are known. */
const PER_PAGE = 8;

/**
 * Sends the editor form open in `page` as the Preview button would and reads
 * the answer without loading it: still the editor (refused), and the body's and
 * first link address's problems.
 */
async function previewVerdict(page) {
  const { found } = await sendForm(page, {
    form: 'form:has(#body)',
    submitter: 'button[value=preview]',
    read: { editor: '#body', bodyError: '#body-error', urlError: ':has(> #link_url_1) .field-error' },
  });
  return {
    onEditor: found.editor.length > 0,
    bodyError: found.bodyError[0]?.text ?? '',
    urlError: found.urlError[0]?.text ?? '',
  };
}

/** Pages of up to PER_PAGE bodies and LINK_ROWS link addresses, all of one verdict. */
function groupPages(bodies, urls, previews) {
  const count = Math.max(Math.ceil(bodies.length / PER_PAGE), Math.ceil(urls.length / LINK_ROWS));
  return Array.from({ length: count }, (_, g) => ({
    bodies: bodies.slice(g * PER_PAGE, (g + 1) * PER_PAGE),
    urls: urls.slice(g * LINK_ROWS, (g + 1) * LINK_ROWS),
    previews,
  }));
}

export async function xss(ctx) {
  const { browser, base, report, editor } = ctx;
  const payloads = await loadPayloads();
  report.check(payloads.length >= 100, `xss: corpus has at least 100 payloads (${payloads.length})`);
  // Small, so re-encoding it for every story costs little.
  const picture = await paintPicture(browser, 240, 150);
  const context = await newContext(browser, { bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, base, editor);
  const refused = {}; // field -> [{ payload, message }]
  const refuse = (field, payload, message) => (refused[field] ??= []).push({ payload, message });

  // 1. A probe story with a picture: its edit form is where limits and markup
  //    refusals are found with Preview, which saves nothing.
  let probeId;
  let bodyAccepted = [];
  let urlsAccepted = [];
  await report.section('xss: find what validation refuses (Preview in the editor)', async () => {
    await page.goto(`${base}/newsroom/stories/new`);
    await page.locator('#headline').fill(`XSS probe ${MARKER}`);
    await page.locator('#summary').fill('Probe story for the XSS corpus.');
    await page.locator('#section').selectOption({ index: 1 });
    await page.locator('#body').fill(`Probe ${MARKER}.`);
    await page.locator('#image').setInputFiles(picture);
    await page.locator('#image_alt').fill('Probe picture');
    const problems = await press(page, 'save');
    report.check(problems === '', `xss: probe story saved (${problems})`);
    probeId = storyId(page);
    const editUrl = `${base}/newsroom/stories/${probeId}`;

    // The body and link addresses, one payload at a time (Preview saves nothing, so in
    // parallel): each sent as Preview sends the form (its FormData, the Preview button
    // as the submitter), the answer read for the verdict without being loaded. What
    // a browser shows of them is loaded below, several payloads to a page.
    const bodyVerdicts = [];
    await pool(context, WORKERS, payloads, async (p, payload, i) => {
      if (!(await p.locator('#body').count())) await p.goto(editUrl);
      await p.locator('#body').fill(`${wellFormed(payload)}\n\n${MARKER}`);
      await p.locator('#link_title_1').fill('probe');
      await p.locator('#link_url_1').fill(wellFormed(payload));
      bodyVerdicts[i] = { payload, ...(await previewVerdict(p)) };
    });
    for (const { payload, onEditor, bodyError, urlError } of bodyVerdicts) {
      report.check(onEditor === Boolean(bodyError || urlError), `preview of ${JSON.stringify(payload).slice(0, 40)}: a preview, or the editor naming the problem (${bodyError} ${urlError})`);
      if (bodyError) refuse('body', payload, bodyError);
      else bodyAccepted.push(payload);
      if (urlError) refuse('link_url', payload, urlError);
      else urlsAccepted.push(payload);
    }
    // Loaded: the accepted ones in Preview's page, the refused ones in the editor
    // that gives them back; a body and five link rows of them to a page.
    const refusedBodies = (refused.body ?? []).map(({ payload }) => payload);
    const refusedUrls = (refused.link_url ?? []).map(({ payload }) => payload);
    const pages = [...groupPages(bodyAccepted, urlsAccepted, true), ...groupPages(refusedBodies, refusedUrls, false)];
    await pool(context, WORKERS, pages, async (p, { bodies, urls, previews }) => {
      if (!(await p.locator('#body').count())) await p.goto(editUrl);
      await p.locator('#body').fill([...bodies.map(wellFormed), MARKER].join('\n\n'));
      for (let row = 0; row < LINK_ROWS; row += 1) {
        await p.locator(`#link_title_${row + 1}`).fill(row < urls.length ? 'probe' : '');
        await p.locator(`#link_url_${row + 1}`).fill(row < urls.length ? wellFormed(urls[row]) : '');
      }
      await press(p, 'preview');
      const label = `${previews ? 'preview' : 'editor refusing'} of ${bodies.length} bodies and ${urls.length} link addresses, from ${JSON.stringify(bodies[0] ?? urls[0]).slice(0, 40)}`;
      await inspect(report, p, label);
      report.check(((await p.locator('#body').count()) === 0) === previews, `${label}: ${previews ? 'previewed' : 'refused'} as each was alone`);
    });

    // One-line fields: payloads over a field's limit must be refused with the limit
    // named, and the refused text echoed back into the form as text.
    const overLimit = [];
    for (const [field, selector] of [
      ['headline', '#headline'],
      ['promo_headline', '#promo_headline'],
      ['byline', '#byline'],
      ['image_credit', '#image_credit'],
      ['summary', '#summary'],
      ['image_alt', '#image_alt'],
      ['image_caption', '#image_caption'],
      ['link_title', '#link_title_1'],
    ]) {
      for (const payload of pack(payloads, LIMITS[field]).over) overLimit.push({ field, selector, payload });
    }
    // The slug is an identifier: everything but lowercase words and hyphens is refused.
    for (const payload of payloads.slice(0, 5)) overLimit.push({ field: 'slug', selector: '#slug', payload });
    const limitVerdicts = [];
    await pool(context, WORKERS, overLimit, async (p, { field, selector, payload }, i) => {
      await p.goto(editUrl);
      await p.locator(selector).fill(wellFormed(payload));
      if (field === 'link_title') await p.locator('#link_url_1').fill('https://example.org/');
      await p.locator('button[value=preview]').click();
      await p.waitForLoadState('load');
      await inspect(report, p, `editor refusing a long ${field}`);
      limitVerdicts[i] = await fieldError(p, selector === '#link_title_1' ? '#link_url_1' : selector);
    });
    for (const [i, { field, payload }] of overLimit.entries()) {
      const message = limitVerdicts[i] ?? '';
      if (field === 'slug') {
        report.check(/lowercase letters and digits/.test(message), `xss: slug payload refused (${message})`);
      } else {
        report.check(/the limit is/.test(message), `xss: ${field} over its limit refused with a clear message (${message})`);
      }
      refuse(field, payload, message);
    }

    // The related-story finder echoes what was typed into the editor.
    await page.goto(editUrl);
    await page.locator('#related_search').fill(payloads.map(wellFormed).join(' '));
    await page.locator('button[value=find_related]').click();
    await page.waitForLoadState('load');
    await inspect(report, page, 'editor after Find related with every payload');
  });

  // 2. The stories: every payload in every field, packed to the limits, published.
  const stories = [];
  const promoted = [];
  await report.section('xss: write and publish the corpus through the editor', async () => {
    const packs = {};
    for (const field of ['headline', 'promo_headline', 'summary', 'byline', 'image_alt', 'image_caption', 'image_credit', 'link_title']) {
      packs[field] = pack(payloads, LIMITS[field]).chunks;
    }
    const bodies = [...bodyAccepted, ...(refused.body || []).map(({ payload }) => escapeMarkup(payload))];
    // Link titles and addresses go five to a story, one per row.
    const linkTitles = packs.link_title;
    const storyCount = Math.max(
      packs.headline.length,
      packs.promo_headline.length,
      packs.summary.length,
      packs.byline.length,
      packs.image_alt.length,
      packs.image_caption.length,
      packs.image_credit.length,
      Math.ceil(linkTitles.length / 5),
      Math.ceil(urlsAccepted.length / 5),
    );
    // The corpus goes into the English edition's sections (their pages are at /news/…):
    // the promos and fronts checked below are the English edition's.
    const apiSections = await page.goto(`${base}/api/v1/sections`).then(() => page.evaluate(() => JSON.parse(document.body.innerText)));
    const englishSections = (apiSections.sections ?? apiSections)
      .filter((sec) => new URL(sec.url).pathname.startsWith('/news/'))
      .map((sec) => String(sec.id));
    const written = [];
    // Several editors at once, as in a newsroom: every write takes SQLite's write lock
    // when it begins (store::BeginWrite), so concurrent publishes wait their turn.
    await pool(context, WORKERS, [...Array(storyCount).keys()], async (page, s) => {
      const pick = (field) => packs[field][s] ?? '';
      const values = {
        headline: pick('headline') || `XSS corpus story ${s + 1}`,
        promo_headline: pick('promo_headline'),
        summary: pick('summary') || `XSS corpus story ${s + 1}.`,
        byline: pick('byline'),
        image_alt: pick('image_alt') || 'XSS corpus picture',
        image_caption: pick('image_caption'),
        image_credit: pick('image_credit'),
      };
      const bodyPart = bodies.filter((_, i) => i % storyCount === s);
      const body = [...bodyPart, `Corpus story ${s + 1} ${MARKER}.`].map(wellFormed).join('\n\n');
      const links = [];
      for (let r = 0; r < 5; r += 1) {
        const title = linkTitles[s * 5 + r];
        const url = urlsAccepted[s * 5 + r];
        if (title !== undefined || url !== undefined) {
          links.push({ title: title ?? `Link ${r + 1}`, url: url ?? 'https://example.org/' });
        }
      }
      await page.goto(`${base}/newsroom/stories/new`);
      for (const [field, value] of Object.entries(values)) {
        await page.locator(`#${field}`).fill(wellFormed(value));
      }
      await page.locator('#section').selectOption({ value: englishSections[s % englishSections.length] });
      await page.locator('#body').fill(body);
      await page.locator('#image').setInputFiles(picture);
      for (const [r, link] of links.entries()) {
        await page.locator(`#link_title_${r + 1}`).fill(wellFormed(link.title));
        await page.locator(`#link_url_${r + 1}`).fill(wellFormed(link.url));
      }
      // What the browser will really send (inputs drop newlines, for one), read in one go.
      const { sent, sentLinks } = await page.evaluate(
        ({ fields, linkCount }) => {
          const value = (id) => document.getElementById(id).value;
          return {
            sent: Object.fromEntries(fields.map((field) => [field, value(field)])),
            sentLinks: Array.from({ length: linkCount }, (_, r) => ({
              title: value(`link_title_${r + 1}`),
              url: value(`link_url_${r + 1}`),
            })),
          };
        },
        { fields: Object.keys(values), linkCount: links.length },
      );
      await page.locator('button[value=publish]').click();
      await page.waitForLoadState('load');
      const id = storyId(page);
      const notice = (await page.locator('p.notice').count()) ? await page.locator('p.notice').textContent() : '';
      if (!report.check(/Published/.test(notice), `xss: story ${s + 1} published (${notice || (await page.locator('.error-summary').textContent().catch(() => page.url()))})`)) {
        return;
      }
      await inspect(report, page, `newsroom editor of XSS story ${id}`);
      written[s] = { id, sent, links: sentLinks, bodyPart };
    });
    stories.push(...written.filter(Boolean));
    report.note(`xss: ${payloads.length} payloads in ${stories.length} published stories`);

    // Corrections: up to 1,000 characters each, on the first stories.
    const corrections = pack(payloads, LIMITS.correction).chunks;
    for (const [i, text] of corrections.entries()) {
      const story = stories[i % stories.length];
      await page.goto(`${base}/newsroom/stories/${story.id}`);
      await page.locator('#correction').fill(wellFormed(text));
      const typed = await page.locator('#correction').inputValue();
      await page.locator('#correction').locator('xpath=ancestor::form').locator('button[type=submit]').click();
      await page.waitForLoadState('load');
      report.check(/Correction added/.test(await page.locator('p.notice').textContent()), `xss: correction ${i + 1} added`);
      (story.corrections ??= []).push(typed);
    }

    // Site-wide promos: the newest three corpus stories, so every article shows their promo headlines.
    promoted.push(...stories.slice(-3));
    await page.goto(`${base}/newsroom/fronts`);
    await page.locator('input[name^="promo_"]').evaluateAll((inputs) => inputs.forEach((i) => (i.value = '')));
    for (const [i, story] of promoted.entries()) {
      await page.locator(`#promo_${story.id}`).fill(String(i + 1));
    }
    await page.locator('button', { hasText: 'Save the promos' }).click();
    await page.waitForLoadState('load');
    await inspect(report, page, 'newsroom fronts and promos');
  });

  // 3. Every page that shows them.
  await report.section('xss: public pages show the corpus as text', async () => {
    await pool(context, WORKERS, stories, async (page, story) => {
      await page.goto(`${base}/news/${story.id}`);
      const url = page.url();
      await inspect(report, page, `article ${story.id}`);
      const shown = await page.evaluate(() => ({
        headline: document.querySelector('#headline')?.textContent,
        summary: document.querySelector('meta[name=description]')?.content,
        byline: document.querySelector('.byline')?.textContent ?? '',
        image_alt: document.querySelector('figure.lead-image img')?.alt,
        caption: document.querySelector('figure.lead-image figcaption')?.textContent ?? '',
        links: [...document.querySelectorAll('aside.related h3 + ul a')].map((a) => ({ title: a.textContent, url: a.getAttribute('href') })),
        body: document.querySelector('.story-body')?.innerText + ' ' + (document.querySelector('.intro')?.innerText ?? ''),
        corrections: document.querySelector('.corrections')?.innerText ?? '',
        jsonld: JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent),
      }));
      const want = (field) => cleanLine(story.sent[field]);
      report.check(shown.headline === want('headline'), `article ${story.id}: headline shown as typed: ${JSON.stringify(shown.headline)} vs ${JSON.stringify(want('headline'))}`);
      report.check(shown.jsonld.headline === want('headline'), `article ${story.id}: JSON-LD headline as typed`);
      report.check(shown.summary === want('summary'), `article ${story.id}: summary as typed`);
      report.check(shown.byline === want('byline'), `article ${story.id}: byline as typed: ${JSON.stringify(shown.byline)}`);
      report.check(shown.image_alt === want('image_alt'), `article ${story.id}: alt text as typed`);
      report.check(
        shown.caption.startsWith(want('image_caption')) && shown.caption.endsWith(want('image_credit')),
        `article ${story.id}: caption and credit as typed: ${JSON.stringify(shown.caption)}`,
      );
      const links = story.links.filter((l) => l.title.trim() || l.url.trim());
      report.check(
        shown.links.length === links.length &&
          links.every((l, i) => shown.links[i].title === cleanLine(l.title) && shown.links[i].url === l.url.trim()),
        `article ${story.id}: related links as typed: ${JSON.stringify(shown.links)} vs ${JSON.stringify(links)}`,
      );
      for (const correction of story.corrections ?? []) {
        report.check(collapse(shown.corrections).includes(collapse(cleanLine(correction))), `article ${story.id}: correction as typed`);
      }
      report.check(shown.body.includes(MARKER), `article ${story.id}: body shown`);
      await visitClean(report, page, `${url}/print`, `print of ${story.id}`);
      report.check((await page.locator('#headline').textContent()) === want('headline'), `print ${story.id}: headline as typed`);
      await visitClean(report, page, `${url}/history`, `history of ${story.id}`);
    });
    const sectionLinks = await page.goto(`${base}/`).then(() =>
      page.locator('nav.site-nav a, nav.regional-nav a').evaluateAll((as) => [...new Set(as.map((a) => a.href))]),
    );
    for (const href of sectionLinks) await visitClean(report, page, href, `front ${href}`);
    const promos = await page.goto(`${base}/news/${stories[0].id}`).then(() => page.locator('aside.promos li').allTextContents());
    report.check(
      promoted.length === 3 && promoted.every((s) => promos.includes(cleanLine(s.sent.promo_headline) || cleanLine(s.sent.headline))),
      `promos: corpus promo headlines shown as typed: ${JSON.stringify(promos)}`,
    );
    await visitClean(report, page, `${base}/search?q=${MARKER}`, 'search for the corpus');
    const hits = await page.locator('ol.search-results h3 a').allTextContents();
    report.check(hits.length === 10, `search: the corpus stories are found (${hits.length} on page 1)`);
    for (let p = 2; p <= Math.ceil((stories.length + 1) / 10); p += 1) {
      await visitClean(report, page, `${base}/search?q=${MARKER}&page=${p}`, `search page ${p}`);
    }
  });

  await report.section('xss: every payload typed into the public and newsroom search boxes', async () => {
    // Both boxes take 200 characters (src/domain/search_query.rs): payloads go in
    // that many at a time, and the longer ones alone, to be refused.
    const queries = pack(payloads, 200);
    await pool(context, WORKERS, [...queries.chunks, ...queries.over], async (pub, payload) => {
      // Each search page has the box again: type the next payload into it.
      if (!(await pub.locator('#search-q').count())) await pub.goto(`${base}/search`);
      await pub.locator('#search-q').fill(wellFormed(payload));
      await pub.locator('#search-q').press('Enter');
      await pub.waitForLoadState('load');
      await inspect(report, pub, `public search for ${JSON.stringify(payload).slice(0, 40)}`);
      // The box gives back what was sent (the browser drops newlines from an input).
      const back = await pub.locator('#search-q').inputValue();
      report.check(back.length > 0 || cleanLine(payload) === '', `public search keeps the query ${JSON.stringify(payload).slice(0, 40)}`);
    });
    await pool(context, WORKERS, queries.chunks, async (p, chunk) => {
      await p.goto(`${base}/newsroom/search`);
      await p.locator('#q').fill(wellFormed(chunk));
      await p.locator('#q').press('Enter');
      await p.waitForLoadState('load');
      await inspect(report, p, `newsroom search for ${JSON.stringify(chunk).slice(0, 40)}`);
    });
  });

  await report.section('xss: newsroom pages show the corpus as text', async () => {
    await visitClean(report, page, `${base}/newsroom`, 'newsroom desk');
    await visitClean(report, page, `${base}/newsroom/stories`, 'newsroom story list');
    await visitClean(report, page, `${base}/newsroom/search?q=${MARKER}`, 'newsroom search');
    await pool(context, WORKERS, stories, (p, story) =>
      visitClean(report, p, `${base}/newsroom/stories/${story.id}/history`, `revision history ${story.id}`),
    );
    // A conflict whose word diff is made of payloads on both sides.
    const [a, b] = stories;
    const tab = await context.newPage();
    await page.goto(`${base}/newsroom/stories/${a.id}`);
    await tab.goto(`${base}/newsroom/stories/${a.id}`);
    await page.locator('#headline').fill(wellFormed(b.sent.headline));
    await page.locator('#body').fill(wellFormed(b.bodyPart.join('\n\n') + `\n\n${MARKER}`));
    await page.locator('button[value=save]').click();
    await page.waitForLoadState('load');
    await tab.locator('#summary').fill(wellFormed(b.sent.summary));
    await tab.locator('button[value=save]').click();
    await tab.waitForLoadState('load');
    report.check(await tab.locator('section.conflict').isVisible(), 'xss: conflict page with payloads on both sides');
    await inspect(report, tab, 'edit-conflict page with payload diffs');
    await tab.close();
  });

  await report.section('xss: feeds parse and carry no live markup', async () => {
    const feeds = ['/feeds/news.rss', '/feeds/news.atom', '/sitemaps/news.xml'];
    const sections = await page.goto(`${base}/api/v1/sections`).then(() => page.evaluate(() => JSON.parse(document.body.innerText)));
    for (const s of (sections.sections ?? sections).slice(0, 20)) {
      // A section's feeds sit beside its front, under its edition's prefix.
      const feed = new URL(s.url).pathname.replace(/\/news\/([^/]+)$/, '/feeds/$1');
      feeds.push(`${feed}.rss`, `${feed}.atom`);
    }
    const headlines = new Set(stories.map((s) => cleanLine(s.sent.headline)));
    let seen = 0;
    for (const path of feeds) {
      const response = await context.request.get(`${base}${path}`);
      report.check(response.ok(), `${path}: ${response.status()}`);
      const xml = await response.text();
      const verdict = await page.evaluate((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        const problems = [];
        if (doc.querySelector('parsererror')) problems.push(`does not parse: ${doc.querySelector('parsererror').textContent.slice(0, 200)}`);
        const xhtml = doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', '*');
        if (xhtml.length) problems.push(`${xhtml.length} XHTML elements`);
        for (const el of doc.querySelectorAll('script')) problems.push(`<script> element ${el.textContent.slice(0, 40)}`);
        // RSS descriptions and Atom html/xhtml content are HTML to a feed reader: they must hold no elements.
        const htmlish = [
          ...doc.querySelectorAll('item > description'),
          ...[...doc.getElementsByTagName('summary'), ...doc.getElementsByTagName('content')].filter((e) => (e.getAttribute('type') || 'text') !== 'text'),
        ];
        for (const el of htmlish) {
          const html = new DOMParser().parseFromString(el.textContent, 'text/html');
          if (html.body.querySelector('*')) problems.push(`live markup in <${el.localName}>: ${el.textContent.slice(0, 80)}`);
        }
        const titles = [...doc.querySelectorAll('item > title, entry > title'), ...doc.getElementsByTagName('news:title')].map((t) => t.textContent);
        return { problems, titles };
      }, xml);
      for (const problem of verdict.problems) report.check(false, `${path}: ${problem}`);
      seen += verdict.titles.filter((t) => headlines.has(t)).length;
      // And the browser's own rendering of the feed runs nothing.
      await page.goto(`${base}${path}`);
      const ran = await executed(page);
      report.check(ran.length === 0, `${path} rendered: script ran: ${ran.join(' | ')}`);
    }
    report.check(seen >= Math.min(stories.length, 20), `feeds: corpus headlines come back exactly as typed (${seen} seen)`);
  });

  await report.section("xss: the API consumer's view", async () => {
    // Without a key the API allows 120 requests a minute from one address: then check a sample.
    const headers = ctx.apiKey ? { 'X-Api-Key': ctx.apiKey } : {};
    const checked = ctx.apiKey ? stories : stories.slice(0, 50);
    if (!ctx.apiKey) report.note(`xss: no API key given: the API is checked for ${checked.length} of ${stories.length} stories`);
    const documents = [];
    for (const story of checked) {
      documents.push([`/api/v1/stories/${story.id}`, story]);
      documents.push([`/api/v1/stories/${story.id}/ninjs`, story]);
    }
    documents.push([`/api/v1/stories?limit=100`, null], [`/api/v1/search?q=${MARKER}&limit=50`, null]);
    await pool(context, WORKERS, documents, async (api, [path, story]) => {
      if (api.url() === 'about:blank') await api.goto(`${base}/about/editorial-policy`);
      const response = await context.request.get(`${base}${path}`, { headers });
      report.check(response.ok(), `${path}: ${response.status()}`);
      const json = await response.json();
      // Every string, shown the way a careful consumer shows text; and every
      // HTML field (…_html, ninjs bodies) inserted as HTML, which must hold only the site's own markup.
      const verdict = await api.evaluate((json) => {
        const problems = [];
        const allowed = new Set(['p', 'h2', 'blockquote', 'em', 'strong', 'a', 'img', 'br', 'mark', 'figure', 'figcaption']);
        // Pictures only from the site's own /images/ (ninjs writes them absolute, on this host).
        const ours = (url) => url.startsWith('/images/') || url.startsWith(`${location.origin}/images/`);
        const imgOk = (name, value) =>
          ['alt', 'width', 'height', 'loading', 'sizes'].includes(name) ||
          (name === 'src' && ours(value)) ||
          (name === 'srcset' && value.split(',').every((c) => ours(c.trim().split(/\s+/)[0])));
        const host = document.createElement('div');
        document.body.append(host);
        const walk = (value, key, htmlField) => {
          if (typeof value === 'string') {
            if (htmlField) {
              const t = document.createElement('template');
              t.innerHTML = value;
              for (const el of t.content.querySelectorAll('*')) {
                if (!allowed.has(el.localName)) problems.push(`${key}: <${el.localName}>`);
                for (const attr of el.attributes) {
                  const ok = (attr.name === 'href' && /^(https?:|mailto:|\/(?![/\\])|#)/i.test(attr.value)) ||
                    (el.localName === 'img' && imgOk(attr.name, attr.value)) ||
                    (el.localName === 'figure' && attr.name === 'class' && attr.value === 'body-picture') ||
                    (el.localName === 'h2' && attr.name === 'class');
                  if (!ok) problems.push(`${key}: ${el.localName}[${attr.name}=${attr.value.slice(0, 40)}]`);
                }
              }
              host.innerHTML = value;
            } else {
              host.textContent = value;
              if (host.children.length || host.textContent !== value) problems.push(`${key}: text did not round-trip`);
            }
            return;
          }
          if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${key}[${i}]`, htmlField));
          if (value && typeof value === 'object') {
            const isHtml = value.contenttype === 'text/html' && 'value' in value;
            for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`, k.endsWith('_html') || (isHtml && k === 'value'));
          }
        };
        walk(json, '$', false);
        host.remove();
        return problems;
      }, json);
      for (const problem of verdict) report.check(false, `${path}: ${problem}`);
      if (story && path.endsWith(`/${story.id}`)) {
        report.check(json.headline === cleanLine(story.sent.headline), `${path}: headline as typed: ${JSON.stringify(json.headline)}`);
      }
      await inspect(report, api, `page holding the strings of ${path}`);
    });
  });

  await report.section('xss: staff names and kill reasons', async () => {
    if (!ctx.admin) {
      report.note('xss: no admin account given (BROWSER_ADMIN_EMAIL): staff names and kill reasons not checked');
      return;
    }
    // An administrator names new colleagues with the corpus, 100 characters at a time.
    const adminContext = await newContext(browser, { bypassCSP: true });
    const admin = await adminContext.newPage();
    await signIn(admin, base, ctx.admin);
    const names = pack(payloads, LIMITS.staff_name).chunks;
    const created = [];
    await pool(adminContext, WORKERS, names, async (p, name, i) => {
      const email = `xss-${i + 1}-${Date.now()}@browser.test`;
      // The answer to the last account is this list again, with the form empty for the next.
      if (!(await p.locator('form.stacked #email').count())) await p.goto(`${base}/newsroom/users`);
      await p.locator('#email').fill(email);
      await p.locator('#name').fill(wellFormed(name));
      await p.locator('#role').selectOption('reporter');
      const typedName = await p.locator('#name').inputValue();
      await p.locator('form.stacked button[type=submit]').click();
      await p.waitForLoadState('load');
      const notice = (await p.locator('p.notice').allTextContents()).join(' ');
      if (!report.check(/One-time password/.test(notice), `xss: staff account ${i + 1} created (${notice || (await p.locator('.error-summary').textContent().catch(() => p.url()))})`)) return;
      await inspect(report, p, `staff list after naming account ${i + 1}`);
      const listed = await p.locator('tbody td:nth-child(2)').allTextContents();
      report.check(listed.includes(cleanLine(typedName)), `xss: staff name ${i + 1} listed as typed: ${JSON.stringify(cleanLine(typedName))}`);
      created[i] = { email, name: typedName, password: (await p.locator('p.notice code').textContent()).trim() };
    });
    const first = created.find(Boolean);
    // The first of them signs in: every newsroom page greets them by name, and the
    // story they write carries it into its revision history.
    if (first?.email && first.password) {
      const staffContext = await newContext(browser, { bypassCSP: true });
      const staff = await staffContext.newPage();
      await signIn(staff, base, first);
      await inspect(report, staff, 'newsroom list greeting a corpus-named reporter');
      const greeting = await staff.locator('p.signed-in').textContent();
      report.check(collapse(greeting).includes(collapse(cleanLine(first.name))), `xss: greeting shows the name as typed: ${JSON.stringify(greeting)}`);
      await staff.goto(`${base}/newsroom/stories/new`);
      await staff.locator('#headline').fill(`Draft by a corpus-named reporter ${MARKER}`);
      await staff.locator('#summary').fill('A draft whose author has a hostile name.');
      await staff.locator('#section').selectOption({ index: 1 });
      await staff.locator('#body').fill(`Draft ${MARKER}.`);
      const problems = await press(staff, 'save');
      report.check(problems === '', `xss: the corpus-named reporter saved a draft (${problems})`);
      await inspect(report, staff, 'editor of a draft by a corpus-named reporter');
      const draft = storyId(staff);
      await visitClean(report, staff, `${base}/newsroom/stories/${draft}/history`, 'history naming a corpus-named reporter');
      await visitClean(report, admin, `${base}/newsroom/stories/${draft}/history`, "the administrator's view of that history");
      await visitClean(report, admin, `${base}/newsroom`, 'story list with a corpus-named author');
      await staffContext.close();
    } else {
      report.check(false, 'xss: no corpus-named account could sign in');
    }

    // Kill reasons: the last corpus stories are taken down with the corpus as the reason.
    const reasons = pack(payloads, LIMITS.kill_reason).chunks;
    const victims = stories.slice(-reasons.length);
    report.note(`xss: ${names.length} staff accounts named with the corpus; ${victims.length} stories killed with it as the reason`);
    await pool(context, WORKERS, victims, async (p, story, i) => {
      await p.goto(`${base}/newsroom/stories/${story.id}`);
      await p.locator('#kill_reason').fill(wellFormed(reasons[i]));
      const form = p.locator('#kill_reason').locator('xpath=ancestor::form');
      await form.locator('input[type=checkbox]').check();
      await form.locator('button[type=submit]').click();
      await p.waitForLoadState('load');
      report.check(/Killed/.test(await p.locator('p.notice').textContent()), `xss: story ${story.id} killed with a corpus reason`);
      await inspect(report, p, `editor of killed story ${story.id}`);
      // Every story's article was loaded in this context (line "pool(context, WORKERS, stories"), maybe within its max-age of 60 s.
      const gone = await gotoFromServer(p, `${base}/news/${story.id}`);
      report.check(gone.status() === 410, `xss: killed story ${story.id} answers 410 (${gone.status()})`);
      await inspect(report, p, `public page of killed story ${story.id}`);
    });
    await visitClean(report, admin, `${base}/newsroom/audit`, 'audit log with corpus names and kill reasons');
    const audit = collapse(await admin.locator('main').innerText());
    report.check(
      reasons.every((r) => audit.includes(collapse(cleanLine(wellFormed(r))))),
      'xss: every kill reason shown in the audit log as typed',
    );
    await adminContext.close();
  });

  report.check(context.dialogs.length === 0, `xss: dialogs opened: ${context.dialogs.join(' | ')}`);
  const summary = Object.entries(refused).map(([field, list]) => `${field}: ${list.length}`).join(', ');
  report.note(`xss: refused by validation (field: payloads): ${summary}`);
  for (const { payload, message } of refused.body ?? []) report.note(`xss: body refused ${JSON.stringify(payload)}: ${message}`);
  for (const { payload, message } of refused.link_url ?? []) report.note(`xss: link address refused ${JSON.stringify(payload)}: ${message}`);
  await context.close();
}
