import { test, expect, waitForHydration, openMenuOnPhone } from './fixtures';
import { waitForMail, linkIn } from './mailbox';
import type { Page } from '@playwright/test';

async function registerAndVerify(page: Page, email: string, password: string) {
  await page.goto('/register');
  await page.getByLabel('Naam').fill('Lotte Smit');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kijk in je mailbox' })).toBeVisible();
  const mail = await waitForMail(email, 'Bevestig je e-mailadres');
  await page.goto(linkIn(mail, '/verify-email'));
  await expect(page.getByText('Je e-mailadres is bevestigd.', { exact: false })).toBeVisible();
}

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test.describe(`my details, ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('change phone, e-mail address (confirmed by link) and password', async ({ page }) => {
      const email = `lotte.${javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@example.nl`;
      const newEmail = `nieuw.${email}`;
      await registerAndVerify(page, email, 'groene fiets in de regen');
      await page.goto('/login?next=%2Faccount%2Fdetails');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('E-mailadres').fill(email);
      await page.getByLabel('Wachtwoord').fill('groene fiets in de regen');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Mijn gegevens' })).toBeVisible();
      if (javaScriptEnabled) await waitForHydration(page);

      await page.getByLabel('Telefoonnummer (optioneel)').fill('bel me');
      await page.getByRole('button', { name: 'Gegevens opslaan' }).click();
      await expect(page.getByText('Vul een telefoonnummer in met cijfers', { exact: false })).toBeVisible();
      await expect(page.getByLabel('Telefoonnummer (optioneel)')).toHaveValue('bel me');
      await page.getByLabel('Telefoonnummer (optioneel)').fill('06 1234 5678');
      await page.getByRole('button', { name: 'Gegevens opslaan' }).click();
      await expect(page.getByText('Je gegevens zijn opgeslagen.')).toBeVisible();
      await expect(page.getByLabel('Telefoonnummer (optioneel)')).toHaveValue('06 1234 5678');

      await page.getByLabel('Nieuw e-mailadres').fill(newEmail);
      await page.getByLabel('Je huidige wachtwoord').fill('groene fiets in de regen');
      await page.getByRole('button', { name: 'E-mailadres wijzigen' }).click();
      await expect(page.getByText('We hebben een bevestigingslink naar je nieuwe e-mailadres gestuurd.', { exact: false })).toBeVisible();
      const notice = await waitForMail(email, 'wordt gewijzigd');
      expect(notice).toContain(newEmail);
      const confirm = await waitForMail(newEmail, 'Bevestig je nieuwe e-mailadres');
      await page.goto(linkIn(confirm, '/account/confirm-email'));
      await expect(page.getByText('Je e-mailadres is gewijzigd.', { exact: false })).toBeVisible();

      await page.goto('/account/details');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('Huidig wachtwoord').fill('niet mijn wachtwoord');
      await page.getByLabel('Nieuw wachtwoord').fill('blauwe boot op het meer');
      await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
      await expect(page.getByText('Dit wachtwoord klopt niet.')).toBeVisible();
      await page.getByLabel('Huidig wachtwoord').fill('groene fiets in de regen');
      await page.getByLabel('Nieuw wachtwoord').fill('blauwe boot op het meer');
      await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
      await expect(page.getByText('Je wachtwoord is gewijzigd.', { exact: false })).toBeVisible();

      // Still logged in here; next time with the new address and password.
      await openMenuOnPhone(page);
    await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
      await page.goto('/login');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('E-mailadres').fill(newEmail);
      await page.getByLabel('Wachtwoord').fill('blauwe boot op het meer');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Hallo Lotte Smit' })).toBeVisible();
    });
  });
}
