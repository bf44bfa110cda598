import { test, expect, waitForHydration, openMenuOnPhone, Page } from './fixtures';

// Quick order (issue #22's "done when"): the hotel's admin gives Joris a limit of € 100
// per order; Joris pastes lines (JavaScript on) or reads a CSV file (off) with one bad
// line, sees that line named with why and his text kept, fixes it and sends it; it waits
// for approval and the admin approves it. Each mode clears the limit again.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL',
    t: {
      emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', login: 'Inloggen', logout: 'Uitloggen',
      change: 'Wijzig Joris Visser', perOrder: 'Limiet per bestelling (€)', save: 'Opslaan', saved: 'Het lid is bijgewerkt.',
      quickLink: 'Snel bestellen en bestellijsten', lines: 'Artikelnummers en aantallen', send: 'Bestelaanvraag versturen',
      file: 'Of lees een CSV-bestand in', read: 'Bestand inlezen', fileRead: 'Het bestand is ingelezen. Kijk de regels na en verstuur ze.',
      badLine: 'Regel 2 (LIN-ONBEKEND 3): dit artikelnummer kennen we niet.',
      waiting: /Bestelaanvraag nr\. \d+ is hoger dan je limiet en wacht op goedkeuring/,
      approvalsLink: 'Nabestellingen die op goedkeuring wachten', item: 'Joris Visser voor Hotel De Zeeuwse Stromen B.V.',
      approve: 'Goedkeuren', approved: 'Goedgekeurd: de aanvraag is doorgestuurd naar onze verkoopafdeling.',
      requests: 'Bestelaanvragen van je bedrijf', approvedBy: /Goedgekeurd door Marieke Bakker op/,
    },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB',
    t: {
      emailLabel: 'E-mail address', passwordLabel: 'Password', login: 'Log in', logout: 'Log out',
      change: 'Change Joris Visser', perOrder: 'Limit per order (€)', save: 'Save', saved: 'The member has been updated.',
      quickLink: 'Quick order and order lists', lines: 'Product codes and quantities', send: 'Send order request',
      file: 'Or read a CSV file', read: 'Read file', fileRead: 'The file has been read. Check the lines and send them.',
      badLine: 'Line 2 (LIN-ONBEKEND 3): we do not know this product code.',
      waiting: /Order request no\. \d+ is above your limit and waits for approval/,
      approvalsLink: 'Reorders waiting for approval', item: 'Joris Visser for Hotel De Zeeuwse Stromen B.V.',
      approve: 'Approve', approved: 'Approved: the request has gone to our sales team.',
      requests: "Your company's order requests", approvedBy: /Approved by Marieke Bakker on/,
    },
  },
];

type T = (typeof MODES)[number]['t'];

async function logIn(page: Page, next: string, email: string, password: string, t: T, js: boolean) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (js) await waitForHydration(page);
  await page.getByLabel(t.emailLabel).fill(email);
  await page.getByLabel(t.passwordLabel, { exact: true }).fill(password);
  await page.getByRole('button', { name: t.login }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

async function logOut(page: Page, t: T) {
  await openMenuOnPhone(page);
  await page.getByRole('banner').getByRole('button', { name: t.logout }).click();
  await expect(page).toHaveURL(/\/$/);
}

async function setJorisLimit(page: Page, t: T, js: boolean, limit: string) {
  await page.goto('/account/company');
  await page.getByRole('link', { name: t.change }).click();
  if (js) await waitForHydration(page);
  await page.getByLabel(t.perOrder).fill(limit);
  await page.getByRole('button', { name: t.save }).click();
  await expect(page.getByText(t.saved)).toBeVisible();
}

const BAD = 'LIN-HOTEL-LAKEN-160 2\nLIN-ONBEKEND 3\n';
const FIXED = 'LIN-HOTEL-LAKEN-160 2\nLIN-HOTEL-SLOOP 30\n';

for (const m of MODES) {
  const t = m.t;
  test.describe(`quick order, JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('a quick order with a bad line is fixed, sent, waits and is approved', async ({ page }) => {
      test.setTimeout(90_000);
      const js = m.javaScriptEnabled;
      await logIn(page, '/account/company', 'inkoop@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk', t, js);
      await setJorisLimit(page, t, js, '100');
      await logOut(page, t);

      await logIn(page, '/account/company', 'huishouding@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk-2', t, js);
      await page.getByRole('link', { name: t.quickLink }).click();
      if (js) {
        await waitForHydration(page);
        await page.getByLabel(t.lines).fill(BAD);
        await page.getByRole('button', { name: t.send }).click();
      } else {
        // A spreadsheet's CSV: byte-order mark, header, semicolons, quotes.
        const csv = '\ufeffsku;aantal\r\n"LIN-HOTEL-LAKEN-160";2\r\n"LIN-ONBEKEND";3\r\n';
        await page.getByLabel(t.file).setInputFiles({ name: 'linnen.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await page.getByRole('button', { name: t.read }).click();
        await expect(page.getByText(t.fileRead)).toBeVisible();
        await expect(page.getByLabel(t.lines)).toHaveValue(/"LIN-ONBEKEND";3/);
      }
      const bad = js ? t.badLine : t.badLine.replace('2 (LIN-ONBEKEND 3)', '3 ("LIN-ONBEKEND";3)');
      await expect(page.getByRole('alert').filter({ hasText: bad })).toBeVisible();
      if (js) await expect(page.getByLabel(t.lines)).toHaveValue(BAD);
      // Nothing cut off at 360 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      await page.getByLabel(t.lines).fill(FIXED);
      await page.getByRole('button', { name: t.send }).click();
      await expect(page.getByText(t.waiting)).toBeVisible();
      await logOut(page, t);

      await logIn(page, '/account/company', 'inkoop@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk', t, js);
      await page.getByRole('link', { name: t.approvalsLink }).click();
      const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: t.item }) });
      await expect(item).toHaveCount(1);
      if (js) await waitForHydration(page);
      await item.getByRole('button', { name: t.approve }).click();
      await expect(page.getByText(t.approved)).toBeVisible();
      await setJorisLimit(page, t, js, '');
      await page.goto('/account/company/quick-order');
      const requests = page.getByRole('region', { name: t.requests });
      await expect(requests.getByText(t.approvedBy).first()).toBeVisible();
      await logOut(page, t);
    });
  });
}
