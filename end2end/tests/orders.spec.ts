import { test, expect, waitForHydration } from './fixtures';
import type { Page } from '@playwright/test';

// The demo customer, loaded by `serve --demo`: webshop, phone and store orders.
const EMAIL = 'anna@example.nl';
const PASSWORD = 'slaapwel-demo-klant';

async function logIn(page: Page, javaScriptEnabled: boolean, labels = { email: 'E-mailadres', password: 'Wachtwoord', button: 'Inloggen' }) {
  if (javaScriptEnabled) await waitForHydration(page);
  await page.getByLabel(labels.email).fill(EMAIL);
  await page.getByLabel(labels.password).fill(PASSWORD);
  await page.getByRole('button', { name: labels.button }).click();
}

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test.describe(`order history, ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled });

    test('filter on store purchases, search, and open one', async ({ page }) => {
      // Not logged in yet: the login page first, then straight back to the orders.
      await page.goto('/account/orders');
      await expect(page).toHaveURL(/\/login\?next=%2Faccount%2Forders$/);
      await logIn(page, javaScriptEnabled);
      await expect(page).toHaveURL(/\/account\/orders$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Mijn bestellingen' })).toBeVisible();
      await expect(page.getByRole('status')).toHaveText('13 bestellingen');
      if (javaScriptEnabled) await waitForHydration(page);

      await page.getByLabel('Waar gekocht').selectOption({ label: 'Winkel' });
      await page.getByRole('button', { name: 'Toon bestellingen' }).click();
      await expect(page).toHaveURL(/\/account\/orders\?channel=store/);
      await expect(page.getByRole('status')).toHaveText('2 bestellingen');
      await expect(page.getByText('Gekocht in Slaapwereld Amsterdam')).toBeVisible();
      await expect(page.getByLabel('Waar gekocht')).toHaveValue('store');

      await page.getByRole('link', { name: 'Bekijk bestelling ST-AMS-20261115-0107' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Bestelling ST-AMS-20261115-0107' })).toBeVisible();
      await expect(page.getByRole('rowheader', { name: /Dekbedovertrek katoensatijn 140×220/ })).toBeVisible();
      await expect(page.getByText('Kassabon AMS9D3F6H1')).toBeVisible();
      await page.getByRole('link', { name: 'Bon / factuur bekijken en printen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Bon bij bestelling ST-AMS-20261115-0107' })).toBeVisible();
      await expect(page.getByRole('rowheader', { name: 'Waarvan btw 21%' })).toBeVisible();
      await page.getByRole('link', { name: 'Terug naar de bestelling' }).click();

      await page.getByRole('link', { name: 'Terug naar mijn bestellingen' }).click();
      await page.getByLabel('Zoek op bestelnummer of product').fill('hoeslaken');
      await page.getByRole('button', { name: 'Toon bestellingen' }).click();
      await expect(page).toHaveURL(/q=hoeslaken/);
      await expect(page.getByRole('status')).toHaveText('3 bestellingen');
      await expect(page.getByLabel('Zoek op bestelnummer of product')).toHaveValue('hoeslaken');
    });

    test("another customer's order is not found", async ({ page }) => {
      await page.goto('/login?next=%2Faccount%2Forders%2FWS-240200');
      await logIn(page, javaScriptEnabled);
      await expect(page.getByText('Deze bestelling kunnen we niet vinden in jouw account.')).toBeVisible();
      await expect(page.getByText('Pieter')).toHaveCount(0);
    });
  });
}

test.describe('my account on a phone, in English', () => {
  test.use({ locale: 'en-GB', viewport: { width: 360, height: 740 } });

  test('the overview shows what is on its way, and a parcel can be followed', async ({ page }) => {
    await page.goto('/login');
    await logIn(page, true, { email: 'E-mail address', password: 'Password', button: 'Log in' });
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Hello Anna de Vries' })).toBeVisible();
    const onTheWay = page.getByRole('region', { name: 'On the way and being prepared' });
    await expect(onTheWay.getByText('Ready to collect')).toBeVisible();
    await expect(page.getByText('Card number 2620001000014')).toBeVisible();
    // A guest order placed with her address is offered, not attached by itself.
    const offer = page.getByRole('region', { name: 'These 1 order(s) seem to be yours' });
    await expect(offer.getByText('WS-239980', { exact: false })).toBeVisible();
    await expect(offer.getByRole('button', { name: 'Yes, add them to my orders' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);

    await onTheWay.getByRole('link', { name: /4-seasons|4-seizoenen dekbed/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Order WS-240315' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Parcel 1 of 1' })).toBeVisible();
    const parcel = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Parcel 1 of 1' }) });
    await expect(parcel.getByText('PostNL, tracking code 3SSLPW240315')).toBeVisible();
    await expect(parcel.getByText('Your parcel is on its way to you.')).toBeVisible();
    await expect(parcel.getByRole('link', { name: 'Follow it on the PostNL website' })).toHaveAttribute('href', /jouw\.postnl\.nl/);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(wide).toBe(false);
  });
});
