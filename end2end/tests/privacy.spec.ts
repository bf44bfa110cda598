import { test, expect, waitForHydration, passSecondStep } from './fixtures';

// The privacy centre as a customer uses it: found from the account overview, a consent
// switched on and off again (each a plain form POST), every change in the history.
// Each mode uses its own demo customer and purpose, and leaves the switch as it found it.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL', email: 'anna@example.nl', password: 'slaapwel-demo-klant',
    t: { login: 'Inloggen', emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', link: 'Privacy en toestemming',
         switchName: 'Persoonlijke aanbiedingen: Sms', saved: 'Je keuze is opgeslagen.', history: 'Geschiedenis van je keuzes',
         purpose: 'Persoonlijke aanbiedingen', granted: 'Toestemming gegeven', withdrawn: 'Ingetrokken', how: 'In Mijn Portaal' },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', email: 'inkoop@zeeuwsestromen.nl', password: 'slaapwel-demo-zakelijk',
    t: { login: 'Log in', emailLabel: 'E-mail address', passwordLabel: 'Password', link: 'Privacy and consent',
         switchName: 'Newsletter: E-mail', saved: 'Your choice has been saved.', history: 'History of your choices',
         purpose: 'Newsletter', granted: 'Consent given', withdrawn: 'Withdrawn', how: 'In the portal' },
  },
];

for (const m of MODES) {
  const mode = `JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`;

  test.describe(`privacy, ${mode}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('find Privacy in the account, switch a consent on and off, see the history', async ({ page }) => {
      await page.goto('/login?next=%2Faccount');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.emailLabel).fill(m.email);
      await page.getByLabel(m.t.passwordLabel, { exact: true }).fill(m.password);
      await page.getByRole('button', { name: m.t.login }).click();
      await page.getByRole('link', { name: m.t.link }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();

      const toggle = page.getByRole('switch', { name: m.t.switchName });
      const before = await toggle.getAttribute('aria-checked');
      const history = page.getByRole('table', { name: m.t.history });
      for (const expected of before === 'true' ? ['false', 'true'] : ['true', 'false']) {
        await page.getByRole('switch', { name: m.t.switchName }).click();
        await expect(page.getByRole('status')).toHaveText(m.t.saved);
        await expect(page.getByRole('switch', { name: m.t.switchName })).toHaveAttribute('aria-checked', expected);
        const newest = history.getByRole('row').nth(1);
        await expect(newest).toContainText(m.t.purpose);
        await expect(newest).toContainText(expected === 'true' ? m.t.granted : m.t.withdrawn);
        await expect(newest).toContainText(m.t.how);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });
  });
}

for (const javaScriptEnabled of [false, true]) {
  test.describe(`privacy admin, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ locale: 'en-GB', javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('an admin changes a purpose\'s text: a new version; a bad field is explained and kept', async ({ page }) => {
      await page.goto('/login?next=%2Fadmin%2Fprivacy');
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel('E-mail address').fill('beheer@slaapwereld.nl');
      await page.getByLabel('Password', { exact: true }).fill('slaapwel-demo-beheer');
      await page.getByRole('button', { name: 'Log in' }).click();
      await passSecondStep(page);
      await expect(page.getByRole('heading', { level: 1, name: 'Privacy: purposes and texts' })).toBeVisible();

      const tips = page.getByRole('region', { name: /Tips after your purchase/ });
      const before = Number((await tips.getByRole('heading').textContent())?.match(/Text version (\d+)/)?.[1]);
      // An empty English title: refused, next to the field, with what was typed kept.
      await tips.getByLabel('Title (English)').fill('');
      await tips.getByLabel('Text (Dutch)').fill(`Tips over onderhoud en wassen (${javaScriptEnabled ? 'js' : 'geen js'}).`);
      await tips.getByRole('button', { name: 'Save' }).click();
      const again = page.getByRole('region', { name: /Tips after your purchase/ });
      await expect(again.getByText('Please fill in this field.')).toBeVisible();
      await expect(again.getByLabel('Title (English)')).toHaveAttribute('aria-invalid', 'true');
      await expect(again.getByLabel('Text (Dutch)')).toHaveValue(/Tips over onderhoud en wassen/);

      await again.getByLabel('Title (English)').fill('Tips after your purchase');
      await again.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('status')).toHaveText('Saved.');
      await expect(page.getByRole('region', { name: /Tips after your purchase/ }).getByRole('heading'))
        .toContainText(`Text version ${before + 1}`);
    });
  });
}
