import { test, expect, waitForHydration } from './fixtures';
import { waitForMail, linkIn } from './mailbox';

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test.describe(`forgotten password — ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled });

    test('ask for a link, choose a new password, log in with it', async ({ page, browser }) => {
      // An account of its own, so the demo password stays as it is for other tests.
      const email = `vergeten.${javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@example.nl`;
      await page.goto('/register');
      await page.getByLabel('Naam').fill('Vera Vergeet');
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill('oude rode paraplu');
      await page.getByRole('button', { name: 'Account aanmaken' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Kijk in je mailbox' })).toBeVisible();

      // A second device where she is logged in.
      const other = await browser.newContext({ locale: 'nl-NL' });
      const otherPage = await other.newPage();
      await otherPage.goto('/login');
      await otherPage.getByLabel('E-mailadres').fill(email);
      await otherPage.getByLabel('Wachtwoord').fill('oude rode paraplu');
      await otherPage.getByRole('button', { name: 'Inloggen' }).click();
      await expect(otherPage.getByRole('banner').getByText('Vera Vergeet')).toBeVisible();

      await page.goto('/login');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByRole('button', { name: 'Stuur de link' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Kijk in je mailbox' })).toBeVisible();

      const mail = await waitForMail(email, 'Nieuw wachtwoord');
      await page.goto(linkIn(mail, '/reset-password'));
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('Nieuw wachtwoord').fill('kort');
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      await expect(page.getByText('Gebruik minstens 10 tekens.')).toBeVisible();
      await page.getByLabel('Nieuw wachtwoord').fill('nieuwe blauwe lamp');
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      await expect(page.getByRole('banner').getByText('Vera Vergeet')).toBeVisible();

      // The other device is logged out; a mail says the password changed.
      await otherPage.reload();
      await expect(otherPage.getByRole('banner').getByText('Vera Vergeet')).toHaveCount(0);
      await other.close();
      await waitForMail(email, 'is gewijzigd');

      // The link works once.
      await page.goto(linkIn(mail, '/reset-password'));
      await expect(page.getByText('Deze link werkt niet (meer)')).toBeVisible();
    });
  });
}
