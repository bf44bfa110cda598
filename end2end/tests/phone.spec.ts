import { test, expect, passSecondStep } from './fixtures';
import type { Page } from '@playwright/test';

// Every page on a 360 px phone, in Dutch and English, JavaScript on and off: nothing wider
// than the screen, nothing that scrolls sideways (tables become stacked rows), nothing cut
// off, and a header of at most two lines with the navigation behind a menu.
//
// The pages are found the way a visitor finds them: from the start pages of each role,
// every link on the site is followed (once), so a new page is checked without being listed.

const WIDTH = 360;
const HEIGHT = 740;
/** Two lines of header: the brand row and, at most, one more. */
const MAX_HEADER_HEIGHT = 130;

type Visitor = { who: string; email?: string; password?: string; start: string[] };

const VISITORS: Visitor[] = [
  {
    who: 'a visitor',
    start: ['/', '/login', '/register', '/forgot-password', '/stores', '/stores?q=utrecht', '/track',
      '/track?order=WS-240290&postcode=3572+AS', '/no-such-page', '/verify-email?token=x', '/reset-password?token=x',
      '/advies/matras', '/advies/code', '/advies/code/ZZZZ2222', '/account/company/join/no-such-invitation'],
  },
  { who: 'a customer', email: 'anna@example.nl', password: 'slaapwel-demo-klant', start: ['/account'] },
  { who: 'a B2B buyer', email: 'inkoop@zeeuwsestromen.nl', password: 'slaapwel-demo-zakelijk', start: ['/account'] },
  { who: 'store staff', email: 'winkel@slaapwereld.nl', password: 'slaapwel-demo-winkel', start: ['/store/returns', '/store/find'] },
  { who: 'a support agent', email: 'support@slaapwereld.nl', password: 'slaapwel-demo-support', start: ['/service/customers', '/service/customers?q=anna'] },
  { who: 'an admin', email: 'beheer@slaapwereld.nl', password: 'slaapwel-demo-beheer', start: ['/admin/staff', '/admin/tracking', '/admin/returns', '/admin/privacy', '/admin/audit', '/account/two-factor',
    '/admin/advisors', '/admin/advisors/matras?check=1', '/admin/advisors/matras/questions/weight'] },
];

/** Links that are no page of the portal, or that change something when followed. */
function worthVisiting(href: string): boolean {
  const url = new URL(href);
  if (url.origin !== new URL(process.env.E2E_BASE ?? href).origin) return false;
  const path = url.pathname;
  return !(
    path.startsWith('/language/') ||
    path.startsWith('/dev/') ||
    path.startsWith('/api/') ||
    path.endsWith('.pdf') ||
    path.endsWith('.csv') ||
    path.endsWith('.json') ||
    path.startsWith('/pkg/') ||
    path.startsWith('/return-photos/') ||
    path.includes('/photos/') ||
    path.startsWith('/account/privacy/export/') ||
    url.hash !== ''
  );
}

/** What is wrong with the page at phone width, as readable lines. */
async function problemsAtPhoneWidth(page: Page): Promise<string[]> {
  return page.evaluate(({ width, maxHeader }) => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > width) problems.push(`page is ${doc.scrollWidth} px wide`);
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    // Not shown: display none, inside a closed <details>, or clipped away for screen readers
    // only (visually hidden) — and the skip link, which is off screen until focused.
    const hidden = (el: Element) => {
      if (!el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) return true;
      for (let e: Element | null = el; e; e = e.parentElement) {
        if (getComputedStyle(e).clip.startsWith('rect') || e.classList.contains('skip-link')) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (hidden(el)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (rect.right > width + 0.5 || rect.left < -0.5) {
        problems.push(`${describe(el)} reaches ${Math.round(rect.left)}–${Math.round(rect.right)} px`);
        continue;
      }
      const style = getComputedStyle(el);
      const tag = el.tagName.toLowerCase();
      const clips = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
      if (clips && !['input', 'textarea', 'select', 'svg'].includes(tag) && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${describe(el)} scrolls or cuts off sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
      }
    }
    const header = document.querySelector('header.site-header');
    if (header && header.getBoundingClientRect().height > maxHeader) {
      problems.push(`header is ${Math.round(header.getBoundingClientRect().height)} px high`);
    }
    return problems;
  }, { width: WIDTH, maxHeader: MAX_HEADER_HEIGHT });
}

async function logIn(page: Page, email: string, password: string, nl: boolean) {
  await page.goto('/login');
  await page.getByLabel(nl ? 'E-mailadres' : 'E-mail address').fill(email);
  await page.getByLabel(nl ? 'Wachtwoord' : 'Password').fill(password);
  await page.getByRole('button', { name: nl ? 'Inloggen' : 'Log in' }).click();
  await passSecondStep(page);
  await expect(page).not.toHaveURL(/\/login/);
}

for (const javaScriptEnabled of [true, false]) {
  for (const nl of [true, false]) {
    const mode = `${nl ? 'Dutch' : 'English'}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

    test.describe(`every page at 360 px, ${mode}`, () => {
      test.use({ locale: nl ? 'nl-NL' : 'en-GB', javaScriptEnabled, viewport: { width: WIDTH, height: HEIGHT } });
      // Crawling a role's pages takes a while on 2 cores.
      test.setTimeout(180_000);

      for (const visitor of VISITORS) {
        test(`${visitor.who}: nothing wider than the screen, a short header`, async ({ page, baseURL }) => {
          process.env.E2E_BASE = baseURL;
          if (visitor.email && visitor.password) await logIn(page, visitor.email, visitor.password, nl);
          const queue = visitor.start.map((p) => new URL(p, baseURL).toString());
          const seen = new Set(queue);
          const found: string[] = [];
          while (queue.length > 0) {
            const url = queue.shift()!;
            const response = await page.goto(url);
            expect(response, url).not.toBeNull();
            // Logged out or sent elsewhere: check where we are, do not follow further.
            const problems = await problemsAtPhoneWidth(page);
            found.push(...problems.map((p) => `${url.replace(baseURL ?? '', '')}: ${p}`));
            const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
            for (const link of links) {
              const clean = link.split('#')[0];
              if (!seen.has(clean) && worthVisiting(clean)) {
                seen.add(clean);
                queue.push(clean);
              }
            }
          }
          expect(found, `problems at ${WIDTH} px`).toEqual([]);
          // The crawl really went somewhere.
          expect(seen.size).toBeGreaterThan(visitor.start.length);
        });
      }
    });
  }
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`the menu on a phone, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled, viewport: { width: WIDTH, height: HEIGHT } });

    test('the navigation opens from the menu button', async ({ page }) => {
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
      await expect(nav.getByRole('link', { name: 'Winkels' })).toBeHidden();
      await page.getByText('Menu', { exact: true }).click();
      await expect(nav.getByRole('link', { name: 'Winkels' })).toBeVisible();
      await expect(page.getByRole('banner').getByRole('link', { name: 'Switch to English' })).toBeVisible();
      expect(await problemsAtPhoneWidth(page), 'the open menu fits').toEqual([]);
      await nav.getByRole('link', { name: 'Winkels' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Onze winkels' })).toBeVisible();
    });
  });
}

test.describe('the navigation on a wide screen', () => {
  test.use({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });

  test('is always shown, without a menu button', async ({ page }) => {
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main menu' });
    await expect(nav.getByRole('link', { name: 'Stores' })).toBeVisible();
    await expect(page.getByText('Menu', { exact: true })).toBeHidden();
  });
});
