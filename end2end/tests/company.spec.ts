import { test, expect, waitForHydration, openMenuOnPhone, Page } from './fixtures';
import { waitForMail, linkIn } from './mailbox';

// The company manages itself: the hotel's admin sets a buyer's order limit (a mistake
// first) and invites a viewer; the viewer makes an account with the mail's link, joins,
// and sees the company's orders without being able to order, cancel or return. Each mode
// clears the limit again and invites its own address.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL',
    t: {
      emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', login: 'Inloggen', logout: 'Uitloggen',
      companyLink: 'Bedrijfsaccount: Hotel De Zeeuwse Stromen B.V.', invite: 'Iemand uitnodigen', viewer: 'Meekijker',
      mailLanguage: 'Nederlands',
      send: 'Uitnodiging versturen', invited: 'De uitnodiging is verstuurd. De link werkt 14 dagen.',
      change: 'Wijzig Joris Visser', memberTitle: 'Joris Visser wijzigen', perOrder: 'Limiet per bestelling (€)',
      save: 'Opslaan', notAnAmount: 'Vul een bedrag in, bijvoorbeeld 500 of 1250,50 (zonder punt voor de duizendtallen).',
      saved: 'Het lid is bijgewerkt.', limitWords: /€\s?1\.500,00 per bestelling/, noLimit: 'Geen limiet',
      subject: 'Uitnodiging voor Hotel De Zeeuwse Stromen B.V.', invitation: 'Uitnodiging voor Hotel De Zeeuwse Stromen B.V.',
      invitedBy: 'Marieke Bakker nodigt je uit om mee te doen met Hotel De Zeeuwse Stromen B.V. als Meekijker.',
      register: 'Account aanmaken', registerButton: 'Account aanmaken', nameLabel: 'Naam', mailbox: 'Kijk in je mailbox', verifySubject: 'Bevestig je e-mailadres',
      verified: 'Je e-mailadres is bevestigd. Welkom!', join: 'Meedoen met Hotel De Zeeuwse Stromen B.V.',
      joined: 'Welkom! Je hoort nu bij dit bedrijf.', buyAgain: 'Opnieuw bestellen', cancel: 'Bestelling annuleren',
      returnItems: 'Artikelen retourneren',
    },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB',
    t: {
      emailLabel: 'E-mail address', passwordLabel: 'Password', login: 'Log in', logout: 'Log out',
      companyLink: 'Company account: Hotel De Zeeuwse Stromen B.V.', invite: 'Invite someone', viewer: 'Viewer',
      mailLanguage: 'English',
      send: 'Send invitation', invited: 'The invitation has been sent. The link works for 14 days.',
      change: 'Change Joris Visser', memberTitle: 'Change Joris Visser', perOrder: 'Limit per order (€)',
      save: 'Save', notAnAmount: 'Enter an amount, for example 500 or 1250.50 (without thousands separators).',
      saved: 'The member has been updated.', limitWords: /€\s?1,500\.00 per order/, noLimit: 'No limit',
      subject: 'Invitation to Hotel De Zeeuwse Stromen B.V.', invitation: 'Invitation to Hotel De Zeeuwse Stromen B.V.',
      invitedBy: 'Marieke Bakker invites you to join Hotel De Zeeuwse Stromen B.V. as Viewer.',
      register: 'Create an account', registerButton: 'Create account', nameLabel: 'Name', mailbox: 'Check your mailbox', verifySubject: 'Confirm your e-mail address',
      verified: 'Your e-mail address is confirmed. Welcome!', join: 'Join Hotel De Zeeuwse Stromen B.V.',
      joined: 'Welcome! You now belong to this company.', buyAgain: 'Buy again', cancel: 'Cancel order',
      returnItems: 'Return items',
    },
  },
];

async function logIn(page: Page, email: string, password: string, t: (typeof MODES)[number]['t']) {
  await page.getByLabel(t.emailLabel).fill(email);
  await page.getByLabel(t.passwordLabel, { exact: true }).fill(password);
  await page.getByRole('button', { name: t.login }).click();
}

