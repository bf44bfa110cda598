import { test, expect, waitForHydration, openMenuOnPhone } from './fixtures';

// Anna has a loyalty card (2620 0010 0001 4). At the till the shop may have no signal:
// once opened, the card page must open again offline, and be gone after logging out.
test.describe('loyalty card offline', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: true, viewport: { width: 360, height: 740 } });

  test('opens without a connection after one visit, and is forgotten at logout', async ({ page, context, browserProblems }) => {
    await page.goto('/login?next=%2Faccount%2Floyalty');
    await waitForHydration(page);
    await page.getByLabel('E-mailadres').fill('anna@example.nl');
    await page.getByLabel('Wachtwoord').fill('slaapwel-demo-klant');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Klantenpas' })).toBeVisible();

    await page.getByRole('link', { name: 'Toon mijn pas (werkt ook offline)' }).click();
    await expect(page).toHaveURL(/\/account\/loyalty\/card$/);
    await expect(page.getByText('2620 0010 0001 4')).toBeVisible();
    // The service worker takes over this page; the next load is stored for offline use.
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitForHydration(page);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByText('2620 0010 0001 4')).toBeVisible();
    await expect(page.getByRole('img', { name: 'QR-code van klantenpas 2620 0010 0001 4' })).toBeVisible();
    await context.setOffline(false);

    // Logging out clears what the browser kept: offline, the card is gone.
    await page.goto('/account');
    await waitForHydration(page);
    await openMenuOnPhone(page);
    await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await context.setOffline(true);
    await expect(page.goto('/account/loyalty/card')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    await context.setOffline(false);
    // That failed load is the point of this step, not a problem of the page.
    const expected = browserProblems.findIndex((p) => p.includes('/account/loyalty/card: net::ERR_INTERNET_DISCONNECTED'));
    expect(expected).toBeGreaterThanOrEqual(0);
    browserProblems.splice(expected, 1);
  });
});
