import { test, expect, waitForHydration } from './fixtures';

// Demo data: the hotel's two buyers have no loyalty card in the portal yet, but each has
// a plastic card used in a store; two till slips are unclaimed.
const MODES = [
  { javaScriptEnabled: true, email: 'inkoop@zeeuwsestromen.nl', password: 'slaapwel-demo-zakelijk', card: '2620 0010 0005 2', receipt: 'rtm7a3k9q2', order: 'ST-RTM-20261118-0093' },
  { javaScriptEnabled: false, email: 'huishouding@zeeuwsestromen.nl', password: 'slaapwel-demo-zakelijk-2', card: '2620 0010 0006 9', receipt: 'GRQ5H2J8K4', order: 'ST-GRQ-20261119-0077' },
];

for (const m of MODES) {
  const mode = `JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}`;

  test.describe(`loyalty card, ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('link a plastic card, see its purchases, claim a till slip', async ({ page }) => {
      await page.goto('/login?next=%2Faccount%2Floyalty');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('E-mailadres').fill(m.email);
      await page.getByLabel('Wachtwoord').fill(m.password);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Klantenpas' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Nog geen klantenpas' })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);

      // A typo is explained next to the field, and what was typed stays.
      const cardField = page.getByLabel('Pasnummer');
      await cardField.fill('12ab');
      await page.getByRole('button', { name: 'Pas koppelen' }).click();
      await expect(page.getByText('Dit is geen geldig pasnummer.')).toBeVisible();
      await expect(page.getByLabel('Pasnummer')).toHaveValue('12ab');
      await expect(page.getByLabel('Pasnummer')).toHaveAttribute('aria-invalid', 'true');

      await page.getByLabel('Pasnummer').fill(m.card);
      await page.getByRole('button', { name: 'Pas koppelen' }).click();
      await expect(page.getByText('Winkelaankopen toegevoegd aan je bestellingen: 1.')).toBeVisible();
      await expect(page.getByRole('img', { name: `QR-code van klantenpas ${m.card}` })).toBeVisible();

      await page.getByLabel('Code op de kassabon').fill(m.receipt);
      await page.getByRole('button', { name: 'Aankoop toevoegen' }).click();
      await expect(page.getByText('De aankoop staat nu in je bestellingen:')).toBeVisible();
      await page.getByRole('link', { name: m.order }).click();
      await expect(page.getByRole('heading', { level: 1, name: `Bestelling ${m.order}` })).toBeVisible();

      await page.goto('/account/orders?channel=store');
      await expect(page.getByRole('status')).toHaveText('2 bestellingen');

      // The same slip again: refused, with the reason.
      await page.goto('/account/loyalty');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('Code op de kassabon').fill(m.receipt);
      await page.getByRole('button', { name: 'Aankoop toevoegen' }).click();
      await expect(page.getByText('Met deze code vinden we geen aankoop die nog toegevoegd kan worden.', { exact: false })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });
  });
}
