// The editions in a real browser (issue 19): English at /, Arabic at /arabic
// (right to left), Russian at /russian. For each, the front and the first story
// it links to: <html lang> and dir, axe at WCAG 2.1 AA, the Nu Html Checker
// (through report.documents), screenshots and no sideways scrolling at 320 and
// 1280 px. The Arabic pages must be the English layout mirrored, not merely
// right-aligned text: masthead, navigation, story lists, the related-links box,
// quotes and the skip link all start on the right.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkAxe, newContext, visitClean } from '../lib/harness.mjs';
import { linkFromOutbox } from './readers.mjs';

const EDITIONS = [
  { key: 'english', home: '/', articles: '/news/', lang: 'en-GB', dir: 'ltr' },
  { key: 'arabic', home: '/arabic', articles: '/arabic/news/', lang: 'ar', dir: 'rtl' },
  { key: 'russian', home: '/russian', articles: '/russian/news/', lang: 'ru', dir: 'ltr' },
];

/** The narrowest phone the site supports and the desktop width at which the article has two columns. */
const WIDTHS = [320, 1280];
const WIDE = 1280;

/** Sub-pixel rounding in layout: edges this close count as touching. */
const SLACK = 1;

export async function editions(ctx) {
  const { browser, base, report, artifacts } = ctx;
  const context = await newContext(browser);
  const page = await context.newPage();
  await mkdir(artifacts, { recursive: true });

  for (const edition of EDITIONS) {
    const name = `${edition.key} edition`;
    let articleUrl;

    await report.section(`${name}: front`, async () => {
      const frontUrl = `${base}${edition.home}`;
      const response = await visitClean(report, page, frontUrl, `${name} front`);
      report.check(response.status() === 200, `${name} front: answers 200 (${response.status()})`);
      await languageAndDirection(report, page, edition, `${name} front`);
      report.check((await page.locator('main .story-list li, main .top-story').count()) >= 2, `${name} front: stories listed`);
      await checkAxe(report, page, `${name} front`);
      await storyListOrder(report, page, edition, `${name} front`);

      const first = page.locator('main :is(.top-story h2, .story-list h3) a').first();
      const href = await first.getAttribute('href');
      report.check(
        href && new URL(href, frontUrl).pathname.startsWith(edition.articles),
        `${name} front: the first story link stays in the edition (${href}, expected under ${edition.articles})`,
      );
      await first.click();
      await page.waitForLoadState('load');
      articleUrl = page.url();
      await widths(report, page, frontUrl, edition, `${name} front`, artifacts);
    });

    if (!articleUrl) continue;
    await report.section(`${name}: article (${new URL(articleUrl).pathname})`, async () => {
      const response = await visitClean(report, page, articleUrl, `${name} article`);
      report.check(response.status() === 200, `${name} article: answers 200 (${response.status()})`);
      await languageAndDirection(report, page, edition, `${name} article`);
      report.check(await page.locator('h1#headline').isVisible(), `${name} article: headline visible`);
      report.check(await page.locator('aside.related').isVisible(), `${name} article: related-links box visible`);
      await checkAxe(report, page, `${name} article`);
      await readingOrder(report, page, `${name} article`);
      await widths(report, page, articleUrl, edition, `${name} article`, artifacts);
      // The layout checks need the two-column article.
      await page.setViewportSize({ width: WIDE, height: 900 });
      await page.goto(articleUrl, { waitUntil: 'load' });
      await mirroredLayout(report, page, edition, `${name} article at ${WIDE}px`);
      await skipLink(report, page, edition, `${name} article`);
    });
  }

  // Every other page type of the editions in other languages: their language and
  // direction, axe, the Nu checker, and no sideways scrolling on a phone.
  for (const edition of EDITIONS.filter((e) => e.key !== 'english')) {
    const name = `${edition.key} edition`;
    await report.section(`${name}: every page type`, async () => {
      await page.setViewportSize({ width: WIDE, height: 900 });
      await page.goto(`${base}${edition.home}`, { waitUntil: 'load' });
      const sectionHref = await page.locator('.site-nav li:nth-child(2) a').getAttribute('href');
      const articleHref = await page.locator('main :is(.top-story h2, .story-list h3) a').first().getAttribute('href');
      const article = new URL(articleHref, base).pathname;
      await page.goto(`${base}${article}`, { waitUntil: 'load' });
      // A word of the headline, which search must find in the same edition.
      const word = (await page.locator('h1#headline').innerText()).split(/\s+/).find((w) => w.length > 4) ?? '';
      const pages = [
        ['section front', sectionHref, 200],
        ['print view', `${article}/print`, 200],
        ['story history', `${article}/history`, 200],
        ['search results', `${edition.home}/search?q=${encodeURIComponent(word)}`.replace('//', '/'), 200],
        ['search with nothing found', `${edition.home}/search?q=zzqqxxwv`.replace('//', '/'), 200],
        ['editorial policy', `${edition.home}/about/editorial-policy`.replace('//', '/'), 200],
        ['page not found', `${edition.home}/news/no-such-section-at-all`.replace('//', '/'), 404],
      ];
      for (const [kind, path, status] of pages) {
        const label = `${name} ${kind}`;
        await page.setViewportSize({ width: 320, height: 740 });
        const response = await visitClean(report, page, `${base}${path}`, label);
        report.check(response.status() === status, `${label}: answers ${status} (${response.status()}) at ${path}`);
        await onPhone(report, page, edition, label);
      }
      report.check(
        (await page.goto(`${base}${edition.home}/search?q=${encodeURIComponent(word)}`.replace('//', '/')).then(() =>
          page.locator('main a[href^="' + edition.articles + '"]').count())) >= 1,
        `${name}: a word of the article's headline (${word}) finds stories of the edition`,
      );
    });
  }

  await accountPages(ctx, page, EDITIONS.find((e) => e.key === 'arabic'));

  report.check(context.dialogs.length === 0, `editions: dialogs opened: ${context.dialogs.join(' | ')}`);
  await context.close();
}

