import { test, expect, waitForHydration, Page } from './fixtures';

// The company's orders and invoices: the hotel's admin sees every buyer's orders,
// filters them by buyer, sees the totals per month and opens an invoice as PDF.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL',
    t: {
      emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', login: 'Inloggen',
      link: 'Alle bestellingen en facturen van het bedrijf', buyer: 'Besteld door', apply: 'Toon bestellingen',
      orders: 'Bestellingen', months: 'Per maand', invoices: 'Facturen', invoice: 'Factuur F-ZS-1005 (PDF)',
    },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB',
    t: {
      emailLabel: 'E-mail address', passwordLabel: 'Password', login: 'Log in',
      link: "All of the company's orders and invoices", buyer: 'Ordered by', apply: 'Show orders',
      orders: 'Orders', months: 'Per month', invoices: 'Invoices', invoice: 'Invoice F-ZS-1005 (PDF)',
    },
  },
];

type T = (typeof MODES)[number]['t'];

async function logIn(page: Page, next: string, t: T, js: boolean) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (js) await waitForHydration(page);
  await page.getByLabel(t.emailLabel).fill('inkoop@zeeuwsestromen.nl');
  await page.getByLabel(t.passwordLabel, { exact: true }).fill('slaapwel-demo-zakelijk');
  await page.getByRole('button', { name: t.login }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

for (const m of MODES) {
  const t = m.t;
  test.describe(`company orders, JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('the admin filters the company orders by buyer and opens an invoice', async ({ page }) => {
      const js = m.javaScriptEnabled;
      await logIn(page, '/account/company', t, js);
      await page.getByRole('link', { name: t.link }).click();
      await expect(page.getByRole('heading', { name: t.orders, level: 2 })).toBeVisible();
      const rows = page.getByRole('region', { name: t.orders }).getByRole('row');
      await expect(rows.filter({ hasText: 'Marieke Bakker' }).first()).toBeVisible();
      await expect(rows.filter({ hasText: 'Joris Visser' }).first()).toBeVisible();
      await expect(page.getByRole('region', { name: t.months })).toBeVisible();

      if (js) await waitForHydration(page);
      await page.getByLabel(t.buyer).selectOption({ label: 'Joris Visser' });
      await page.getByRole('button', { name: t.apply }).click();
      await expect(page).toHaveURL(/buyer=\d+/);
      await expect(rows.filter({ hasText: 'Marieke Bakker' })).toHaveCount(0);
      await expect(rows.filter({ hasText: 'Joris Visser' }).first()).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      const link = page.getByRole('region', { name: t.invoices }).getByRole('link', { name: t.invoice });
      const href = await link.getAttribute('href');
      const answer = await page.request.get(href!);
      expect(answer.status()).toBe(200);
      expect(answer.headers()['content-type']).toBe('application/pdf');
      expect((await answer.body()).subarray(0, 5).toString()).toBe('%PDF-');
    });
  });
}
