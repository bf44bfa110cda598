import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { test, expect, waitForHydration, Page, passSecondStep } from './fixtures';
import { mailDir } from './mailbox';

// Track & trace as a customer, a guest and the carrier see it. The demo's parcels:
// WS-240322 (DHL, out for delivery today), WS-240305 (DPD, delivery failed),
// WS-240298 (PostNL, two days late), WS-240315 (PostNL, on its way), WS-240310 (two
// parcels, delivered to postcode 3572 AS).

const dataDir = process.env.E2E_DATA_DIR ?? path.resolve(__dirname, '../../data/e2e');
const serverBin =
  process.env.E2E_SERVER_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(process.env.HOME ?? '', '.cache/mijn-portaal/target'), 'debug/server');

const secrets = new Map<string, string>();

/** The carrier's signing secret, made with the CLI the way an operator would. */
function carrierSecret(carrier: string): string {
  if (!secrets.has(carrier)) {
    const out = execFileSync(serverBin, ['carrier-secret', carrier], {
      env: { ...process.env, DATABASE_URL: `sqlite://${dataDir}/portal.db`, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      cwd: path.resolve(__dirname, '../..'),
    }).toString();
    const secret = out.match(/whsec_\S+/)?.[0];
    if (!secret) throw new Error(`no secret in: ${out}`);
    secrets.set(carrier, secret);
  }
  return secrets.get(carrier)!;
}

/** POSTs carrier events signed as Standard Webhooks, as the carrier would. */
async function pushEvent(page: Page, carrier: string, trackingNumber: string, code: string) {
  const body = JSON.stringify({ events: [{ tracking_number: trackingNumber, code, occurred_at: new Date().toISOString() }] });
  const id = `msg_${crypto.randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const key = Buffer.from(carrierSecret(carrier).slice('whsec_'.length), 'base64');
  const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  const res = await page.request.post(`/webhooks/carriers/${carrier}`, {
    data: body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
  });
  expect(res.status(), await res.text()).toBe(200);
}

async function logIn(page: Page, next: string, js: boolean, t: { email: string; password: string; login: string }) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (js) await waitForHydration(page);
  await page.getByLabel(t.email).fill('anna@example.nl');
  await page.getByLabel(t.password).fill('slaapwel-demo-klant');
  await page.getByRole('button', { name: t.login }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace('?', '\\?')}$`));
}

const nl = { email: 'E-mailadres', password: 'Wachtwoord', login: 'Inloggen' };
const en = { email: 'E-mail address', password: 'Password', login: 'Log in' };

function parcelCard(page: Page, name: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
}

test.describe('following a parcel, JavaScript on, Dutch', () => {
  test.use({ locale: 'nl-NL' });

  test('the courier delivers and the page says so at once', async ({ page }) => {
    await logIn(page, '/account/orders/WS-240322', true, nl);
    const parcel = parcelCard(page, 'Pakket 1 van 1');
    await expect(parcel.getByText('De bezorger komt vandaag met je pakket.')).toBeVisible();
    await expect(parcel.getByText('Niet thuis? Laat het bij de buren of een afhaalpunt bezorgen.')).toBeVisible();
    await expect(parcel.getByText('OUT_FOR_DELIVERY')).toHaveCount(0);

    await pushEvent(page, 'dhl', 'JVGL0624032201', 'DELIVERED');
    await page.reload();
    await waitForHydration(page);
    await expect(parcel.getByText('Je pakket is bezorgd.')).toBeVisible();
    const timeline = parcel.getByRole('group').or(parcel.locator('details'));
    await expect(timeline.getByRole('listitem').first()).toContainText('Bezorgd');
    await expect(page.getByRole('link', { name: 'Bezorging wijzigen' })).toHaveCount(0);
  });
});

