import { test, expect, waitForHydration, passSecondStep, Page } from './fixtures';
import { waitForMail, linkIn } from './mailbox';

// The mattress advisor as a visitor meets it on a phone: found on the home page, one
// question per page, explained advice, saved under a code; store staff open that code at
// the counter, mail it to the customer with their consent, and go on with it. JavaScript
// on and off, Dutch and English, 360 px.

const WIDTH = 360;

const words = {
  nl: {
    start: 'Start het advies', next: 'Volgende', back: 'Vorige vraag', save: 'Bewaar mijn advies',
    advice: 'Jouw advies', why: 'Waarom dit past', best: 'Beste keuze', code: 'Jouw code',
    side: 'Op mijn zij', stomach: 'Op mijn buik', weight: 'Hoeveel weeg je ongeveer?', alone: 'Nee, alleen',
    shoulder: 'Pijnlijke schouder of heup', backPain: 'Rugpijn bij het opstaan', foam: 'Traagschuim', springs: 'Pocketvering',
    width: '140 cm', chooseOne: 'Kies een van de antwoorden.', outOfRange: 'Dit getal valt buiten wat we kunnen gebruiken',
    progress: 'Vraag 2 van', keep: 'Bewaar ook mijn gewicht en klachten bij het advies', saved: 'Je advies is bewaard.',
    codeLabel: 'Code van het advies', open: 'Open het advies', goOn: 'Verder met dit advies', store: 'Winkel: wijzig samen met de klant',
    missing: 'Je gewicht en klachten hebben we niet bewaard', change: 'Wijzig', position: 'In welke houding slaap je meestal?',
    shifted: /Eerst was .* je beste keuze|blijft je beste keuze/,
    mailAddress: 'E-mailadres', mailSend: 'Mail het advies', consent: 'De klant wil dit advies per e-mail ontvangen',
    consentFirst: 'Vraag de klant eerst', mailed: 'Het advies is gemaild.',
  },
  en: {
    start: 'Start the advisor', next: 'Next', back: 'Previous question', save: 'Save my advice',
    advice: 'Your advice', why: 'Why it fits', best: 'Best choice', code: 'Your code',
    side: 'On my side', stomach: 'On my stomach', weight: 'About how much do you weigh?', alone: 'No, just me',
    shoulder: 'Sore shoulder or hip', backPain: 'Back pain when I get up', foam: 'Memory foam', springs: 'Pocket springs',
    width: '140 cm', chooseOne: 'Choose one of the answers.', outOfRange: 'This number is outside what we can use',
    progress: 'Question 2 of', keep: 'Also keep my weight and complaints with the advice', saved: 'Your advice has been saved.',
    codeLabel: 'Advice code', open: 'Open the advice', goOn: 'Continue with this advice', store: 'Store: change an answer together with the customer',
    missing: 'We did not keep your weight and complaints', change: 'Change', position: 'Which position do you usually sleep in?',
    shifted: /First .* was your best choice|is still your best choice/,
    mailAddress: 'E-mail address', mailSend: 'Mail the advice', consent: 'The customer wants this advice by e-mail',
    consentFirst: 'First ask whether the customer', mailed: 'The advice has been mailed.',
  },
};
type Words = (typeof words)['nl'];

async function goTo(page: Page, url: string, js: boolean) {
  await page.goto(url);
  if (js) await waitForHydration(page);
}

async function next(page: Page, w: Words) {
  await page.getByRole('button', { name: w.next, exact: true }).click();
}

/** Nothing wider than the phone. */
async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(WIDTH);
}

