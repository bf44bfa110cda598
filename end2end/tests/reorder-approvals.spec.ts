import { test, expect, waitForHydration, openMenuOnPhone, Page } from './fixtures';

// Approvals: the hotel's admin gives Joris a limit of € 100 per order; his reorder above
// it waits; the admin tries to reject it without a reason, then approves it; Joris sees
// who approved it. Each mode clears the limit again (other tests reorder as Joris).
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL', order: 'B2B-ZS-1005',
    t: {
      emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', login: 'Inloggen', logout: 'Uitloggen',
      change: 'Wijzig Joris Visser', perOrder: 'Limiet per bestelling (€)', save: 'Opslaan', saved: 'Het lid is bijgewerkt.',
      buyAgain: 'Opnieuw bestellen', submit: 'Aanvraag versturen', awaiting: 'Wacht op goedkeuring',
      approvalsLink: 'Nabestellingen die op goedkeuring wachten', item: 'Joris Visser voor Hotel De Zeeuwse Stromen B.V.',
      reject: 'Afkeuren', checkFields: 'Controleer de gemarkeerde velden.', approve: 'Goedkeuren',
      approved: 'Goedgekeurd: de aanvraag is doorgestuurd naar onze verkoopafdeling.', none: 'Er wacht niets op je goedkeuring.',
      approvedBy: /Goedgekeurd door Marieke Bakker op/,
    },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', order: 'B2B-ZS-1006',
    t: {
      emailLabel: 'E-mail address', passwordLabel: 'Password', login: 'Log in', logout: 'Log out',
      change: 'Change Joris Visser', perOrder: 'Limit per order (€)', save: 'Save', saved: 'The member has been updated.',
      buyAgain: 'Buy again', submit: 'Send reorder request', awaiting: 'Waiting for approval',
      approvalsLink: 'Reorders waiting for approval', item: 'Joris Visser for Hotel De Zeeuwse Stromen B.V.',
      reject: 'Reject', checkFields: 'Please check the marked fields.', approve: 'Approve',
      approved: 'Approved: the request has gone to our sales team.', none: 'Nothing is waiting for your approval.',
      approvedBy: /Approved by Marieke Bakker on/,
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

for (const m of MODES) {
  const t = m.t;
  test.describe(`approvals, JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('a reorder over the buyer limit waits, and the approver approves it', async ({ page }) => {
      test.setTimeout(90_000);
      const js = m.javaScriptEnabled;
      await logIn(page, '/account/company', 'inkoop@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk', t, js);
      await setJorisLimit(page, t, js, '100');
      await logOut(page, t);

      await logIn(page, `/account/orders/${m.order}`, 'huishouding@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk-2', t, js);
      await page.getByRole('link', { name: t.buyAgain }).click();
      if (js) await waitForHydration(page);
      await page.getByRole('button', { name: t.submit }).click();
      await expect(page.getByRole('region', { name: t.awaiting })).toBeVisible();
      await logOut(page, t);

      await logIn(page, '/account/company', 'inkoop@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk', t, js);
      await page.getByRole('link', { name: t.approvalsLink }).click();
      const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: t.item }) });
      await expect(item).toBeVisible();
      if (js) await waitForHydration(page);
      await item.getByRole('button', { name: t.reject }).click();
      await expect(page.getByText(t.checkFields).first()).toBeVisible();
      await page.getByRole('button', { name: t.approve }).click();
      await expect(page.getByText(t.approved)).toBeVisible();
      await expect(page.getByText(t.none)).toBeVisible();
      await setJorisLimit(page, t, js, '');
      await logOut(page, t);

      await logIn(page, `/account/orders/${m.order}`, 'huishouding@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk-2', t, js);
      await expect(page.getByText(t.approvedBy)).toBeVisible();
    });
  });
}
