import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Flags for Debian's Chromium as root on a machine with no network but loopback.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 120_000,
    // Computes the determinism script's bytes in Node for every project (test/determinism).
    globalSetup: ['./test/determinism/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          // *.browser.test.ts need the chromium project's globalSetup (tunnel and servers).
          exclude: ['test/**/*.browser.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'chromium',
          // Known-answer tests run in the browser too; *.node.test.ts use node:crypto or sockets.
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.node.test.ts'],
          globalSetup: ['./test/browser/tunnel.global-setup.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