test.describe('following a parcel, JavaScript off, English', () => {
  test.use({ locale: 'en-GB', javaScriptEnabled: false, viewport: { width: 360, height: 740 } });

  test('a failed delivery, then out for delivery, then delivered', async ({ page }) => {
    await logIn(page, '/account/orders/WS-240305', false, en);
    const parcel = parcelCard(page, 'Parcel 1 of 1');
    await expect(parcel.getByText('The courier tried to deliver your parcel, but that did not work.')).toBeVisible();
    await expect(parcel.getByText('The carrier tries again on the next working day.')).toBeVisible();
    await expect(parcel.getByRole('link', { name: 'Change the delivery' })).toBeVisible();

    await pushEvent(page, 'dpd', '05212400305001', 'OUT_FOR_DELIVERY');
    await page.reload();
    await expect(parcel.getByText('The courier is bringing your parcel today.')).toBeVisible();
    await pushEvent(page, 'dpd', '05212400305001', 'DELIVERED');
    await page.reload();
    await expect(parcel.getByText('Your parcel has been delivered.')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
  });
});

test.describe('the late parcel message', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: false });
  test('arrives once, and the overview shows the parcel first', async ({ page }) => {
    const subject = 'Vertraagd: je bestelling WS-240298';
    const deadline = Date.now() + 15_000;
    const matching = () =>
      fs.existsSync(mailDir())
        ? fs.readdirSync(mailDir()).filter((f) => f.endsWith('.eml') && fs.readFileSync(path.join(mailDir(), f), 'utf8').includes(subject))
        : [];
    while (matching().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(matching()).toHaveLength(1);
    const mail = fs.readFileSync(path.join(mailDir(), matching()[0]), 'utf8');
    expect(mail).toContain('anna@example.nl');
    expect(mail).not.toMatch(/\b[0-9]{1,2}\b Zending/);

    await page.goto('/dev/mail');
    await expect(page.getByRole('link', { name: subject })).toHaveCount(1);

    await logIn(page, '/account', false, nl);
    const attention = page.getByRole('region', { name: 'Even je aandacht' });
    await expect(attention.getByText('Je pakket doet er langer over dan we beloofden, sorry.')).toBeVisible();
    await attention.getByRole('link', { name: 'Open bestelling WS-240298' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bestelling WS-240298' })).toBeVisible();
  });
});

for (const j of [
  { js: true, locale: 'en-GB', order: 'WS-240298', t: en, link: 'Change the delivery', what: 'Deliver on another day', day: 'Day', submit: 'Send my wish', past: 'Choose a day after today.', done: 'Change requested: we pass it on to the carrier' },
  { js: false, locale: 'nl-NL', order: 'WS-240315', t: nl, link: 'Bezorging wijzigen', what: 'Op een andere dag bezorgen', day: 'Dag', submit: 'Wens versturen', past: 'Kies een dag na vandaag.', done: 'Wijziging aangevraagd: we geven het door aan de vervoerder' },
]) {
  test.describe(`asking for another delivery day, JavaScript ${j.js ? 'on' : 'off'}`, () => {
    test.use({ locale: j.locale, javaScriptEnabled: j.js });

    test('choose a day, fix a mistake, and see the request on the parcel', async ({ page }) => {
      await logIn(page, `/account/orders/${j.order}`, j.js, j.t);
      await page.getByRole('link', { name: j.link }).click();
      if (j.js) await waitForHydration(page);
      await page.getByRole('radio', { name: j.what }).check();
      await page.getByLabel(j.day, { exact: true }).fill('2020-01-01');
      await page.getByRole('button', { name: j.submit }).click();
      await expect(page.getByText(j.past)).toBeVisible();

      const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel(j.day, { exact: true }).fill(inThreeDays);
      await page.getByRole('button', { name: j.submit }).click();
      await expect(page).toHaveURL(new RegExp(`/account/orders/${j.order}\\?delivery=requested`));
      await expect(page.getByText(j.done)).toBeVisible();
      await expect(page.getByRole('link', { name: j.link })).toHaveCount(0);
    });
  });
}

for (const j of [
  { js: false, locale: 'nl-NL', number: 'Bestelnummer', postcode: 'Postcode', find: 'Laat zien waar hij is', notFound: /We vinden geen bestelling/, delivered: 'Je pakket is bezorgd.' },
  { js: true, locale: 'en-GB', number: 'Order number', postcode: 'Postcode', find: 'Show where it is', notFound: /We cannot find an order/, delivered: 'Your parcel has been delivered.' },
]) {
  test.describe(`tracking without an account, JavaScript ${j.js ? 'on' : 'off'}`, () => {
    test.use({ locale: j.locale, javaScriptEnabled: j.js });

    test('order number and postcode show where it is, nothing personal', async ({ page }) => {
      await page.goto('/track');
      if (j.js) await waitForHydration(page);
      await page.getByLabel(j.number).fill('WS-240310');
      await page.getByLabel(j.postcode).fill('1234 AB');
      await page.getByRole('button', { name: j.find }).click();
      await expect(page.getByRole('alert')).toContainText(j.notFound);

      await page.getByLabel(j.postcode).fill('3572as');
      await page.getByRole('button', { name: j.find }).click();
      await expect(page.getByText(j.delivered).first()).toBeVisible();
      await expect(page.getByText('Anna')).toHaveCount(0);
      await expect(page.getByText('Zomerdekbed', { exact: false })).toHaveCount(0);
    });
  });
}

test.describe('the retailer rewrites a status sentence', () => {
  test.use({ locale: 'nl-NL', javaScriptEnabled: false });

  test('the admin saves a sentence and customers see it', async ({ page }) => {
    await page.goto('/login?next=%2Fadmin%2Ftracking');
    await page.getByLabel('E-mailadres').fill('beheer@slaapwereld.nl');
    await page.getByLabel('Wachtwoord').fill('slaapwel-demo-beheer');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await passSecondStep(page);
    const row = page.getByRole('region', { name: 'Ligt klaar bij een afhaalpunt' });
    await row.getByLabel('Nederlandse zin').fill('Je pakket wacht op je bij {buurman}.');
    await row.getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByText('Tussen accolades kun je alleen')).toBeVisible();
    const again = page.getByRole('region', { name: 'Ligt klaar bij een afhaalpunt' });
    await again.getByLabel('Nederlandse zin').fill('Je pakket wacht op je bij {pickup_point}, tot snel!');
    await again.getByRole('button', { name: 'Opslaan' }).click();
    await expect(page.getByText('Opgeslagen. Klanten zien de nieuwe tekst meteen.')).toBeVisible();

    await page.goto('/track?order=WS-240290&postcode=3572+AS');
    await expect(page.getByText(/Je pakket wacht op je bij .+, tot snel!/).first()).toBeVisible();
  });
});
