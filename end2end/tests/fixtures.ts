import { test as base, expect, Page } from '@playwright/test';
import { createHmac } from 'node:crypto';

/** Waits until the wasm bundle has hydrated the page (JavaScript on). */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__portalHydrated === true, null, { timeout: 15_000 });
}

/** On a phone the user menu sits behind "Menu" in the header: open it, as a person would. */
export async function openMenuOnPhone(page: Page) {
  const menu = page.getByRole('banner').getByText('Menu', { exact: true });
  if (await menu.isVisible()) await menu.click();
}

/** The key the demo's staff have two-step login with (README; `server::seed`). */
export const DEMO_TWO_STEP_KEY = 'MIJNPORTAALDEMOSTAFFTWEESTAPPEN2';

function base32Bytes(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The six digits an authenticator app shows for `secret` at `atMs` (RFC 6238, SHA-1, 30 s). */
export function totpCode(secret: string, atMs = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const number = (((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3]) % 1_000_000;
  return number.toString().padStart(6, '0');
}

/**
 * After "Log in": when the portal asks for the code from the app (the demo's staff), types
 * it as a person reads it off their phone. A code works once, and the tests log the same
 * people in often: the code of the step before, this one or the next, and otherwise the
 * next step's after waiting for it.
 */
export async function passSecondStep(page: Page, secret = DEMO_TWO_STEP_KEY) {
  await page.waitForURL((url) => url.pathname !== '/login');
  if (new URL(page.url()).pathname !== '/login/code') return;
  for (let attempt = 0; attempt < 4; attempt++) {
    let at = Date.now() + [-30_000, 0, 30_000][attempt];
    if (attempt === 3) {
      // Waiting for a fresh code is not the page being slow: the test gets the time on top.
      const wait = 30_500 - (Date.now() % 30_000);
      base.info().setTimeout(base.info().timeout + wait);
      await page.waitForTimeout(wait);
      at = Date.now() + 30_000;
    }
    if (attempt > 0) await page.goto('/login/code');
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, at));
    await page.getByRole('main').getByRole('button').click();
    const wrong = page.getByText(/This code is not right|Deze code klopt niet/);
    await Promise.race([
      page.waitForURL((url) => url.pathname !== '/login/code', { timeout: 15_000 }),
      wrong.waitFor({ timeout: 15_000 }),
    ]);
    if (new URL(page.url()).pathname !== '/login/code') return;
  }
  throw new Error('the demo key\'s codes were refused');
}

/**
 * Fails the test on any browser console error, uncaught exception or failed sub-resource
 * (script, wasm, stylesheet, image): a CSP violation, a hydration panic or a missing file
 * shows up there first. The page's own status (a 404 page) is the test's business.
 */
export const test = base.extend<{ browserProblems: string[] }>({
  browserProblems: [
    async ({ page, javaScriptEnabled }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        // Chromium also logs every HTTP error status; resources are checked below instead.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
          problems.push(msg.text());
        }
      });
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('response', (res) => {
        // Server functions answer errors with 4xx on purpose; the page shows them.
        const isServerFn = new URL(res.url()).pathname.startsWith('/api/fn/');
        if (res.status() >= 400 && res.request().resourceType() !== 'document' && !isServerFn) {
          problems.push(`${res.status()} ${res.url()}`);
        }
      });
      page.on('requestfailed', (req) => {
        // With JavaScript off, Chromium refuses the preloaded hydration script and may drop
        // the preloaded wasm when the page navigates away: expected, nothing uses them.
        if (!javaScriptEnabled && /\.(js|wasm)$/.test(req.url())) return;
        // A load cut short by the page navigating or reloading is not a fault (a missing
        // file shows up above as a 4xx/5xx response).
        if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
        problems.push(`failed ${req.url()}: ${req.failure()?.errorText}`);
      });
      await use(problems);
      expect(problems, 'problems in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
