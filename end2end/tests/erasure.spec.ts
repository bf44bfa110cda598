import { test, expect, waitForHydration } from './fixtures';
import { waitForMail, linkIn } from './mailbox';

// "Delete my account" as a customer tries it: the preview (what goes, what is kept and
// why), asking, the mailed link, confirming (the cooling-off period starts), and
// changing their mind. Each mode uses its own demo customer and ends with the account kept.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL', email: 'anna@example.nl', password: 'slaapwel-demo-klant',
    t: { login: 'Inloggen', emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', privacy: 'Privacy en toestemming',
         see: 'Bekijk wat verwijderen inhoudt', title: 'Mijn account verwijderen', kept: 'Wat we moeten bewaren, waarom en tot wanneer',
         law: 'art. 52 Algemene wet inzake rijksbelastingen', request: 'Verwijder mijn account', sent: 'We hebben je een e-mail gestuurd',
         subject: 'Bevestig het verwijderen van je account', confirm: 'Ja, verwijder mijn account', coolingOff: 'Je account wordt verwijderd vanaf',
         cancel: 'Annuleren: mijn account houden', cancelled: 'Geannuleerd: je account blijft bestaan.', waits: 'Het verwijderen wacht tot deze klaar zijn:' },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', email: 'inkoop@zeeuwsestromen.nl', password: 'slaapwel-demo-zakelijk',
    t: { login: 'Log in', emailLabel: 'E-mail address', passwordLabel: 'Password', privacy: 'Privacy and consent',
         see: 'See what deleting means', title: 'Delete my account', kept: 'What we must keep, why and until when',
         law: 'art. 52 General Tax Act', request: 'Delete my account', sent: 'We have sent you an e-mail',
         subject: 'Confirm deleting your account', confirm: 'Yes, delete my account', coolingOff: 'Your account will be deleted from',
         cancel: 'Cancel: keep my account', cancelled: 'Cancelled: your account stays.', waits: null },
  },
];

for (const m of MODES) {
  const mode = `JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`;

  test.describe(`delete my account, ${mode}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('see what deleting means, ask, confirm from the mail, then cancel', async ({ page }) => {
      await page.goto('/login?next=%2Faccount');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.emailLabel).fill(m.email);
      await page.getByLabel(m.t.passwordLabel, { exact: true }).fill(m.password);
      await page.getByRole('button', { name: m.t.login }).click();
      await page.getByRole('link', { name: m.t.privacy }).click();
      await page.getByRole('link', { name: m.t.see }).click();

      // The preview: what is kept, on which legal ground; what holds it back.
      await expect(page.getByRole('heading', { level: 1, name: m.t.title })).toBeVisible();
      await expect(page.getByRole('region', { name: m.t.kept })).toContainText(m.t.law);
      if (m.t.waits) await expect(page.getByText(m.t.waits)).toBeVisible();

      await page.getByRole('button', { name: m.t.request, exact: true }).click();
      await expect(page.getByRole('status')).toContainText(m.t.sent);

      const mail = await waitForMail(m.email, m.t.subject);
      await page.goto(linkIn(mail, '/account/privacy/erasure/confirm'));
      await page.getByRole('button', { name: m.t.confirm }).click();
      await expect(page.getByText(m.t.coolingOff)).toBeVisible();

      await page.getByRole('button', { name: m.t.cancel }).click();
      await expect(page.getByRole('status')).toHaveText(m.t.cancelled);
      await expect(page.getByRole('button', { name: m.t.request, exact: true })).toBeVisible();

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });
  });
}
