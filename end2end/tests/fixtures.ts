import { test as base, expect, Page } from '@playwright/test';

/** Waits until the wasm bundle has hydrated the page (JavaScript on). */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__portalHydrated === true, null, { timeout: 15_000 });
}

/** On a phone the user menu sits behind "Menu" in the header: open it, as a person would. */
export async function openMenuOnPhone(page: Page) {
  const menu = page.getByRole('banner').getByText('Menu', { exact: true });
  if (await menu.isVisible()) await menu.click();
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
