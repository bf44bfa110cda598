import { test, expect, waitForHydration, passSecondStep } from './fixtures';
import type { Page } from '@playwright/test';

// Customer service as its people use it: a support agent logs in and lands on the
// search, finds Anna by part of her name, reads her story, notes the call (a wrong day
// is refused next to its field with everything typed kept); Anna sees the look and the
// note in her access log. Both languages, JavaScript on and off, on a phone.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL',
    t: { email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen', search: 'Zoeken', find: 'Klant zoeken',
         channel: 'Hoe nam de klant contact op?', phone: 'telefoon', topic: 'Onderwerp',
         outcome: 'Wat is besproken en afgesproken', followUp: 'Terugkomen op (niet verplicht)', save: 'Notitie opslaan',
         saved: 'Je notitie is opgeslagen.', tooEarly: 'Kies vandaag of een latere dag.', orders: /Bestellingen \(13/,
         notes: 'Contactnotities', looked: 'Bekeek je account', noted: 'Maakte een notitie van je contact met ons' },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB',
    t: { email: 'E-mail address', password: 'Password', login: 'Log in', search: 'Search', find: 'Find a customer',
         channel: 'How did they get in touch?', phone: 'phone', topic: 'Topic',
         outcome: 'What was discussed and agreed', followUp: 'Follow up on (optional)', save: 'Save note',
         saved: 'Your note has been saved.', tooEarly: 'Choose today or a later day.', orders: /Orders \(13/,
         notes: 'Contact notes', looked: 'Looked at your account', noted: 'Made a note of your contact with us' },
  },
];

for (const m of MODES) {
  const mode = `JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`;

  test.describe(`customer service, ${mode}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    async function logIn(page: Page, email: string, password: string, lands: string) {
      await page.goto('/login');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.email).fill(email);
      await page.getByLabel(m.t.password, { exact: true }).fill(password);
      await page.getByRole('button', { name: m.t.login }).click();
      await passSecondStep(page);
      await page.waitForURL((url) => url.pathname === lands);
    }

    async function noSidewaysScrolling(page: Page) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    }

    test('an agent finds Anna, reads her story and notes the call; Anna sees it', async ({ page }) => {
      const topic = `Dekbed kwijt (${m.locale})`;
      await logIn(page, 'support@slaapwereld.nl', 'slaapwel-demo-support', '/service/customers');
      await expect(page.getByRole('heading', { level: 1, name: m.t.find })).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.search, { exact: true }).fill('anna de v');
      await page.getByRole('button', { name: m.t.search }).click();
      const anna = page.getByRole('link', { name: 'Anna de Vries' });
      await expect(anna).toBeVisible();
      await expect(page.getByRole('listitem').filter({ has: anna })).toContainText('anna@example.nl');
      await noSidewaysScrolling(page);
      await anna.click();

      await expect(page.getByRole('heading', { level: 1, name: 'Anna de Vries' })).toBeVisible();
      await expect(page.getByRole('heading', { name: m.t.orders })).toBeVisible();
      await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'ST-AMS-20261115-0107' })).toHaveCount(1);
      await noSidewaysScrolling(page);

      // A follow-up day in the past: refused next to its field, nothing typed lost.
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.channel).selectOption({ label: m.t.phone });
      await page.getByLabel(m.t.topic).fill(topic);
      await page.getByLabel(m.t.outcome).fill('Pakket komt morgen; gebeld met de vervoerder.');
      await page.getByLabel(m.t.followUp).fill('2020-01-01');
      await page.getByRole('button', { name: m.t.save }).click();
      await expect(page.getByText(m.t.tooEarly)).toBeVisible();
      await expect(page.getByLabel(m.t.topic)).toHaveValue(topic);
      await expect(page.getByLabel(m.t.outcome)).toHaveValue('Pakket komt morgen; gebeld met de vervoerder.');

      await page.getByLabel(m.t.followUp).fill('');
      await page.getByRole('button', { name: m.t.save }).click();
      await expect(page.getByText(m.t.saved)).toBeVisible();
      const notes = page.getByRole('region', { name: m.t.notes });
      await expect(notes.getByRole('listitem').filter({ hasText: topic })).toContainText('Youssef Support');
      await noSidewaysScrolling(page);
      await page.context().clearCookies();

      // Anna sees who looked and what was noted.
      await logIn(page, 'anna@example.nl', 'slaapwel-demo-klant', '/account');
      await page.goto('/account/privacy');
      const looked = page.getByRole('row').filter({ hasText: m.t.looked }).filter({ hasText: 'Youssef Support' });
      await expect(looked.first()).toBeVisible();
      await expect(page.getByRole('row').filter({ hasText: m.t.noted }).first()).toBeVisible();
    });

    test('a customer cannot open customer service', async ({ page }) => {
      await logIn(page, 'anna@example.nl', 'slaapwel-demo-klant', '/account');
      await page.goto('/service/customers?q=anna');
      await expect(page.getByRole('link', { name: 'Anna de Vries' })).toHaveCount(0);
      await expect(page.getByRole('heading', { level: 1, name: m.t.find })).toBeVisible();
    });
  });
}
