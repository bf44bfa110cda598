import { test, expect, waitForHydration } from './fixtures';

// The demo customer, loaded by `serve --demo`.
const EMAIL = 'anna@example.nl';
const PASSWORD = 'slaapwel-demo-klant';

for (const javaScriptEnabled of [true, false]) {
  const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test.describe(`login and logout, ${mode}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled });

    test('a wrong password says so and keeps the e-mail address', async ({ page }) => {
      await page.goto('/login');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('E-mailadres').fill(EMAIL);
      await page.getByLabel('Wachtwoord').fill('dit is niet het wachtwoord');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await expect(page.getByRole('alert')).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
      await expect(page.getByLabel('E-mailadres')).toHaveValue(EMAIL);
    });

    test('logs in, shows the name, logs out', async ({ page }) => {
      await page.goto('/');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Inloggen' })).toBeVisible();
      await page.getByLabel('E-mailadres').fill(EMAIL);
      await page.getByLabel('Wachtwoord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Inloggen' }).click();

      const banner = page.getByRole('banner');
      await expect(banner.getByText('Anna de Vries')).toBeVisible();
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByRole('heading', { level: 1, name: 'Hallo Anna de Vries' })).toBeVisible();

      await banner.getByRole('button', { name: 'Uitloggen' }).click();
      await expect(banner.getByRole('link', { name: 'Inloggen' })).toBeVisible();
      await expect(banner.getByText('Anna de Vries')).toHaveCount(0);
      await page.reload();
      await expect(page.getByRole('banner').getByText('Anna de Vries')).toHaveCount(0);
    });
  });
}

test.describe('login sends you back where you were', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: false });

  test('to the page named in next', async ({ page }) => {
    await page.goto('/login?next=%2Fstores');
    await page.getByLabel('E-mailadres').fill(EMAIL);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL(/\/stores$/);
    await expect(page.getByRole('banner').getByText('Anna de Vries')).toBeVisible();
  });
});

test.describe('login in English', () => {
  test.use({ locale: 'en-GB' });

  test('labels and messages in English', async ({ page }) => {
    await page.goto('/login');
    await waitForHydration(page);
    await page.getByLabel('E-mail address').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('The e-mail address or the password is not right.');
  });
});
