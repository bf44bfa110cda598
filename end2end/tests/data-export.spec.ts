import * as fs from 'fs';
import { test, expect, waitForHydration } from './fixtures';
import { waitForMail, linkIn } from './mailbox';
import { unzip } from './zip';

// "Download my data" as a customer uses it: asked for on the privacy page, built in the
// background (the page shows it is under way; a mail says when it is ready), downloaded
// and opened. Each mode uses its own demo customer (one export at a time per customer).
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL', email: 'anna@example.nl', password: 'slaapwel-demo-klant', name: 'Anna de Vries',
    t: { login: 'Inloggen', emailLabel: 'E-mailadres', passwordLabel: 'Wachtwoord', link: 'Privacy en toestemming',
         section: 'Download mijn gegevens', ask: /Vraag mijn gegevens op|Maak een nieuw bestand/,
         underWay: 'We zetten je gegevens klaar', check: 'Opnieuw kijken', download: /Download mijn gegevens \(/,
         subject: 'Je gegevens staan klaar', readme: 'JOUW GEGEVENS BIJ', file: /^mijn-gegevens-\d{4}-\d{2}-\d{2}\.zip$/ },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', email: 'inkoop@zeeuwsestromen.nl', password: 'slaapwel-demo-zakelijk', name: 'Marieke Bakker',
    t: { login: 'Log in', emailLabel: 'E-mail address', passwordLabel: 'Password', link: 'Privacy and consent',
         section: 'Download my data', ask: /Request my data|Make a new file/,
         underWay: 'We are putting your data together', check: 'Check again', download: /Download my data \(/,
         subject: 'Your data is ready', readme: 'YOUR DATA AT', file: /^my-data-\d{4}-\d{2}-\d{2}\.zip$/ },
  },
];

for (const m of MODES) {
  const mode = `JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}, ${m.locale}`;

  test.describe(`download my data, ${mode}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('ask for my data, see it being made, get the mail, download and open the ZIP', async ({ page }) => {
      const startedAt = Date.now();
      await page.goto('/login?next=%2Faccount');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.emailLabel).fill(m.email);
      await page.getByLabel(m.t.passwordLabel, { exact: true }).fill(m.password);
      await page.getByRole('button', { name: m.t.login }).click();
      await page.getByRole('link', { name: m.t.link }).click();

      const section = page.getByRole('region', { name: m.t.section });
      await section.getByRole('button', { name: m.t.ask }).click();
      // Under way (or, on a quick machine, already done): never built in the request.
      const ready = page.getByRole('region', { name: m.t.section }).getByRole('link', { name: m.t.download });
      const underWay = page.getByRole('region', { name: m.t.section }).getByText(m.t.underWay);
      await expect(underWay.or(ready)).toBeVisible();
      for (let i = 0; i < 30 && !(await ready.isVisible()); i++) {
        await page.waitForTimeout(500);
        await page.getByRole('region', { name: m.t.section }).getByRole('link', { name: m.t.check }).click();
      }
      await expect(ready).toBeVisible();

      // The mail links to the same download (looked up by that link, so that a mail
      // about an earlier export of this customer is never taken for it).
      const href = await ready.getAttribute('href');
      const mail = await waitForMail(m.email, href!);
      expect(mail).toContain(m.t.subject);
      expect(linkIn(mail, '/account/privacy/export/')).toContain(href!);

      const [download] = await Promise.all([page.waitForEvent('download'), ready.click()]);
      expect(download.suggestedFilename()).toMatch(m.t.file);
      const files = unzip(fs.readFileSync(await download.path()));
      expect([...files.keys()]).toEqual(expect.arrayContaining(['data.json', 'orders.csv', 'consent_history.csv', 'README.txt']));
      const data = JSON.parse(files.get('data.json')!.toString('utf8'));
      expect(data.schema).toBe('mijn-portaal/export/v1');
      expect(data.profile.login_email).toBe(m.email);
      expect(data.profile.name).toBe(m.name);
      expect(files.get('README.txt')!.toString('utf8')).toContain(m.t.readme);
      expect(Date.now() - startedAt).toBeLessThan(60_000);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });
  });
}
