import * as fs from 'fs';
import { test, expect, waitForHydration, passSecondStep } from './fixtures';
import type { Page } from '@playwright/test';

// The audit trail as its people use it: a store employee looks up a customer's purchases
// at the desk; the admin finds that in the trail by name and action, reads it on a phone,
// and downloads the search as CSV. Both languages, JavaScript on and off.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL',
    t: { email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen', who: 'Medewerker', action: 'Handeling',
         search: 'Zoeken', csv: 'Download als CSV', title: 'Audittrail' },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB',
    t: { email: 'E-mail address', password: 'Password', login: 'Log in', who: 'Staff member', action: 'Action',
         search: 'Search', csv: 'Download as CSV', title: 'Audit trail' },
  },
];

for (const m of MODES) {
  const mode = `JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`;

  test.describe(`audit trail, ${mode}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    async function logIn(page: Page, next: string, email: string, password: string) {
      await page.goto(`/login?next=${encodeURIComponent(next)}`);
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.email).fill(email);
      await page.getByLabel(m.t.password, { exact: true }).fill(password);
      await page.getByRole('button', { name: m.t.login }).click();
      await passSecondStep(page);
      await page.waitForURL((url) => url.pathname === next.split('?')[0]);
    }

    test('a desk lookup is in the trail; the admin finds it and downloads it', async ({ page }) => {
      const looked = `${m.locale}@example.nl`;
      await logIn(page, `/store/find?q=${encodeURIComponent(looked)}`, 'winkel@slaapwereld.nl', 'slaapwel-demo-winkel');
      await page.context().clearCookies();

      await logIn(page, '/admin/audit', 'beheer@slaapwereld.nl', 'slaapwel-demo-beheer');
      await page.getByLabel(m.t.who).fill('sanne');
      await page.getByLabel(m.t.action, { exact: true }).fill('purchases.');
      await page.getByRole('button', { name: m.t.search }).click();
      const trail = page.getByRole('table', { name: m.t.title });
      const row = trail.getByRole('row').filter({ hasText: looked });
      await expect(row).toHaveCount(1);
      await expect(row).toContainText('Sanne Winkel');
      await expect(row).toContainText('purchases.searched');
      // What was typed stays in the form.
      await expect(page.getByLabel(m.t.who)).toHaveValue('sanne');

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: m.t.csv }).click()]);
      expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = fs.readFileSync(await download.path(), 'utf8');
      expect(csv.split('\n')[0]).toBe('id,at,actor_user_id,actor,role,customer,action,reason,ticket,store,ip,user_agent,details,hash');
      const lines = csv.trim().split('\n').slice(1);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.includes('Sanne Winkel') && l.includes('purchases.searched'))).toBe(true);
      // The desk keeps an e-mail address as it compares them: in lower case.
      expect(lines.some((l) => l.includes(looked.toLowerCase()))).toBe(true);
    });
  });
}