/**
 * The edition's account pages: its sign-in, and (registering through its form and
 * following the mailed link on the edition's own address) its account settings,
 * each in the edition's language and direction, axe and Nu clean, no sideways
 * scrolling at 320 px.
 */
async function accountPages(ctx, page, edition) {
  const { base, report } = ctx;
  const name = `${edition.key} edition`;
  const account = `${edition.home}/account`;
  await report.section(`${name}: account pages`, async () => {
    await page.setViewportSize({ width: 320, height: 740 });
    await page.goto(`${base}${edition.home}`, { waitUntil: 'load' });
    const signIn = await page.locator('.masthead .sign-in a').getAttribute('href');
    report.check(signIn === `${account}/sign-in`, `${name}: the masthead's sign-in leads to ${account}/sign-in (${signIn})`);
    const response = await visitClean(report, page, `${base}${account}/sign-in`, `${name} sign-in`);
    report.check(response.status() === 200, `${name} sign-in: answers 200 (${response.status()})`);
    await onPhone(report, page, edition, `${name} sign-in`);

    const email = `reader-${edition.key}-${Date.now().toString(36)}@browser.test`;
    await page.goto(`${base}${account}/register`);
    await page.locator('#email').fill(email);
    await page.locator('#display-name').fill('قارئ المتصفح');
    await page.locator('#password').fill("a reader's long password");
    await Promise.all([page.waitForNavigation(), page.locator('form.stacked button[type=submit]').click()]);
    let link = null;
    for (let i = 0; i < 50 && !link && process.env.DATELINE_BIN; i++) {
      link = linkFromOutbox(email);
      if (!link) await page.waitForTimeout(100);
    }
    if (!link) {
      report.note(`${name}: no outbox to read (DATELINE_BIN unset); its account settings are not checked`);
      return;
    }
    // The mail links to the English address; the same link works under the edition's prefix.
    const token = new URL(link).searchParams.get('token');
    await page.goto(`${base}${account}/verify?token=${token}`);
    await Promise.all([page.waitForURL(/\/account\?done=verified/), page.locator('form.stacked button[type=submit]').click()]);
    report.check(new URL(page.url()).pathname === account, `${name}: verifying lands on ${account} (${page.url()})`);
    await visitClean(report, page, `${base}${account}`, `${name} account settings`);
    await onPhone(report, page, edition, `${name} account settings`);
  });
}

/** A page shown at 320 px: its language and direction, no sideways scrolling, axe (and so the Nu checker). */
async function onPhone(report, page, edition, label) {
  await languageAndDirection(report, page, edition, label);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    clientWidth: document.scrollingElement.clientWidth,
  }));
  report.check(scrollWidth <= clientWidth, `${label} at 320px scrolls sideways (${scrollWidth} > ${clientWidth})`);
  await checkAxe(report, page, label);
}

/** <html lang> and dir as the edition says, and the direction the browser actually lays out in. */
async function languageAndDirection(report, page, edition, label) {
  const got = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
    direction: getComputedStyle(document.documentElement).direction,
    main: getComputedStyle(document.querySelector('main') || document.body).direction,
  }));
  report.check(got.lang === edition.lang, `${label}: <html lang="${got.lang}">, expected "${edition.lang}"`);
  report.check(got.dir === edition.dir, `${label}: <html dir="${got.dir}">, expected "${edition.dir}"`);
  report.check(
    got.direction === edition.dir && got.main === edition.dir,
    `${label}: computed direction of the page ${got.direction} and of main ${got.main}, expected ${edition.dir}`,
  );
}

