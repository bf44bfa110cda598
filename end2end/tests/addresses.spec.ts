import { test, expect, waitForHydration } from './fixtures';
import type { Page } from '@playwright/test';

async function logInAsAnna(page: Page, next: string, javaScriptEnabled: boolean, en = false) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (javaScriptEnabled) await waitForHydration(page);
  await page.getByLabel(en ? 'E-mail address' : 'E-mailadres').fill('anna@example.nl');
  await page.getByLabel(en ? 'Password' : 'Wachtwoord').fill('slaapwel-demo-klant');
  await page.getByRole('button', { name: en ? 'Log in' : 'Inloggen' }).click();
}

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
  const street = `Proefstraat ${javaScriptEnabled ? 'met' : 'zonder'} JS`;

  test.describe(`address book, ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('add an address (after fixing the postcode), change it, delete it', async ({ page }) => {
      await logInAsAnna(page, '/account/addresses', javaScriptEnabled);
      await expect(page.getByRole('heading', { level: 1, name: 'Mijn adressen' })).toBeVisible();
      await page.getByRole('link', { name: 'Adres toevoegen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Nieuw adres' })).toBeVisible();
      if (javaScriptEnabled) await waitForHydration(page);

      await page.getByLabel('Naam (voor op het pakket)').fill('Anna de Vries');
      await page.getByLabel('Postcode').fill('0123ab');
      await page.getByLabel('Huisnummer').fill('8');
      await page.getByLabel('Straat').fill(street);
      await page.getByLabel('Plaats').fill('Utrecht');
      await page.getByRole('button', { name: 'Adres opslaan' }).click();
      await expect(page.getByText('Deze postcode klopt niet voor het gekozen land', { exact: false })).toBeVisible();
      await expect(page.getByLabel('Postcode')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByLabel('Straat')).toHaveValue(street);

      await page.getByLabel('Postcode').fill('3512ab');
      await page.getByRole('button', { name: 'Adres opslaan' }).click();
      await expect(page.getByText('Het adres is opgeslagen.')).toBeVisible();
      const card = page.getByRole('listitem').filter({ hasText: street });
      await expect(card.getByText('3512 AB Utrecht')).toBeVisible();

      await page.getByRole('link', { name: `Adres ${street} 8 wijzigen` }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Adres wijzigen' })).toBeVisible();
      await expect(page.getByLabel('Straat')).toHaveValue(street);
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('Postcode').fill('3701 aa');
      await page.getByLabel('Plaats').fill('Zeist');
      await page.getByRole('button', { name: 'Adres opslaan' }).click();
      await expect(page.getByText('Het adres is opgeslagen.')).toBeVisible();
      await expect(page.getByRole('listitem').filter({ hasText: street }).getByText('3701 AA Zeist')).toBeVisible();

      await page.getByRole('button', { name: `Adres ${street} 8 verwijderen` }).click();
      await expect(page.getByText('Het adres is verwijderd.')).toBeVisible();
      await expect(page.getByRole('listitem').filter({ hasText: street })).toHaveCount(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });
  });
}

test.describe('address book in English', () => {
  test.use({ locale: 'en-GB' });

  test('labels and the house-number rule in English', async ({ page }) => {
    await logInAsAnna(page, '/account/addresses/new', true, true);
    await expect(page.getByRole('heading', { level: 1, name: 'New address' })).toBeVisible();
    await waitForHydration(page);
    await page.getByLabel('Name (on the parcel)').fill('Anna de Vries');
    await page.getByLabel('Postcode').fill('3512 AB');
    await page.getByLabel('House number').fill('8a');
    await page.getByLabel('Street').fill('Lange Nieuwstraat');
    await page.getByLabel('Town or city').fill('Utrecht');
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect(page.getByText('Enter the house number in digits only', { exact: false })).toBeVisible();
  });
});
