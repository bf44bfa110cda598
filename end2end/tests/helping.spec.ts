import { test, expect, waitForHydration, passSecondStep } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import { waitForMail } from './mailbox';

// Acting for a customer (issue #20): Anna allows customer service to help her in her
// account; the agent starts with a reason, sees a banner on every page, can only look,
// stops; Anna sees every look in her access log and gets a mail. When she also allows
// changes, the agent starts (and cancels) a return for her; her access log and the mail
// list both. Dutch with JavaScript, English without, on a phone.
const MODES = [
  {
    javaScriptEnabled: true, locale: 'nl-NL', reason: 'Retour samen aanmelden (js)',
    t: { email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen', search: 'Zoeken',
         helpRegion: 'Laat klantenservice me helpen in mijn account', allow: 'Hulp toestaan', on: /Aan tot/,
         withdraw: 'Hulp niet meer toestaan', off: /Uit: klantenservice ziet/,
         box: 'Helpen in het account', why: 'Waarom (de klant leest dit)', ticket: 'Ticketnummer (mag leeg)',
         start: 'Beginnen met helpen (30 minuten)', required: 'Vul dit veld in.', banner: /Je helpt Anna de Vries in het account tot/,
         stop: 'Stoppen met helpen', saveDetails: 'Gegevens opslaan', readOnly: /Dit kan niet terwijl je een klant helpt/,
         looked: 'Heeft met je meegekeken in het account',
         mayChange: /Ze mogen ook dingen voor me regelen/, onChange: /dingen voor je wijzigen/, bannerChange: /De klant staat toe dat je dingen wijzigt/,
         returnItems: 'Artikelen retourneren', howMany: /Hoeveel/, why2: 'Waarom?', notAsExpected: 'Niet wat ik verwachtte',
         byPost: /Opsturen met de post/, review: 'Mijn retour controleren', confirm: 'Retour bevestigen',
         cancelReturn: 'Deze retour annuleren', cancelled: /Je hebt deze retour geannuleerd/,
         started: 'Retour aangemeld', withdrawn: 'Retour ingetrokken' },
  },
  {
    javaScriptEnabled: false, locale: 'en-GB', reason: 'Register a return together (no js)',
    t: { email: 'E-mail address', password: 'Password', login: 'Log in', search: 'Search',
         helpRegion: 'Let customer service help me in my account', allow: 'Allow help', on: /On until/,
         withdraw: 'Stop allowing help', off: /Off: customer service sees/,
         box: 'Help in their account', why: 'Why (the customer reads this)', ticket: 'Ticket number (optional)',
         start: 'Start helping (30 minutes)', required: 'Please fill in this field.', banner: /You are helping Anna de Vries in their account until/,
         stop: 'Stop helping', saveDetails: 'Save details', readOnly: /Not possible while you help a customer/,
         looked: 'Looked in the account with you',
         mayChange: /They may also arrange things for me/, onChange: /make changes for you/, bannerChange: /They allow you to make changes/,
         returnItems: 'Return items', howMany: /How many/, why2: 'Why?', notAsExpected: 'Not as expected',
         byPost: /Send it by post/, review: 'Check my return', confirm: 'Confirm return',
         cancelReturn: 'Cancel this return', cancelled: /You cancelled this return/,
         started: 'Started a return', withdrawn: 'Cancelled the return' },
  },
];

