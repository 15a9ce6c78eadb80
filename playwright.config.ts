import fs from "node:fs";
import { defineConfig } from "@playwright/test";

// The runner's own log (fixtures raise alerts and sign in through the app's code): errors only, not every event.
process.env.LOG_LEVEL ||= "error";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
// 127.0.0.1 rather than localhost: the browser and API clients then reach the server over the same address.

// Debian's Chromium (npx playwright install cannot download here); Playwright's own browser when it is absent.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const executablePath = fs.existsSync(chromiumPath) ? chromiumPath : undefined;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  // Generous: the suite must pass on a shared, busy machine (several browser contexts per test, bcrypt at cost 12).
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // Starts a fresh database and `next start` for the run (see the file for why not `webServer`).
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        // Desktop Chrome's size, but the browser's own user agent: Chromium sends some requests (Next.js
        // prefetches while a page changes) without a context's user-agent override, and an admin session's
        // browser binding would rightly end on the mismatch.
        browserName: "chromium",
        viewport: { width: 1280, height: 720 },
        deviceScaleFactor: 1,
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
});