for (const m of MODES) {
  const t = m.t;
  test.describe(`the company account, JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('the admin sets a limit and invites a viewer, who joins and only looks', async ({ page }) => {
      test.setTimeout(90_000);
      const invitee = `receptie.${m.javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@zeeuwsestromen.nl`;
      await page.goto('/login?next=%2Faccount');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await logIn(page, 'inkoop@zeeuwsestromen.nl', 'slaapwel-demo-zakelijk', t);
      await page.getByRole('link', { name: t.companyLink }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Hotel De Zeeuwse Stromen B.V.' })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);

      // A limit typed the Dutch way with a thousands dot is refused next to the field, kept.
      await page.getByRole('link', { name: t.change }).click();
      await expect(page.getByRole('heading', { level: 1, name: t.memberTitle })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);
      const perOrder = page.getByLabel(t.perOrder);
      await perOrder.fill('1.500');
      await page.getByRole('button', { name: t.save }).click();
      await expect(page.getByText(t.notAnAmount)).toBeVisible();
      await expect(perOrder).toHaveValue('1.500');
      await expect(perOrder).toHaveAttribute('aria-invalid', 'true');
      await perOrder.fill('1500');
      await page.getByRole('button', { name: t.save }).click();
      await expect(page.getByText(t.saved)).toBeVisible();
      const joris = page.getByRole('row').filter({ hasText: 'Joris Visser' });
      await expect(joris).toContainText(t.limitWords);

      // Invite a viewer.
      if (m.javaScriptEnabled) await waitForHydration(page);
      const invite = page.getByRole('region', { name: t.invite });
      await invite.getByLabel(t.emailLabel).fill(invitee);
      await invite.getByRole('radio', { name: t.viewer }).check();
      await expect(invite.getByRole('combobox')).toHaveValue(m.locale.startsWith('nl') ? 'nl' : 'en');
      await invite.getByRole('button', { name: t.send }).click();
      await expect(page.getByText(t.invited)).toBeVisible();
      await expect(page.getByRole('region', { name: t.invite }).getByText(invitee)).toBeVisible();

      // The limit cleared again: no limit.
      await page.getByRole('link', { name: t.change }).click();
      await expect(page.getByRole('heading', { level: 1, name: t.memberTitle })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);
      await expect(page.getByLabel(t.perOrder)).toHaveValue('1500');
      await page.getByLabel(t.perOrder).fill('');
      await page.getByRole('button', { name: t.save }).click();
      await expect(page.getByText(t.saved)).toBeVisible();
      await expect(page.getByRole('row').filter({ hasText: 'Joris Visser' })).toContainText(t.noLimit);

      await openMenuOnPhone(page);
      await page.getByRole('banner').getByRole('button', { name: t.logout }).click();
      await expect(page).toHaveURL(/\/$/);
      await openMenuOnPhone(page);
      await expect(page.getByRole('banner').getByRole('link', { name: t.login })).toBeVisible();

      // The invited person: the mail's link, an account with that address, confirmed, joined.
      const mail = await waitForMail(invitee, t.subject);
      const link = linkIn(mail, '/account/company/join/');
      await page.goto(link);
      await expect(page.getByRole('heading', { level: 1, name: t.invitation })).toBeVisible();
      await expect(page.getByText(t.invitedBy)).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('main').getByRole('link', { name: t.register }).click();
      await page.getByLabel(t.nameLabel).fill('Sanne Koster');
      await page.getByLabel(t.emailLabel).fill(invitee);
      await page.getByLabel(t.passwordLabel, { exact: true }).fill('groene fiets in de regen');
      await page.getByRole('button', { name: t.registerButton }).click();
      await expect(page.getByRole('heading', { level: 1, name: t.mailbox })).toBeVisible();
      await page.goto(linkIn(await waitForMail(invitee, t.verifySubject), '/verify-email'));
      await expect(page.getByText(t.verified)).toBeVisible();

      await page.goto(link);
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('main').getByRole('link', { name: t.login }).click();
      await logIn(page, invitee, 'groene fiets in de regen', t);
      await expect(page.getByRole('heading', { level: 1, name: t.invitation })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('button', { name: t.join }).click();
      await expect(page.getByText(t.joined)).toBeVisible();
      await expect(page.getByRole('heading', { level: 1, name: 'Hotel De Zeeuwse Stromen B.V.' })).toBeVisible();
      await expect(page.getByRole('main')).toContainText(`${t.viewer} —`);

      // The viewer sees this month's order, and nothing to order, cancel or return with.
      await page.goto('/account/orders/B2B-ZS-1007');
      await expect(page.getByRole('heading', { level: 1, name: /B2B-ZS-1007/ })).toBeVisible();
      await expect(page.getByRole('link', { name: t.buyAgain })).toHaveCount(0);
      await expect(page.getByRole('link', { name: t.cancel })).toHaveCount(0);
      await expect(page.getByRole('link', { name: t.returnItems })).toHaveCount(0);
    });
  });
}