for (const m of MODES) {
  test.describe(`helping a customer in their account, JavaScript ${m.javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    async function logIn(page: Page, email: string, password: string) {
      await page.goto('/login');
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(m.t.email).fill(email);
      await page.getByLabel(m.t.password, { exact: true }).fill(password);
      await page.getByRole('button', { name: m.t.login }).click();
      await passSecondStep(page);
      await page.waitForURL((url) => url.pathname !== '/login');
    }

    async function newPhone(browser: Browser): Promise<Page> {
      const context = await browser.newContext({ locale: m.locale, javaScriptEnabled: m.javaScriptEnabled, viewport: { width: 360, height: 740 } });
      return context.newPage();
    }

    /** The support agent, on their phone, finds Anna and opens her page. */
    async function agentOnAnnasPage(browser: Browser): Promise<Page> {
      const agent = await newPhone(browser);
      await logIn(agent, 'support@slaapwereld.nl', 'slaapwel-demo-support');
      await agent.goto('/service/customers?q=anna+de+v');
      await agent.getByRole('link', { name: 'Anna de Vries' }).click();
      if (m.javaScriptEnabled) await waitForHydration(agent);
      return agent;
    }

    async function noSidewaysScrolling(page: Page) {
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    }

    test('Anna allows help; the agent looks with a reason, sees the banner, stops; Anna sees it', async ({ page, browser }) => {
      // Anna, on her phone: help for an hour, looking only.
      await logIn(page, 'anna@example.nl', 'slaapwel-demo-klant');
      await page.goto('/account/privacy');
      if (m.javaScriptEnabled) await waitForHydration(page);
      const help = page.getByRole('region', { name: m.t.helpRegion });
      await expect(help.getByText(m.t.off)).toBeVisible();
      await help.getByRole('button', { name: m.t.allow }).click();
      await expect(page.getByRole('region', { name: m.t.helpRegion }).getByText(m.t.on)).toBeVisible();

      // The agent finds her and starts, first without a reason.
      const agent = await agentOnAnnasPage(browser);
      const box = agent.getByRole('region', { name: m.t.box });
      await box.getByLabel(m.t.ticket).fill('T-4711');
      await box.getByRole('button', { name: m.t.start }).click();
      await expect(agent.getByText(m.t.required)).toBeVisible();
      const again = agent.getByRole('region', { name: m.t.box });
      await expect(again.getByLabel(m.t.ticket)).toHaveValue('T-4711');
      await again.getByLabel(m.t.why).fill(m.reason);
      await again.getByRole('button', { name: m.t.start }).click();

      // Her account, with the banner on every page.
      await agent.waitForURL((url) => url.pathname === '/account');
      await expect(agent.getByRole('status').filter({ hasText: m.t.banner })).toBeVisible();
      await noSidewaysScrolling(agent);
      await agent.goto('/account/orders');
      await expect(agent.getByRole('status').filter({ hasText: m.t.banner })).toBeVisible();
      await expect(agent.getByText('WS-240350').first()).toBeVisible();
      await noSidewaysScrolling(agent);

      // Looking only: a change is refused and says why.
      await agent.goto('/account/details');
      if (m.javaScriptEnabled) await waitForHydration(agent);
      await agent.getByRole('button', { name: m.t.saveDetails }).click();
      await expect(agent.getByText(m.t.readOnly).first()).toBeVisible();

      // Stop: back on her page in customer service, no banner.
      await agent.getByRole('button', { name: m.t.stop }).click();
      await expect(agent.getByRole('heading', { level: 1, name: 'Anna de Vries' })).toBeVisible();
      await expect(agent.getByRole('status').filter({ hasText: m.t.banner })).toHaveCount(0);
      await agent.context().close();

      // Anna sees the looks, gets a mail, and switches help off.
      const mail = await waitForMail('anna@example.nl', m.reason);
      expect(mail).toContain('Youssef Support');
      await page.goto('/account/privacy');
      await expect(page.getByRole('row').filter({ hasText: m.t.looked }).filter({ hasText: 'Youssef Support' }).first()).toBeVisible();
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('region', { name: m.t.helpRegion }).getByRole('button', { name: m.t.withdraw }).click();
      await expect(page.getByRole('region', { name: m.t.helpRegion }).getByText(m.t.off)).toBeVisible();
    });

    test('Anna allows changes; the agent starts a return for her with a reason; she sees it and gets the mail', async ({ page, browser }) => {
      const reason = `${m.reason}: slopen retour`;
      await logIn(page, 'anna@example.nl', 'slaapwel-demo-klant');
      await page.goto('/account/privacy');
      if (m.javaScriptEnabled) await waitForHydration(page);
      const help = page.getByRole('region', { name: m.t.helpRegion });
      await help.getByLabel(m.t.mayChange).check();
      await help.getByRole('button', { name: m.t.allow }).click();
      await expect(page.getByRole('region', { name: m.t.helpRegion }).getByText(m.t.onChange)).toBeVisible();

      const agent = await agentOnAnnasPage(browser);
      const box = agent.getByRole('region', { name: m.t.box });
      await box.getByLabel(m.t.why).fill(reason);
      await box.getByRole('button', { name: m.t.start }).click();
      await agent.waitForURL((url) => url.pathname === '/account');
      await expect(agent.getByRole('status').filter({ hasText: m.t.bannerChange })).toBeVisible();

      // The pillow cases bought in Amsterdam, sent back by post.
      await agent.goto('/account/orders/ST-AMS-20261115-0107');
      await agent.getByRole('link', { name: m.t.returnItems }).click();
      if (m.javaScriptEnabled) await waitForHydration(agent);
      await agent.getByLabel(m.t.howMany).nth(1).fill('1');
      await agent.getByLabel(m.t.why2, { exact: true }).nth(1).selectOption({ label: m.t.notAsExpected });
      await agent.getByRole('radio', { name: m.t.byPost }).check();
      await agent.getByRole('button', { name: m.t.review }).click();
      await agent.getByRole('button', { name: m.t.confirm }).click();
      await agent.waitForURL(/\/account\/returns\/R[A-Z0-9]{8}/);
      const code = agent.url().match(/returns\/(R[A-Z0-9]{8})/)![1];
      await noSidewaysScrolling(agent);
      // She changed her mind on the phone: the agent cancels it again (the pieces are
      // free for the other tests too).
      await agent.getByRole('button', { name: m.t.cancelReturn }).click();
      await expect(agent.getByText(m.t.cancelled)).toBeVisible();
      await agent.getByRole('button', { name: m.t.stop }).click();
      await expect(agent.getByRole('heading', { level: 1, name: 'Anna de Vries' })).toBeVisible();
      await agent.context().close();

      // The mail says who, why and what was changed.
      const mail = await waitForMail('anna@example.nl', reason);
      expect(mail).toContain('Youssef Support');
      expect(mail).toContain(code);
      // Her access log: who started the return, and why.
      await page.goto('/account/privacy');
      const row = page.getByRole('row').filter({ hasText: `${m.t.started} ${code}` });
      await expect(row).toContainText('Youssef Support');
      await expect(row).toContainText(reason);
      await expect(page.getByRole('row').filter({ hasText: `${m.t.withdrawn} ${code}` })).toHaveCount(1);
      if (m.javaScriptEnabled) await waitForHydration(page);
      await page.getByRole('region', { name: m.t.helpRegion }).getByRole('button', { name: m.t.withdraw }).click();
      await expect(page.getByRole('region', { name: m.t.helpRegion }).getByText(m.t.off)).toBeVisible();
    });
  });
}
