import { test, expect, waitForHydration, passSecondStep, totpCode, openMenuOnPhone } from './fixtures';
import { waitForMail, linkIn } from './mailbox';

// Issue #20: the admin invites a staff member from /admin/staff; the new colleague chooses
// a password from the mail, links an authenticator app (two-step login is required for
// staff) and gets to work. JavaScript on (English) and off (Dutch), at phone width.

const MODES = [
  {
    javaScriptEnabled: true,
    locale: 'en-GB',
    t: {
      email: 'E-mail address', password: 'Password', login: 'Log in', staffLink: 'Staff', staffTitle: 'Staff',
      name: 'Name', storeStaff: 'store staff', invite: 'Send invitation', needStore: 'A store employee works in at least one store',
      sent: 'Invitation sent.', invited: 'invited, no password yet', subject: 'Your staff account', newPassword: 'New password',
      savePassword: 'Save password', setupTitle: 'Set up two-step login', qr: 'QR code to link your authenticator app',
      code: 'Code', turnOn: 'Turn on two-step login', codes: 'Your recovery codes', goOn: 'Continue to your work',
      desk: 'Returns desk',
    },
  },
  {
    javaScriptEnabled: false,
    locale: 'nl-NL',
    t: {
      email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen', staffLink: 'Medewerkers', staffTitle: 'Medewerkers',
      name: 'Naam', storeStaff: 'winkelmedewerker', invite: 'Uitnodiging versturen', needStore: 'Een winkelmedewerker werkt in minstens één winkel',
      sent: 'Uitnodiging verstuurd.', invited: 'uitgenodigd, nog geen wachtwoord', subject: 'Je medewerkersaccount', newPassword: 'Nieuw wachtwoord',
      savePassword: 'Wachtwoord opslaan', setupTitle: 'Inloggen in twee stappen instellen', qr: 'QR-code om je authenticator-app te koppelen',
      code: 'Code', turnOn: 'Inloggen in twee stappen aanzetten', codes: 'Je herstelcodes', goOn: 'Verder naar je werk',
      desk: 'Retourbalie',
    },
  },
];

for (const m of MODES) {
  test.describe(`staff accounts, JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('the admin invites a colleague, who sets a password and two-step login and starts', async ({ page, browser }) => {
      const email = `piet.${m.javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@slaapwereld.nl`;
      await page.goto('/login');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.email).fill('beheer@slaapwereld.nl');
      await page.getByLabel(m.t.password, { exact: true }).fill('slaapwel-demo-beheer');
      await page.getByRole('button', { name: m.t.login }).click();
      await passSecondStep(page);
      await openMenuOnPhone(page);
      await page.getByRole('banner').getByRole('link', { name: m.t.staffLink }).click();
      await expect(page.getByRole('heading', { level: 1, name: m.t.staffTitle })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);

      // A store employee without a store: refused next to the stores, the name kept.
      const form = page.getByRole('region', { name: /Invite a staff member|Een medewerker uitnodigen/ });
      await form.getByLabel(m.t.email).fill(email);
      await form.getByLabel(m.t.name, { exact: true }).fill('Piet Balie');
      await form.getByLabel(m.t.storeStaff).check();
      await form.getByRole('button', { name: m.t.invite }).click();
      await expect(page.getByText(m.t.needStore)).toBeVisible();
      const again = page.getByRole('region', { name: /Invite a staff member|Een medewerker uitnodigen/ });
      await expect(again.getByLabel(m.t.name, { exact: true })).toHaveValue('Piet Balie');
      await expect(again.getByLabel(m.t.storeStaff)).toBeChecked();
      await again.getByLabel(/\(AMS\)/).check();
      await again.getByRole('button', { name: m.t.invite }).click();
      await expect(page.getByText(m.t.sent)).toBeVisible();
      const row = page.getByRole('row').filter({ hasText: email });
      await expect(row).toContainText(m.t.invited);
      await expect(row).toContainText('AMS');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow, 'no sideways scrolling').toBe(false);

      // Piet, on his own phone: the mail, a password, his authenticator app.
      const his = await browser.newContext({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });
      const piet = await his.newPage();
      const mail = await waitForMail(email, m.t.subject);
      expect(mail).toContain('Beheerder');
      await piet.goto(linkIn(mail, '/reset-password'));
      if (m.javaScriptEnabled) await waitForHydration(piet);
      await piet.getByLabel(m.t.newPassword).fill('balie in amsterdam 2026');
      await piet.getByRole('button', { name: m.t.savePassword }).click();
      await expect(piet.getByRole('heading', { name: m.t.setupTitle })).toBeVisible();
      await expect(piet.getByRole('img', { name: m.t.qr })).toBeVisible();
      // He cannot scan a screen he is reading on: he types the key into the app instead.
      const key = (await piet.locator('code.secret-key').textContent()) ?? '';
      expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
      if (m.javaScriptEnabled) await waitForHydration(piet);
      await piet.getByLabel(m.t.code, { exact: true }).fill('000000');
      await piet.getByRole('button', { name: m.t.turnOn }).click();
      await expect(piet.getByText(/This code is not right|Deze code klopt niet/)).toBeVisible();
      await piet.getByLabel(m.t.code, { exact: true }).fill(totpCode(key));
      await piet.getByRole('button', { name: m.t.turnOn }).click();
      const codes = piet.getByRole('list', { name: m.t.codes });
      await expect(codes.getByRole('listitem')).toHaveCount(10);
      await piet.getByRole('link', { name: m.t.goOn }).click();
      await piet.goto('/store/returns');
      await expect(piet.getByRole('heading', { level: 1, name: m.t.desk })).toBeVisible();
      // Shown once: a reload has no codes.
      await piet.goto('/account/two-factor');
      await expect(piet.getByRole('list', { name: m.t.codes })).toHaveCount(0);
      await his.close();
    });
  });
}
