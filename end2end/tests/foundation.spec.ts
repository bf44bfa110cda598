import { test, expect, waitForHydration } from './fixtures';

test.describe('home page', () => {
  test.describe('Dutch browser', () => {
    test.use({ locale: 'nl-NL' });

    test('renders in Dutch and hydrates', async ({ page }) => {
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
      await expect(page.getByRole('heading', { level: 1, name: 'Welkom bij Mijn Slaapwereld' })).toBeVisible();
      await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeVisible();
      await expect(page).toHaveTitle(/Slaapwereld/);
      await waitForHydration(page);
    });
  });

  test.describe('English browser', () => {
    test.use({ locale: 'en-GB' });

    test('renders in English', async ({ page }) => {
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.getByRole('heading', { level: 1, name: 'Welcome to My Slaapwereld' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Stores' })).toBeVisible();
    });
  });
});

test.describe('language switch with JavaScript', () => {
  test.use({ locale: 'nl-NL' });

  test('switches, keeps the page and is remembered', async ({ page }) => {
    await page.goto('/stores');
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Switch to English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Our stores' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveURL(/\/stores$/);

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Our stores' })).toBeVisible();
    await page.getByRole('link', { name: 'Naar Nederlands' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Onze winkels' })).toBeVisible();
  });
});

test.describe('language switch without JavaScript', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: false });

  test('follows the link, keeps the page and remembers the choice', async ({ page }) => {
    await page.goto('/stores?q=utrecht');
    await page.getByRole('link', { name: 'Switch to English' }).click();
    await expect(page).toHaveURL(/\/stores\?q=utrecht$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Our stores' })).toBeVisible();

    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to My Slaapwereld' })).toBeVisible();
  });
});

test.describe('not found', () => {
  test.use({ locale: 'en-GB' });

  test('answers 404 with a way back', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to My Slaapwereld' })).toBeVisible();
  });
});

for (const javaScriptEnabled of [true, false]) {
  test.describe(`store search, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled });

    test('finds a store by town', async ({ page }) => {
      await page.goto('/');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Winkels' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Onze winkels' })).toBeVisible();
      await expect(page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) })).toHaveCount(5);

      await page.getByLabel('Zoek op plaats of naam').fill('Groningen');
      await page.getByRole('button', { name: 'Zoeken' }).click();
      await expect(page).toHaveURL(/\/stores\?q=Groningen$/);
      await expect(page.getByRole('heading', { level: 2, name: 'Slaapwereld Groningen' })).toBeVisible();
      await expect(page.getByLabel('Zoek op plaats of naam')).toHaveValue('Groningen');
      await expect(page.getByRole('heading', { level: 2, name: 'Slaapwereld Utrecht' })).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Openingstijden' })).toBeVisible();

      await page.getByLabel('Zoek op plaats of naam').fill('Zwolle');
      await page.getByRole('button', { name: 'Zoeken' }).click();
      await expect(page.getByText('Geen winkel gevonden voor ‘Zwolle’')).toBeVisible();
    });
  });
}

test.describe('phone width', () => {
  test.use({ locale: 'nl-NL', viewport: { width: 360, height: 740 } });

  test('has no horizontal scrolling', async ({ page }) => {
    for (const path of ['/', '/stores', '/no-such-page']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    }
  });
});

test.describe('keyboard', () => {
  test.use({ locale: 'en-GB' });

  test('the first Tab reaches the skip link, which moves focus to the content', async ({ page }) => {
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();
  });
});
