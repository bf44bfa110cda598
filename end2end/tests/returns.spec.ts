import { test, expect, waitForHydration, Page, Browser, passSecondStep } from './fixtures';

// Returns in any channel. Anna's WS-240310 (webshop; the duvet was delivered yesterday)
// and ST-AMS-20261115-0107 (bought in Amsterdam 9 days ago: a duvet cover and pillow
// cases). The demo's store staff work at the Utrecht desk.

async function logIn(page: Page, next: string, email: string, password: string, js: boolean, t: { email: string; password: string; login: string }) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (js) await waitForHydration(page);
  await page.getByLabel(t.email).fill(email);
  await page.getByLabel(t.password).fill(password);
  await page.getByRole('button', { name: t.login }).click();
  await passSecondStep(page);
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

const nl = { email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen' };
const en = { email: 'E-mail address', password: 'Password', login: 'Log in' };

async function staffTakesIn(browser: Browser, code: string, js: boolean) {
  const context = await browser.newContext({ locale: 'nl-NL', javaScriptEnabled: js });
  const desk = await context.newPage();
  await logIn(desk, '/store/returns', 'winkel@slaapwereld.nl', 'slaapwel-demo-winkel', js, nl);
  if (js) await waitForHydration(desk);
  await desk.getByLabel('Retourcode').fill(code.toLowerCase());
  await desk.getByRole('button', { name: 'Retour openen' }).click();
  await expect(desk.getByRole('heading', { level: 1, name: `Retour ${code}` })).toBeVisible();
  await expect(desk.getByText('Ingenomen in Slaapwereld Utrecht')).toBeVisible();
  await desk.getByRole('button', { name: 'Innemen en controle opslaan' }).click();
  await expect(desk.getByText('Opgeslagen: de klant ziet de uitkomst nu.')).toBeVisible();
  await context.close();
}

test.describe('an online order returned in a store, JavaScript on', () => {
  test.use({ locale: 'nl-NL' });

  test('start online, the desk scans the code, the customer sees the result', async ({ page, browser }) => {
    await logIn(page, '/account/orders/WS-240310', 'anna@example.nl', 'slaapwel-demo-klant', true, nl);
    await page.getByRole('link', { name: 'Artikelen retourneren' }).click();
    await waitForHydration(page);
    // The sheets are still on their way: they cannot be returned yet.
    await expect(page.getByText('Je kunt dit retourneren zodra je het hebt ontvangen')).toBeVisible();
    // Forgetting the reason is explained, and nothing is lost.
    await page.getByLabel(/Hoeveel/).first().fill('1');
    await page.getByLabel('Winkel', { exact: true }).selectOption({ label: 'Slaapwereld Utrecht (Utrecht)' });
    await page.getByRole('button', { name: 'Mijn retour controleren' }).click();
    await expect(page.getByText('Kies bij elk artikel een reden.')).toBeVisible();
    await page.getByRole('link', { name: 'Mijn keuzes aanpassen' }).first().click();
    await expect(page.getByLabel(/Hoeveel/).first()).toHaveValue('1');
    await expect(page.getByLabel('Winkel', { exact: true })).toHaveValue('UTR');
    await page.getByLabel('Waarom?').first().selectOption({ label: 'Niet wat ik verwachtte' });
    await page.getByRole('button', { name: 'Mijn retour controleren' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Controleer je retour' })).toBeVisible();
    await expect(page.getByText('Je krijgt terug')).toBeVisible();
    await expect(page.getByText('Retourkosten')).toHaveCount(0);
    await page.getByRole('button', { name: 'Retour bevestigen' }).click();
    await expect(page).toHaveURL(/\/account\/returns\/R[A-Z0-9]{8}\?registered=1$/);
    await expect(page.getByText('Retour aangemeld')).toBeVisible();
    await expect(page.getByText('Breng de artikelen naar de winkel en laat deze code zien aan de balie.')).toBeVisible();
    await expect(page.getByRole('img', { name: /^R[A-Z0-9]{8}$/ })).toBeVisible();
    const code = page.url().match(/returns\/(R[A-Z0-9]{8})/)![1];

    await staffTakesIn(browser, code, true);
    await page.reload();
    await expect(page.getByText('Gecontroleerd', { exact: true })).toBeVisible();
    await expect(page.getByText('Geaccepteerd')).toBeVisible();
    await expect(page.getByRole('definition').filter({ hasText: 'Slaapwereld Utrecht' })).toBeVisible();
  });
});

test.describe('a store purchase sent back by post, JavaScript off', () => {
  test.use({ locale: 'en-GB', javaScriptEnabled: false, viewport: { width: 360, height: 740 } });

  test('the return costs are shown before confirming, and it can be cancelled', async ({ page }) => {
    await logIn(page, '/account/orders/ST-AMS-20261115-0107', 'anna@example.nl', 'slaapwel-demo-klant', false, en);
    await page.getByRole('link', { name: 'Return items' }).click();
    await page.getByLabel(/How many/).first().fill('1');
    await page.getByLabel('Why?').first().selectOption({ label: 'Not as expected' });
    await page.getByRole('radio', { name: /Send it by post/ }).check();
    await page.getByRole('button', { name: 'Check my return' }).click();
    await expect(page.getByText('Return costs')).toBeVisible();
    await expect(page.getByText('€4.95')).toBeVisible();
    await expect(page.getByText(/to your payment method \(pin\)/)).toBeVisible();
    await page.getByRole('button', { name: 'Confirm return' }).click();
    await expect(page.getByText('Return label ready')).toBeVisible();
    await expect(page.getByText('Pack the items and show this code at a drop-off point; they print the label.')).toBeVisible();
    const label = await page.getByRole('link', { name: 'Return label (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(label!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);

    await page.getByRole('button', { name: 'Cancel this return' }).click();
    await expect(page.getByText('You cancelled this return.')).toBeVisible();
  });
});

for (const js of [true, false]) {
  test.describe(`a return at the desk without an account, JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled: js });

    test('staff find the purchase by its receipt code and take the return in', async ({ page }) => {
      await logIn(page, '/store/returns', 'winkel@slaapwereld.nl', 'slaapwel-demo-winkel', js, nl);
      if (js) await waitForHydration(page);
      await page.getByLabel('Kassaboncode, bestelnummer, klantenpas of e-mailadres').fill('rtm7a3k9q2');
      await page.getByRole('button', { name: 'Aankoop zoeken' }).click();
      await page.getByRole('link', { name: 'ST-RTM-20261118-0093' }).click();
      const sheetLine = page.getByRole('listitem').filter({ hasText: 'Hoeslaken' });
      // Two tests share the demo: each returns one of the two pieces of the latex pillow or the sheet.
      const line = js ? sheetLine : page.getByRole('listitem').filter({ hasText: 'Latex' });
      await line.getByLabel(/Hoeveel/).fill('1');
      await line.getByLabel('Waarom?').selectOption({ label: 'Beschadigd of defect' });
      await page.getByRole('button', { name: 'Mijn retour controleren' }).click();
      await expect(page.getByText('In een winkel')).toBeVisible();
      await page.getByRole('button', { name: 'Retour hier registreren' }).click();
      await expect(page.getByText('Ingenomen in Slaapwereld Utrecht')).toBeVisible();
      await expect(page.getByText('Ingeleverd', { exact: true })).toBeVisible();
      await page.getByRole('radio', { name: 'Niet geaccepteerd' }).check();
      await page.getByRole('button', { name: 'Innemen en controle opslaan' }).click();
      await expect(page.getByText('Geef aan waarom het niet geaccepteerd wordt.')).toBeVisible();
      await page.getByLabel('Bij niet accepteren: waarom (de klant ziet dit)').fill('Geen schade te zien');
      await page.getByRole('radio', { name: 'Niet geaccepteerd' }).check();
      await page.getByRole('button', { name: 'Innemen en controle opslaan' }).click();
      await expect(page.getByText('Opgeslagen: de klant ziet de uitkomst nu.')).toBeVisible();
      await expect(page.getByText('Geen schade te zien', { exact: false })).toBeVisible();
    });
  });
}

test.describe('the admin sets the return policy, JavaScript off', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: false });

  test('a mistake is explained and kept, then the policy is saved', async ({ page }) => {
    await logIn(page, '/admin/returns', 'beheer@slaapwereld.nl', 'slaapwel-demo-beheer', false, nl);
    await expect(page.getByLabel('Retourtermijn in dagen (alle producten)')).toHaveValue('30');
    await page.getByLabel('Kosten van terugsturen per post (euro)').fill('vier');
    await page.getByRole('button', { name: 'Beleid opslaan' }).click();
    await expect(page.getByText('Vul een bedrag in euro in, bijvoorbeeld 4,95.')).toBeVisible();
    await expect(page.getByLabel('Kosten van terugsturen per post (euro)')).toHaveValue('vier');
    await page.getByLabel('Kosten van terugsturen per post (euro)').fill('4,95');
    await page.getByLabel('Voorwaarden die klanten lezen (Nederlands)').fill('Ongebruikt en compleet terugsturen.');
    await page.getByRole('button', { name: 'Beleid opslaan' }).click();
    await expect(page.getByText('Opgeslagen. Het geldt vanaf nu voor elke retour.')).toBeVisible();
    await expect(page.getByLabel('Voorwaarden die klanten lezen (Nederlands)')).toHaveValue('Ongebruikt en compleet terugsturen.');
  });
});

// A 1×1 PNG, as a phone would upload a (much larger) photo.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

for (const js of [true, false]) {
  test.describe(`a photo of the damage, JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ locale: 'nl-NL', javaScriptEnabled: js });

    test('the customer adds a photo to a damaged item; a file that is no photo is explained', async ({ page, browser }) => {
      await logIn(page, '/account/orders/ST-AMS-20261115-0107', 'anna@example.nl', 'slaapwel-demo-klant', js, nl);
      await page.getByRole('link', { name: 'Artikelen retourneren' }).click();
      if (js) await waitForHydration(page);
      const cases = page.getByRole('listitem').filter({ hasText: 'Kussenslopen' });
      await cases.getByLabel(/Hoeveel/).fill('1');
      await cases.getByLabel('Waarom?').selectOption({ label: 'Beschadigd of defect' });
      await page.getByLabel('Winkel', { exact: true }).selectOption({ label: 'Slaapwereld Utrecht (Utrecht)' });
      await page.getByRole('button', { name: 'Mijn retour controleren' }).click();
      await page.getByRole('button', { name: 'Retour bevestigen' }).click();
      await expect(page.getByText('Retour aangemeld')).toBeVisible();
      const code = page.url().match(/returns\/(R[A-Z0-9]{8})/)![1];
      // Each answer below is a full page load; with JavaScript, let it hydrate before the
      // next click so the click is not lost.
      const settled = async () => { if (js) await waitForHydration(page); };
      await settled();

      // Not a photo: said next to the field; the return is untouched.
      const field = page.getByLabel('Foto van de schade (niet verplicht)');
      await field.setInputFiles({ name: 'bon.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 bon') });
      await page.getByRole('button', { name: 'Foto toevoegen' }).click();
      await expect(page.getByText('We kunnen dit bestand niet als foto lezen.')).toBeVisible();
      await expect(page.getByLabel('Foto van de schade (niet verplicht)')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByText('Retour aangemeld')).toBeVisible();
      await settled();

      await page.getByLabel('Foto van de schade (niet verplicht)').setInputFiles({ name: 'schade.png', mimeType: 'image/png', buffer: PHOTO });
      await page.getByRole('button', { name: 'Foto toevoegen' }).click();
      await expect(page.getByText('Foto toegevoegd.')).toBeVisible();
      await settled();
      const photo = page.getByRole('img', { name: /Foto 1 van de schade aan Kussenslopen/ });
      await expect(photo).toBeVisible();
      const src = await photo.getAttribute('src');
      const jpeg = await page.request.get(src!);
      expect(jpeg.headers()['content-type']).toBe('image/jpeg');

      // The desk sees it too, before taking the return in.
      const context = await browser.newContext({ locale: 'nl-NL', javaScriptEnabled: js });
      const desk = await context.newPage();
      await logIn(desk, `/store/returns/${code}`, 'winkel@slaapwereld.nl', 'slaapwel-demo-winkel', js, nl);
      await expect(desk.getByRole('img', { name: /Foto 1 van de schade aan Kussenslopen/ })).toBeVisible();
      await context.close();

      // Taken away again; the pieces are free for the next test.
      await page.getByRole('button', { name: 'Foto 1 verwijderen' }).click();
      await expect(page.getByText('Foto verwijderd.')).toBeVisible();
      await expect(page.getByRole('img', { name: /Foto 1 van de schade/ })).toHaveCount(0);
      await settled();
      await page.getByRole('button', { name: 'Deze retour annuleren' }).click();
      await expect(page.getByText('Je hebt deze retour geannuleerd.')).toBeVisible();
    });
  });
}

test.describe('a mattress picked up at home for another size, JavaScript off', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: false });

  test('the customer picks the size and a day; a day too far ahead is explained and kept', async ({ page }) => {
    const day = (inDays: number) => {
      const d = new Date(Date.now() + inDays * 86_400_000);
      return d.toISOString().slice(0, 10);
    };
    await logIn(page, '/account/orders/WS-240101', 'anna@example.nl', 'slaapwel-demo-klant', false, nl);
    await page.getByRole('link', { name: 'Artikelen retourneren' }).click();
    await page.getByLabel(/Hoeveel/).fill('1');
    await page.getByLabel('Waarom?').selectOption({ label: 'Te stevig' });
    await page.getByRole('radio', { name: 'Een andere maat of uitvoering' }).check();
    const size = page.getByLabel('Bij ruilen: de maat of uitvoering die je wilt');
    await expect(size.getByRole('option')).toHaveText([
      'Kies (alleen bij omruilen)',
      'Hybride Comfort matras 140×200',
      'Hybride Comfort matras 80×200',
      'Hybride Comfort matras 90×200',
    ]);
    await size.selectOption({ label: 'Hybride Comfort matras 140×200' });
    await page.getByRole('radio', { name: 'Laten ophalen bij mij thuis (grote artikelen)' }).check();
    await page.getByLabel('Dag van ophalen').fill(day(42));
    await page.getByLabel('Dagdeel').selectOption({ label: 'middag (12.00–17.00 uur)' });
    await page.getByRole('button', { name: 'Mijn retour controleren' }).click();
    await expect(page.getByText('Kies een dag binnen vier weken, na vandaag.')).toBeVisible();
    await page.getByRole('link', { name: 'Mijn keuzes aanpassen' }).first().click();
    await expect(page.getByLabel('Bij ruilen: de maat of uitvoering die je wilt')).toHaveValue('MAT-HYBRIDE-140200');
    await expect(page.getByLabel('Dagdeel')).toHaveValue('afternoon');
    await expect(page.getByRole('radio', { name: 'Laten ophalen bij mij thuis (grote artikelen)' })).toBeChecked();
    await page.getByLabel('Dag van ophalen').fill(day(3));
    await page.getByRole('button', { name: 'Mijn retour controleren' }).click();

    await expect(page.getByText('Thuis opgehaald')).toBeVisible();
    await expect(page.getByText('Omruilen voor: Hybride Comfort matras 140×200')).toBeVisible();
    await page.getByRole('button', { name: 'Retour bevestigen' }).click();
    await expect(page.getByText('We halen de artikelen op de dag die je koos op. Zet ze klaar.')).toBeVisible();
    await expect(page.getByText('Omruilen voor: Hybride Comfort matras 140×200')).toBeVisible();
    await page.getByRole('button', { name: 'Deze retour annuleren' }).click();
    await expect(page.getByText('Je hebt deze retour geannuleerd.')).toBeVisible();
  });
});
