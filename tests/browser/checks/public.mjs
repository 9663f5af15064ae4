// The public site in a real browser: the front page, a section front, an
// article with every part of the reference page's anatomy, the print view,
// search; axe at WCAG 2.1 AA on each; screenshots and no sideways scrolling.

import { checkAxe, newContext, screenshots, visitClean } from '../lib/harness.mjs';

/** The demo story with every element: picture, crossheads, quote, links, related. */
const DEMO_ARTICLE = '/news/2';
/** The demo's running live page: 30-odd posts, key points, a picture. */
const DEMO_LIVE = '/news/25';

export async function publicSite(ctx) {
  const { browser, base, report, artifacts } = ctx;
  const context = await newContext(browser);
  const page = await context.newPage();

  await report.section('front page', async () => {
    await visitClean(report, page, `${base}/`, 'front page');
    report.check(await page.locator('.top-story h2 a').isVisible(), 'front page: top story headline visible');
    const groups = await page.locator('section.front-group').count();
    report.check(groups >= 3, `front page: section groups (${groups})`);
    report.check((await page.locator('.story-list li').count()) >= 6, 'front page: story lists filled');
    await checkAxe(report, page, 'front page');
  });

  await report.section('section front', async () => {
    await page.goto(`${base}/`);
    await page.locator('nav.regional-nav a', { hasText: 'Europe' }).first().click();
    report.check(new URL(page.url()).pathname === '/news/europe', `section front: nav leads to /news/europe (${page.url()})`);
    await visitClean(report, page, page.url(), 'section front');
    report.check((await page.locator('h1').textContent()).trim() === 'Europe', 'section front: h1 Europe');
    report.check(
      (await page.locator('nav.regional-nav a[aria-current="page"]').textContent()).trim() === 'Europe',
      'section front: current section marked in the navigation',
    );
    report.check((await page.locator('.story-list li, .top-story').count()) >= 2, 'section front: stories listed');
    await checkAxe(report, page, 'section front');
  });

  let articleUrl;
  await report.section('article anatomy', async () => {
    await page.goto(`${base}${DEMO_ARTICLE}`);
    articleUrl = page.url();
    report.check(/\/news\/europe\/[a-z0-9-]+-2$/.test(new URL(articleUrl).pathname), `article: short address redirects to canonical (${articleUrl})`);
    await visitClean(report, page, articleUrl, 'article');
    const visible = async (selector, what) => {
      const ok = await page.locator(selector).first().isVisible();
      report.check(ok, `article: ${what} (${selector}) visible`);
      return ok;
    };
    await visible('p.updated', 'last-updated line');
    report.check(
      /^Page last updated at \d\d:\d\d [A-Z]{2,5}, [A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}$/.test(
        (await page.locator('p.updated').textContent()).trim(),
      ),
      `article: "Page last updated at …" format: ${await page.locator('p.updated').textContent()}`,
    );
    await visible('h1#headline', 'headline');
    await visible('figure.lead-image img', 'lead image');
    const alt = await page.locator('figure.lead-image img').getAttribute('alt');
    report.check(alt && alt.length > 10, `article: lead image alt text (${alt})`);
    const loaded = await page.locator('figure.lead-image img').evaluate((img) => img.complete && img.naturalWidth > 0);
    report.check(loaded, 'article: lead image actually loads');
    await visible('figure.lead-image figcaption', 'caption');
    await visible('p.intro', 'intro');
    report.check((await page.locator('.story-body h2.crosshead').count()) >= 2, 'article: crossheads');
    await visible('.story-body h2.crosshead', 'crosshead');
    await visible('.story-body blockquote', 'quote');
    await visible('a.print', 'print link');
    await visible('aside.related', 'related links');
    report.check((await page.locator('aside.related a').count()) >= 2, 'article: related links present');
    report.check(
      /is not responsible for the content of external internet sites/.test(await page.locator('aside.related .disclaimer').textContent()),
      'article: external-sites disclaimer',
    );
    await visible('aside.related .disclaimer', 'disclaimer');
    await visible('aside.promos a', 'promos');
    await visible('.masthead .sign-in a', 'sign-in link');
    await visible('nav.site-nav', 'site navigation');
    await visible('nav.regional-nav', 'regional navigation');
    const regions = (await page.locator('nav.regional-nav a').allTextContents()).map((s) => s.trim());
    for (const region of ['Americas', 'Africa', 'Europe', 'Middle East', 'South Asia', 'Asia Pacific']) {
      report.check(regions.includes(region), `article: regional nav has ${region} (${regions.join(', ')})`);
    }
    await visible('footer.site-footer .copyright', 'footer');
    report.check(!(await page.locator('.css-notice').isVisible()), 'article: CSS-off notice hidden while CSS is on');
    await checkAxe(report, page, 'article');

    // CSS off: take every stylesheet away; the notice appears and the page still reads in order.
    await page.evaluate(() => document.querySelectorAll('link[rel~="stylesheet"], style').forEach((s) => s.remove()));
    report.check(await page.locator('.css-notice').isVisible(), 'article: CSS-off notice shown with CSS disabled');
    const order = await page.evaluate(() => {
      const at = (sel) => {
        const el = document.querySelector(sel);
        return el ? el.getBoundingClientRect().top + window.scrollY : -1;
      };
      return ['#headline', 'figure.lead-image', 'p.intro', '.story-body blockquote', 'aside.related', 'footer .css-notice'].map(at);
    });
    report.check(
      order.every((y, i) => y >= 0 && (i === 0 || y > order[i - 1])),
      `article: with CSS off the parts read top to bottom (${order.join(', ')})`,
    );
  });

  await report.section('print view', async () => {
    await page.goto(articleUrl);
    await page.locator('a.print').click();
    report.check(page.url() === `${articleUrl}/print`, `print view: link leads to ${articleUrl}/print (${page.url()})`);
    await visitClean(report, page, page.url(), 'print view');
    report.check(await page.locator('h1#headline').isVisible(), 'print view: headline');
    report.check(await page.locator('p.updated').isVisible(), 'print view: last-updated line');
    report.check(await page.locator('figure.lead-image figcaption').isVisible(), 'print view: picture and caption');
    report.check((await page.locator('nav, form').count()) === 0, 'print view: no navigation or forms');
    report.check((await page.locator('.print-source a').getAttribute('href')) === articleUrl, 'print view: names the canonical address');
    await checkAxe(report, page, 'print view');
  });

  await report.section('search', async () => {
    await page.goto(articleUrl);
    await page.locator('#site-search-q').fill('strike');
    await page.locator('#site-search-q').press('Enter');
    await page.waitForURL(/\/search\?q=strike/);
    await visitClean(report, page, page.url(), 'search results');
    const results = await page.locator('ol.search-results > li').count();
    report.check(results >= 1, `search: "strike" finds stories (${results})`);
    report.check(await page.locator('ol.search-results mark').first().isVisible(), 'search: matching words highlighted');
    report.check(
      (await page.locator('ol.search-results h3 a').allTextContents()).some((h) => /Klaipeda/.test(h)),
      'search: the Klaipeda strike story is among the results',
    );
    report.check((await page.locator('#search-q').inputValue()) === 'strike', 'search: query kept in the form');
    await checkAxe(report, page, 'search results');

    const response = await visitClean(report, page, `${base}/search?q=%22unclosed`, 'search with a bad query');
    report.check(response.status() === 400, `search: bad query answers 400 (${response.status()})`);
    report.check(await page.locator('.search-message').isVisible(), 'search: bad query explained');
    await checkAxe(report, page, 'search with a message');
  });

  await report.section('the other page types: history, editorial policy, not found', async () => {
    for (const [label, url, status] of [
      ['story history', `${articleUrl}/history`, 200],
      ['editorial policy', `${base}/about/editorial-policy`, 200],
      ['not found', `${base}/news/no-such-story-here`, 404],
    ]) {
      const response = await visitClean(report, page, url, label);
      report.check(response.status() === status, `${label}: answers ${status} (${response.status()})`);
      await checkAxe(report, page, label);
    }
  });

  let liveUrl;
  await report.section('live page', async () => {
    const response = await visitClean(report, page, `${base}${DEMO_LIVE}`, 'live page');
    liveUrl = page.url();
    report.check(response.status() === 200, `live page: answers 200 (${response.status()})`);
    report.check((await page.locator('#live-posts .live-post').count()) >= 30, 'live page: its posts');
    report.check((await page.locator('#key-points li').count()) >= 3, 'live page: key points');
    report.check(await page.locator('p.live-label').isVisible(), 'live page: LIVE label visible');
    await checkAxe(report, page, 'live page');
    const history = await visitClean(report, page, `${liveUrl}/history`, 'live page history');
    report.check(history.status() === 200, `live page history: answers 200 (${history.status()})`);
    await checkAxe(report, page, 'live page history');
  });

  await report.section('screenshots and 320 px layout', async () => {
    const pages = [
      ['front', `${base}/`],
      ['section', `${base}/news/europe`],
      ['article', articleUrl],
      ['print', `${articleUrl}/print`],
      ['search', `${base}/search?q=strike`],
      ['history', `${articleUrl}/history`],
      ['live', liveUrl || `${base}${DEMO_LIVE}`],
      ['sign-in', `${base}/newsroom/sign-in`],
    ];
    for (const [name, url] of pages) {
      await screenshots(report, page, url, name, artifacts);
    }
  });

  const dialogs = context.dialogs;
  report.check(dialogs.length === 0, `public site: dialogs opened: ${dialogs.join(' | ')}`);
  await context.close();
  return { articleUrl };
}
