import { test as base, expect, Page } from '@playwright/test';

/** Waits until the wasm bundle has hydrated the page (JavaScript on). */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__portalHydrated === true, null, { timeout: 15_000 });
}

/**
 * Fails the test on any browser console error or uncaught exception: a CSP violation or a
 * hydration panic shows up there first.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'browser console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