/**
 * Screenshots at each width into `dir` and the page never scrolls sideways, in
 * either direction: a right-to-left page overflows to the left, which the
 * scrolling element's scrollWidth counts as it counts overflow to the right.
 */
async function widths(report, page, url, edition, label, dir) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 800 ? 740 : 900 });
    await page.goto(url, { waitUntil: 'load' });
    const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
      const root = document.scrollingElement;
      const hidden = (el) => el.closest('.skip-link, .visually-hidden, .site-search label');
      return {
        scrollWidth: root.scrollWidth,
        clientWidth: root.clientWidth,
        // Only for the message: what sticks out on either side.
        wide: [...document.querySelectorAll('body *')]
          .filter((el) => !hidden(el))
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > root.clientWidth + 0.5 || r.left < -0.5);
          })
          .slice(0, 5)
          .map((el) => `${el.localName}.${el.className}`),
      };
    });
    report.check(
      scrollWidth <= clientWidth,
      `${label} at ${width}px scrolls sideways: scrollWidth ${scrollWidth} > clientWidth ${clientWidth} (${wide.join(', ')})`,
    );
    const file = `${label.replace(/\W+/g, '-')}-${width}.png`;
    await page.screenshot({ path: join(dir, file), fullPage: true });
  }
  await page.setViewportSize({ width: WIDE, height: 900 });
}

/** The edges of the first element matching each selector, or null. */
async function boxes(page, selectors) {
  return page.evaluate((selectors) => {
    const out = {};
    for (const [key, selector] of Object.entries(selectors)) {
      const el = document.querySelector(selector);
      if (!el) {
        out[key] = null;
        continue;
      }
      const r = el.getBoundingClientRect();
      out[key] = { left: r.left, right: r.right, top: r.top, width: r.width };
    }
    return out;
  }, selectors);
}

/** Two boxes on one line of a flex row or grid, placed as the direction says: the first at the start. */
function inReadingOrder(first, second, dir) {
  return dir === 'rtl' ? first.left >= second.right - SLACK : first.right <= second.left + SLACK;
}

/** At 1280 px the front's story lists run from the start side: right to left in Arabic. */
async function storyListOrder(report, page, edition, label) {
  const items = await page.evaluate(() =>
    [...document.querySelectorAll('main .story-list')].slice(0, 1).flatMap((list) =>
      [...list.children].slice(0, 2).map((li) => {
        const r = li.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top };
      }),
    ),
  );
  if (items.length < 2 || Math.abs(items[0].top - items[1].top) > SLACK) {
    report.note(`${label}: no story list with two stories side by side to check the order of`);
    return;
  }
  report.check(
    inReadingOrder(items[0], items[1], edition.dir),
    `${label}: the first story of a list is at the ${edition.dir === 'rtl' ? 'right' : 'left'} of the second (${JSON.stringify(items)})`,
  );
}

/**
 * The order a screen reader and a CSS-less browser follow is the source order,
 * the same in every direction: headline, body, then the related links.
 */
async function readingOrder(report, page, label) {
  const order = await page.evaluate(() => {
    const parts = ['#headline', '.story-body', 'aside.related'].map((s) => document.querySelector(s));
    if (parts.some((p) => !p)) return 'missing';
    const before = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    return before(parts[0], parts[1]) && before(parts[1], parts[2]) ? 'ok' : 'out of order';
  });
  report.check(order === 'ok', `${label}: headline, story body and related links in source order (${order})`);
}

/**
 * At 1280 px: the masthead, the main navigation, the related-links box, the
 * article's text and its quotes sit where the edition's direction puts them.
 * Left to right: as today, related links on the right. Right to left: the
 * same page in a mirror, related links on the left (the reading end).
 */
