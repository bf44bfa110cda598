import { defineConfig } from '@playwright/test';
import * as path from 'path';

// The Makefile (`make test-e2e`) picks a free port, a fresh data directory and the server
// binary; running `npx playwright test` by hand uses the same defaults as `make run`.
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.resolve(__dirname, '../data/e2e');
const serverBin =
  process.env.E2E_SERVER_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(process.env.HOME ?? '', '.cache/mijn-portaal/target'), 'debug/server');

export default defineConfig({
  testDir: './tests',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `"${serverBin}" serve --demo`,
    cwd: path.resolve(__dirname, '..'),
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite://${dataDir}/portal.db`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  },
});
