import { test, expect, waitForHydration, Page } from './fixtures';

// "Buy again": Anna goes on to the webshop's basket (in the demo the stand-in page
// /dev/basket); the hotel's buyer sends a reorder request to the back office.

async function logIn(page: Page, next: string, email: string, password: string, t: { email: string; password: string; login: string }, js: boolean) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (js) await waitForHydration(page);
  await page.getByLabel(t.email).fill(email);
  await page.getByLabel(t.password).fill(password);
  await page.getByRole('button', { name: t.login }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

const consumers = [
  {
    javaScriptEnabled: true,
    locale: 'nl-NL',
    t: {
      email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen',
      button: 'Opnieuw bestellen', title: 'Opnieuw bestellen uit bestelling WS-240310',
      submit: 'In winkelmandje', tooMany: 'Dat is meer dan we in één keer aannemen (hoogstens 999).',
    },
  },
  {
    javaScriptEnabled: false,
    locale: 'en-GB',
    t: {
      email: 'E-mail address', password: 'Password', login: 'Log in',
      button: 'Buy again', title: 'Buy again from order WS-240310',
      submit: 'Put in basket', tooMany: 'That is more than we can take in one go (at most 999).',
    },
  },
];

for (const j of consumers) {
  test.describe(`buy again as a consumer, JavaScript ${j.javaScriptEnabled ? 'on' : 'off'}, ${j.locale}`, () => {
    test.use({ locale: j.locale, javaScriptEnabled: j.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('choose quantities, fix a mistake, and land in the webshop basket', async ({ page }) => {
      await logIn(page, '/account/orders/WS-240310', 'anna@example.nl', 'slaapwel-demo-klant', j.t, j.javaScriptEnabled);
      await page.getByRole('link', { name: j.t.button }).click();
      await expect(page.getByRole('heading', { level: 1, name: j.t.title })).toBeVisible();
      if (j.javaScriptEnabled) await waitForHydration(page);
      const duvet = page.getByRole('spinbutton', { name: /Zomerdekbed/ });
      const sheets = page.getByRole('spinbutton', { name: /Hoeslaken/ });
      await expect(duvet).toHaveValue('1');
      await expect(sheets).toHaveValue('2');
      await duvet.fill('0');
      await sheets.fill('1000');
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page.getByText(j.t.tooMany)).toBeVisible();
      await expect(sheets).toHaveValue('1000');
      await expect(duvet).toHaveValue('0');

      await sheets.fill('3');
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page).toHaveURL(/\/dev\/basket\?items=LIN-HOESLAKEN-90200:3$/);
      const row = page.getByRole('row').filter({ hasText: 'LIN-HOESLAKEN-90200' });
      await expect(row.getByRole('cell', { name: '3', exact: true })).toBeVisible();
    });
  });
}

const buyers = [
  {
    javaScriptEnabled: false,
    locale: 'nl-NL',
    t: {
      email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen',
      button: 'Opnieuw bestellen', note: /Opmerking voor onze verkoopafdeling/, submit: 'Aanvraag versturen',
      requested: 'Nabestelling aangevraagd', nothing: 'Kies minstens één product (een aantal boven 0).',
      flags: [/Prijs gewijzigd: was € ?13,45, nu € ?14,95/, 'Hotel dekbedovertrek wit 200×220 (professioneel) (LIN-HOTEL-OVERTREK-200) is niet meer te koop; dit is de opvolger.',
        'Nog 12 op voorraad', 'Per 10 stuks'],
      notPack: 'Dit artikel gaat per verpakking: bestel een veelvoud (zie bij het artikel).',
    },
  },
  {
    javaScriptEnabled: true,
    locale: 'en-GB',
    t: {
      email: 'E-mail address', password: 'Password', login: 'Log in',
      button: 'Buy again', note: /Note for our sales team/, submit: 'Send reorder request',
      requested: 'Reorder requested', nothing: 'Choose at least one product (a quantity above 0).',
      flags: [/Price changed: was € ?13\.45, now € ?14\.95/, 'Hotel dekbedovertrek wit 200×220 (professioneel) (LIN-HOTEL-OVERTREK-200) is no longer sold; this is its successor.',
        'Only 12 in stock', 'Sold per 10'],
      notPack: 'This item comes in packs: order a multiple (see the item).',
    },
  },
];

for (const j of buyers) {
  test.describe(`reorder as a B2B buyer, JavaScript ${j.javaScriptEnabled ? 'on' : 'off'}, ${j.locale}`, () => {
    test.use({ locale: j.locale, javaScriptEnabled: j.javaScriptEnabled });

    test('send a reorder request and see it on the order', async ({ page }) => {
      const order = j.javaScriptEnabled ? 'B2B-ZS-1003' : 'B2B-ZS-1004';
      await logIn(page, `/account/orders/${order}`, 'huishouding@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk-2', j.t, j.javaScriptEnabled);
      await page.getByRole('link', { name: j.t.button }).click();
      if (j.javaScriptEnabled) await waitForHydration(page);
      // What changed since then is said under each product.
      for (const flag of j.t.flags) await expect(page.getByText(flag)).toBeVisible();
      const pillowcases = page.getByRole('spinbutton', { name: /kussensloop|pillowcase/i });
      await expect(pillowcases).toHaveValue('60');
      await expect(page.getByRole('spinbutton', { name: /percal/i })).toHaveValue('12');
      for (const box of await page.getByRole('spinbutton').all()) await box.fill('0');
      await page.getByLabel(j.t.note).fill('PO 2026-118');
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page.getByText(j.t.nothing)).toBeVisible();
      await expect(page.getByLabel(j.t.note)).toHaveValue('PO 2026-118');

      await pillowcases.fill('65');
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page.getByText(j.t.notPack)).toBeVisible();
      await expect(pillowcases).toHaveValue('65');
      await page.getByRole('spinbutton', { name: /kussensloop|pillowcase/i }).fill('80');
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page).toHaveURL(new RegExp(`/account/orders/${order}\\?reorder=requested$`));
      const box = page.getByRole('region', { name: j.t.requested });
      await expect(box).toBeVisible();
      await expect(box.getByText(/80 ×/)).toBeVisible();
    });
  });
}