async function mirroredLayout(report, page, edition, label) {
  const rtl = edition.dir === 'rtl';
  const b = await boxes(page, {
    masthead: 'header.masthead',
    siteName: 'header.masthead .site-name',
    nav1: 'nav.site-nav li:nth-child(1)',
    nav2: 'nav.site-nav li:nth-child(2)',
    story: 'article.story',
    related: 'aside.related',
    main: 'main',
  });
  if (!report.check(Object.values(b).every(Boolean), `${label}: masthead, navigation, story and related box all present`)) return;

  // The site name is the masthead's first item: at its start edge.
  const nameAtStart = rtl
    ? Math.abs(b.siteName.right - b.masthead.right) <= SLACK && b.siteName.left > b.masthead.left + b.masthead.width / 2
    : Math.abs(b.siteName.left - b.masthead.left) <= SLACK && b.siteName.right < b.masthead.left + b.masthead.width / 2;
  report.check(
    nameAtStart,
    `${label}: the site name is at the masthead's ${rtl ? 'right' : 'left'} edge (name ${b.siteName.left}-${b.siteName.right}, masthead ${b.masthead.left}-${b.masthead.right})`,
  );

  report.check(
    Math.abs(b.nav1.top - b.nav2.top) <= SLACK && inReadingOrder(b.nav1, b.nav2, edition.dir),
    `${label}: the main navigation's first item is ${rtl ? 'right' : 'left'} of its second (${JSON.stringify([b.nav1, b.nav2])})`,
  );

  // Two columns: the story at the start, the related links at the end.
  const relatedAtEnd = rtl ? b.related.right <= b.story.left + SLACK : b.related.left >= b.story.right - SLACK;
  report.check(
    relatedAtEnd,
    `${label}: the related-links box is on the ${rtl ? 'left' : 'right'} of the story (related ${b.related.left}-${b.related.right}, story ${b.story.left}-${b.story.right})`,
  );
  const storyAtStart = rtl ? Math.abs(b.story.right - b.main.right) <= SLACK : Math.abs(b.story.left - b.main.left) <= SLACK;
  report.check(
    storyAtStart,
    `${label}: the story's column is on the ${rtl ? 'right' : 'left'} (story ${b.story.left}-${b.story.right}, main ${b.main.left}-${b.main.right})`,
  );

  // The text itself starts at the start edge: the first line of the headline and of the first paragraph.
  const lines = await page.evaluate(() =>
    ['#headline', '.story-body p'].map((selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const range = document.createRange();
      range.selectNodeContents(el);
      // A line of mixed scripts comes in several runs; the first line is all the runs at the first one's height.
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const first = rects.length
        ? rects
            .filter((r) => Math.abs(r.top - rects[0].top) < rects[0].height / 2)
            .reduce((a, r) => ({ left: Math.min(a.left, r.left), right: Math.max(a.right, r.right) }), { left: Infinity, right: -Infinity })
        : null;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return {
        selector,
        direction: style.direction,
        textAlign: style.textAlign,
        line: first ? { left: first.left, right: first.right } : null,
        box: { left: box.left, right: box.right },
      };
    }),
  );
  for (const text of lines.filter(Boolean)) {
    report.check(text.direction === edition.dir, `${label}: ${text.selector} computed direction ${text.direction}, expected ${edition.dir}`);
    if (!text.line) continue;
    const starts = rtl ? Math.abs(text.line.right - text.box.right) <= SLACK + 1 : Math.abs(text.line.left - text.box.left) <= SLACK + 1;
    report.check(
      starts,
      `${label}: ${text.selector}'s first line starts at the ${rtl ? 'right' : 'left'} (line ${text.line.left}-${text.line.right}, box ${text.box.left}-${text.box.right}, text-align ${text.textAlign})`,
    );
  }

  // A quote's rule is on its start side.
  const quote = await page.evaluate(() => {
    const q = document.querySelector('.story-body blockquote');
    if (!q) return null;
    const s = getComputedStyle(q);
    return { left: s.borderLeftWidth, right: s.borderRightWidth };
  });
  if (quote) {
    const [rule, none] = rtl ? [quote.right, quote.left] : [quote.left, quote.right];
    report.check(
      parseFloat(rule) > 0 && parseFloat(none) === 0,
      `${label}: the quote's rule is on its ${rtl ? 'right' : 'left'} (border left ${quote.left}, right ${quote.right})`,
    );
  } else {
    report.note(`${label}: no quote in this story to check the rule of`);
  }
}

/** The skip link is hidden off the start side and, once focused, shows at the start side of the screen. */
async function skipLink(report, page, edition, label) {
  await page.keyboard.press('Tab');
  const got = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return { skip: el.classList.contains('skip-link'), left: r.left, right: r.right, width: document.scrollingElement.clientWidth };
  });
  if (!report.check(got.skip, `${label}: the first Tab reaches the skip link`)) return;
  const onScreen = got.left >= 0 && got.right <= got.width;
  const atStart = edition.dir === 'rtl' ? got.left > got.width / 2 : got.right < got.width / 2;
  report.check(
    onScreen && atStart,
    `${label}: the focused skip link shows at the ${edition.dir === 'rtl' ? 'right' : 'left'} of the screen (${got.left}-${got.right} of ${got.width})`,
  );
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.activeElement?.id);
  report.check(focused === 'content', `${label}: the skip link moves focus to the main content (${focused})`);
}