/** Answers every question as a side sleeper of `kg` or a heavy stomach sleeper. */
async function answerAll(page: Page, w: Words, who: 'side' | 'stomach', kg: string) {
  await page.getByLabel(who === 'side' ? w.side : w.stomach, { exact: true }).check();
  await next(page, w);
  await expect(page.getByText(w.progress)).toBeVisible();
  await page.getByRole('spinbutton', { name: w.weight }).fill(kg);
  await next(page, w);
  await page.getByLabel(w.alone, { exact: true }).check();
  await next(page, w);
  await page.getByLabel(who === 'side' ? w.shoulder : w.backPain, { exact: true }).check();
  await next(page, w);
  await page.getByLabel(who === 'side' ? w.foam : w.springs, { exact: true }).check();
  await next(page, w);
  await page.getByLabel(w.width, { exact: true }).check();
  await next(page, w);
  await expect(page.getByRole('heading', { name: w.advice, exact: true })).toBeVisible();
}

function picks(page: Page) {
  return page.getByRole('main').locator('.advice-picks > li');
}

for (const js of [true, false]) {
  for (const lang of ['nl', 'en'] as const) {
    const w = words[lang];
    test.describe(`the mattress advisor, JavaScript ${js ? 'on' : 'off'}, ${lang}`, () => {
      test.use({ javaScriptEnabled: js, locale: lang === 'nl' ? 'nl-NL' : 'en-GB', viewport: { width: WIDTH, height: 740 } });

      test('a visitor answers, gets three explained products and saves the code; the store opens it', async ({ page, browser }) => {
        await goTo(page, '/', js);
        await page.getByRole('link', { name: new RegExp(w.start) }).click();
        await expect(page).toHaveURL(/\/advies\/matras$/);
        await expect(page.getByRole('group', { name: w.position })).toBeVisible();
        await fitsThePhone(page);
        // Each position has its picture next to its words (decoration: no name of its own).
        const icons = page.getByRole('group', { name: w.position }).locator('img');
        await expect(icons).toHaveCount(4);
        for (const icon of await icons.all()) {
          await expect(icon).toHaveAttribute('alt', '');
          expect(await icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
        }

        // Nothing chosen: said next to the question, the visitor stays on it.
        await next(page, w);
        await expect(page.getByText(w.chooseOne)).toBeVisible();
        await expect(page.getByRole('group', { name: w.position })).toBeVisible();

        // A weight no one has: refused, the number kept in the field.
        await page.getByLabel(w.side, { exact: true }).check();
        await next(page, w);
        await page.getByRole('spinbutton', { name: w.weight }).fill('400');
        await next(page, w);
        await expect(page.getByText(w.outOfRange)).toBeVisible();
        await expect(page.getByRole('spinbutton', { name: w.weight })).toHaveValue('400');
        // Back to the first question, the answer still chosen.
        await page.getByRole('link', { name: w.back }).click();
        await expect(page.getByLabel(w.side, { exact: true })).toBeChecked();
        await answerAll(page, w, 'side', '72');

        await expect(picks(page)).toHaveCount(3);
        await expect(picks(page).first().getByText(w.best)).toBeVisible();
        await expect(picks(page).first().getByRole('heading', { name: w.why })).toBeVisible();
        await expect(picks(page).first()).toContainText('140');
        // Where it is on display: a link to the store finder for that town.
        await expect(picks(page).first().getByRole('link', { name: 'Slaapwereld Utrecht' })).toHaveAttribute('href', '/stores?q=Utrecht');
        await fitsThePhone(page);

        // Saved without ticking "keep my weight": a code and a QR code.
        await expect(page.getByLabel(w.keep)).not.toBeChecked();
        await page.getByRole('button', { name: w.save }).click();
        await expect(page.getByText(w.saved)).toBeVisible();
        const code = (await page.locator('.code-text').textContent())!.trim();
        expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
        await expect(page.getByRole('img', { name: new RegExp(code) })).toBeVisible();
        await expect(page.getByText(w.missing)).toBeVisible();
        await fitsThePhone(page);

        // At the store: staff type the code the customer reads out, and go on with it.
        const counter = await browser.newPage({ javaScriptEnabled: js, locale: lang === 'nl' ? 'nl-NL' : 'en-GB', viewport: { width: WIDTH, height: 740 } });
        await counter.goto('/login?next=%2Fadvies%2Fcode');
        if (js) await waitForHydration(counter);
        await counter.getByLabel(lang === 'nl' ? 'E-mailadres' : 'E-mail address').fill('winkel@slaapwereld.nl');
        await counter.getByLabel(lang === 'nl' ? 'Wachtwoord' : 'Password').fill('slaapwel-demo-winkel');
        await counter.getByRole('button', { name: lang === 'nl' ? 'Inloggen' : 'Log in' }).click();
        await passSecondStep(counter);
        await counter.goto('/advies/code');
        await counter.getByLabel(w.codeLabel).fill(code.toLowerCase());
        await counter.getByRole('button', { name: w.open }).click();
        await expect(counter).toHaveURL(new RegExp(`/advies/code/${code.replace('-', '')}$`));
        await expect(counter.getByText(w.store)).toBeVisible();
        await expect(counter.locator('.advice-picks > li')).toHaveCount(3);

        // The customer would like it by mail, in English: not sent before their consent is
        // ticked (the address stays in the field), then sent.
        const address = `klant-${js ? 'js' : 'nojs'}-${lang}-${Date.now()}@example.nl`;
        await counter.getByLabel(w.mailAddress).fill(address);
        await counter.getByRole('radio', { name: 'English' }).check();
        await counter.getByRole('button', { name: w.mailSend }).click();
        await expect(counter.getByText(w.consentFirst)).toBeVisible();
        await expect(counter.getByLabel(w.mailAddress)).toHaveValue(address);
        await counter.getByLabel(w.consent).check();
        await counter.getByRole('button', { name: w.mailSend }).click();
        await expect(counter.getByText(w.mailed)).toBeVisible();
        const mail = await waitForMail(address, `Your advice from the Mattress advisor (${code})`);
        expect(linkIn(mail, `/advies/code/${code.replace('-', '')}`)).toBeTruthy();
        await fitsThePhone(counter);

        await counter.getByRole('button', { name: w.goOn }).click();
        // The weight was not kept: the store asks it again, then shows what shifted.
        await counter.getByRole('spinbutton', { name: w.weight }).fill('72');
        await counter.getByRole('button', { name: w.next, exact: true }).click();
        await counter.getByLabel(w.shoulder, { exact: true }).check();
        await counter.getByRole('button', { name: w.next, exact: true }).click();
        await expect(counter.getByText(w.shifted)).toBeVisible();
        await counter.close();
      });
    });
  }
}

test.describe('opposite answers, JavaScript on, English', () => {
  test.use({ locale: 'en-GB', viewport: { width: WIDTH, height: 740 } });

  test('a light side sleeper and a heavy stomach sleeper get different first choices', async ({ page }) => {
    const w = words.en;
    await goTo(page, '/advies/matras', true);
    await answerAll(page, w, 'side', '60');
    const light = await picks(page).first().getByRole('heading', { level: 3 }).textContent();
    await page.getByRole('button', { name: 'Start again' }).click();
    await expect(page.getByRole('group', { name: w.position })).toBeVisible();
    await answerAll(page, w, 'stomach', '130');
    const heavy = await picks(page).first().getByRole('heading', { level: 3 }).textContent();
    expect(light).toBeTruthy();
    expect(heavy).toBeTruthy();
    expect(heavy).not.toEqual(light);
    // Changing one answer from the list goes back to that question.
    await page.getByRole('link', { name: `${w.change}: ${w.weight}` }).click();
    await expect(page.getByRole('spinbutton', { name: w.weight })).toHaveValue('130');
  });
});

test.describe('the admin changes the advisor, JavaScript off, Dutch', () => {
  test.use({ javaScriptEnabled: false, locale: 'nl-NL', viewport: { width: WIDTH, height: 740 } });

  test('edits a question, previews the draft, checks and publishes it', async ({ page }) => {
    const original = 'In welke houding slaap je meestal?';
    const edited = 'Hoe lig je meestal als je in slaap valt?';
    await page.goto('/login?next=%2Fadmin%2Fadvisors');
    await page.getByLabel('E-mailadres').fill('beheer@slaapwereld.nl');
    await page.getByLabel('Wachtwoord').fill('slaapwel-demo-beheer');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await passSecondStep(page);
    await page.goto('/admin/advisors');
    await page.getByRole('link', { name: 'Matraswijzer' }).click();
    const definition = page.getByLabel('Definitie (JSON)');
    const text = await definition.inputValue();
    expect(text).toContain(original);

    // A mistake first: refused with its place, the text kept.
    await definition.fill(text.replace('"min": 40', '"minimum": 40'));
    await page.getByRole('button', { name: 'Bewaar als concept' }).click();
    await expect(page.getByRole('alert')).toContainText('questions[1].range.minimum');
    await expect(definition).toHaveValue(/"minimum": 40/);

    // The question's words in a form: an empty one is refused next to its field.
    await page.getByRole('link', { name: `Bewerk: ${original}` }).click();
    const question = page.getByLabel('Vraag (Nederlands)', { exact: true });
    await expect(question).toHaveValue(original);
    await expect(page.getByLabel('Plaatje').first()).toHaveValue('side');
    await question.fill('');
    await page.getByLabel('Vraag (English)', { exact: true }).fill('How do you lie?');
    await page.getByRole('button', { name: 'Bewaar als concept' }).click();
    await expect(question).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Vul dit veld in.')).toBeVisible();
    await expect(page.getByLabel('Vraag (English)', { exact: true })).toHaveValue('How do you lie?');
    await fitsThePhone(page);
    await question.fill(edited);
    await page.getByLabel('Vraag (English)', { exact: true }).fill('Which position do you usually sleep in?');
    await page.getByRole('button', { name: 'Bewaar als concept' }).click();
    await expect(page).toHaveURL(/\/admin\/advisors\/matras\?saved=1$/);
    await expect(page.getByText('Het concept is bewaard.')).toBeVisible();
    await page.getByRole('link', { name: 'Controleer alle antwoordcombinaties' }).click();
    await expect(page.getByRole('heading', { name: 'Controle van het concept' })).toBeVisible();
    await expect(page.getByText(/Alle \d+ antwoordcombinaties gecontroleerd/)).toBeVisible();

    // The preview asks the draft's question; visitors still get the published one.
    await page.getByRole('link', { name: 'Probeer het concept uit' }).click();
    await expect(page.getByText('Voorbeeld van het concept')).toBeVisible();
    await expect(page.getByRole('group', { name: edited })).toBeVisible();
    await page.getByLabel('Op mijn rug', { exact: true }).check();
    await page.getByRole('button', { name: 'Volgende', exact: true }).click();
    await expect(page).toHaveURL(/\/advies\/matras\?preview=1$/);
    await expect(page.getByText('Vraag 2 van')).toBeVisible();
    const visitor = await page.context().browser()!.newPage({ javaScriptEnabled: false, locale: 'nl-NL' });
    await visitor.goto('/advies/matras');
    await expect(visitor.getByRole('group', { name: original })).toBeVisible();

    await page.goto('/admin/advisors/matras');
    await page.getByRole('button', { name: 'Publiceer het concept' }).click();
    await expect(page.getByText(/Gepubliceerd als versie \d+/)).toBeVisible();
    await visitor.goto('/advies/matras');
    await expect(visitor.getByRole('group', { name: edited })).toBeVisible();

    // Back as it was, for the other tests.
    await page.getByLabel('Definitie (JSON)').fill(text);
    await page.getByRole('button', { name: 'Bewaar als concept' }).click();
    await page.getByRole('button', { name: 'Publiceer het concept' }).click();
    await expect(page.getByText(/Gepubliceerd als versie \d+/)).toBeVisible();
    await visitor.goto('/advies/matras');
    await expect(visitor.getByRole('group', { name: original })).toBeVisible();
    await visitor.close();
  });
});
