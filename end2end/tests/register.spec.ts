import { test, expect, waitForHydration } from './fixtures';
import { waitForMail, linkIn } from './mailbox';

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test.describe(`register, verify, log in — ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled });

    test('a new customer makes an account and confirms it from the mail', async ({ page }) => {
      const email = `bram.${javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@example.nl`;
      await page.goto('/login');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('link', { name: 'Account aanmaken' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Account aanmaken' })).toBeVisible();

      // A weak password: the error is next to the field and the rest is kept.
      await page.getByLabel('Naam').fill('Bram Jansen');
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill('welkom12345');
      await page.getByRole('button', { name: 'Account aanmaken' }).click();
      await expect(page.getByText('Dit wachtwoord is te makkelijk te raden.')).toBeVisible();
      await expect(page.getByLabel('Wachtwoord')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByLabel('Naam')).toHaveValue('Bram Jansen');
      await expect(page.getByLabel('E-mailadres')).toHaveValue(email);

      await page.getByLabel('Wachtwoord').fill('groene fiets in de regen');
      await page.getByRole('button', { name: 'Account aanmaken' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Kijk in je mailbox' })).toBeVisible();

      // Logged in before confirming: a banner asks to confirm.
      await page.goto('/login');
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill('groene fiets in de regen');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await expect(page.getByRole('banner').getByText('Bram Jansen')).toBeVisible();
      await expect(page.getByText('Bevestig je e-mailadres via de link')).toBeVisible();

      const mail = await waitForMail(email, 'Bevestig je e-mailadres');
      expect(mail).toContain('Content-Type: text/plain');
      expect(mail).toContain('Content-Type: text/html');
      await page.goto(linkIn(mail, '/verify-email'));
      await expect(page.getByText('Je e-mailadres is bevestigd. Welkom!')).toBeVisible();
      await page.goto('/');
      await expect(page.getByText('Bevestig je e-mailadres via de link')).toHaveCount(0);

      // The link works once.
      await page.goto(linkIn(mail, '/verify-email'));
      await expect(page.getByText('Deze link is al gebruikt.')).toBeVisible();

      await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
      await expect(page.getByRole('banner').getByRole('link', { name: 'Inloggen' })).toBeVisible();
    });
  });
}

test.describe('registration in English', () => {
  test.use({ locale: 'en-GB' });

  test('an unknown-looking e-mail address is explained', async ({ page }) => {
    await page.goto('/register');
    await waitForHydration(page);
    await page.getByLabel('Name').fill('Bram');
    await page.getByLabel('E-mail address').fill('bram-at-example');
    await page.getByLabel('Password').fill('groene fiets in de regen');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('This is not a valid e-mail address')).toBeVisible();
  });
});

test.describe('trying the demo without a mail server', () => {
  test.use({ locale: 'nl-NL' });

  test('the verification mail can be opened at /dev/mail and its link clicked', async ({ page }) => {
    const email = `demo.${Date.now()}@example.nl`;
    await page.goto('/register');
    await page.getByLabel('Naam').fill('Dirk Demo');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('zachte kussens voor iedereen');
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Kijk in je mailbox' })).toBeVisible();
    await waitForMail(email, 'Bevestig je e-mailadres');

    await page.goto('/dev/mail');
    await page.getByRole('listitem').filter({ hasText: email }).getByRole('link', { name: 'Bevestig je e-mailadres voor Mijn Slaapwereld' }).click();
    await page.getByRole('link', { name: /verify-email\?token=/ }).click();
    await expect(page.getByText('Je e-mailadres is bevestigd. Welkom!')).toBeVisible();
  });
});
