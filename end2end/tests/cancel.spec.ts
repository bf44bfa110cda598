import { test, expect, waitForHydration } from './fixtures';

// Two demo orders that are paid but not picked yet: Anna's WS-240350 (two latex pillows
// and a summer duvet) and the hotel's B2B-ZS-1007 (40 pillowcases, 20 sheets).
const journeys = [
  {
    javaScriptEnabled: true,
    locale: 'nl-NL',
    email: 'anna@example.nl',
    password: 'slaapwel-demo-klant',
    order: 'WS-240350',
    keep: /Zomerdekbed 200×220/,
    cancel: /Latex hoofdkussen hoog/,
    t: {
      email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen',
      button: 'Bestelling annuleren', title: 'Bestelling WS-240350 annuleren',
      reason: 'Waarom annuleer je?', reasonChoice: 'Ik heb me bedacht', submit: 'Annulering aanvragen',
      tooMany: 'Dat is meer dan je bestelde.', noReason: 'Kies een reden.',
      requested: 'Annulering aangevraagd', already: 'Je hebt al gevraagd deze bestelling te annuleren.',
    },
  },
  {
    javaScriptEnabled: false,
    locale: 'en-GB',
    email: 'huishouding@zeeuwsestromen.nl',
    password: 'slaapwel-demo-zakelijk-2',
    order: 'B2B-ZS-1007',
    keep: /Hotel kussensloop wit/,
    cancel: /Hotellaken wit/,
    t: {
      email: 'E-mail address', password: 'Password', login: 'Log in',
      button: 'Cancel order', title: 'Cancel order B2B-ZS-1007',
      reason: 'Why are you cancelling?', reasonChoice: 'I ordered the wrong product or quantity', submit: 'Request cancellation',
      tooMany: 'That is more than you ordered.', noReason: 'Choose a reason.',
      requested: 'Cancellation requested', already: 'You have already asked to cancel this order.',
    },
  },
];

for (const j of journeys) {
  test.describe(`cancel part of an order, JavaScript ${j.javaScriptEnabled ? 'on' : 'off'}, ${j.locale}`, () => {
    test.use({ locale: j.locale, javaScriptEnabled: j.javaScriptEnabled, viewport: { width: 360, height: 740 } });

    test('choose lines, fix a mistake, and see the request on the order', async ({ page }) => {
      await page.goto(`/login?next=%2Faccount%2Forders%2F${j.order}`);
      if (j.javaScriptEnabled) await waitForHydration(page);
      await page.getByLabel(j.t.email).fill(j.email);
      await page.getByLabel(j.t.password).fill(j.password);
      await page.getByRole('button', { name: j.t.login }).click();
      await expect(page).toHaveURL(new RegExp(`/account/orders/${j.order}$`));

      await page.getByRole('link', { name: j.t.button }).click();
      await expect(page.getByRole('heading', { level: 1, name: j.t.title })).toBeVisible();
      if (j.javaScriptEnabled) await waitForHydration(page);
      // Everything is selected; keep one product, and ask for too many of the other.
      await page.getByRole('spinbutton', { name: j.keep }).fill('0');
      const cancel = page.getByRole('spinbutton', { name: j.cancel });
      await cancel.fill('999');
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page.getByText(j.t.tooMany)).toBeVisible();
      await expect(page.getByText(j.t.noReason)).toBeVisible();
      await expect(cancel).toHaveValue('999');
      await expect(cancel).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByRole('spinbutton', { name: j.keep })).toHaveValue('0');

      await cancel.fill('1');
      await page.getByLabel(j.t.reason).selectOption({ label: j.t.reasonChoice });
      await page.getByRole('button', { name: j.t.submit }).click();
      await expect(page).toHaveURL(new RegExp(`/account/orders/${j.order}\\?cancellation=requested$`));
      const box = page.getByRole('region', { name: j.t.requested });
      await expect(box).toBeVisible();
      await expect(box.getByText(j.cancel)).toBeVisible();
      await expect(page.getByRole('link', { name: j.t.button })).toHaveCount(0);

      // Asking again (an old tab, a bookmark) explains instead of storing a second one.
      await page.goto(`/account/orders/${j.order}/cancel`);
      await expect(page.getByText(j.t.already)).toBeVisible();
      await page.goto('/account/orders');
      await expect(page.getByRole('listitem').filter({ hasText: j.order }).getByText(j.t.requested)).toBeVisible();
    });
  });
}
