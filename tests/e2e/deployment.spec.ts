import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { createPool } from "@/lib/db/client";
import { securityEvents } from "@/lib/db/schema";
import { FRESH_CLONE_ENV, LAUNCHER, ROOT, SERVER, startServer, type RunningServer } from "./support/server";
import { expect, LoginPage, makeUser, sessionsOf, signedInBrowser, test } from "./support/fixtures";

/**
 * An instance started the way a deployment is: `npm start`'s server in production mode, no trusted proxy, on the
 * run's database as an external DATABASE_URL. The test clock is switched on as well, to show it is ignored.
 */
// One server for the file: its tests run in order in one worker.
test.describe.configure({ mode: "default" });
const port = 3102;
const baseURL = `http://127.0.0.1:${port}`;
let production: RunningServer;

test.beforeAll(async () => {
  production = await startServer({
    command: [...LAUNCHER, "--", ...SERVER],
    baseURL,
    env: { NODE_ENV: "production", ENABLE_TEST_CLOCK: "true", TRUSTED_PROXY_HOPS: "0", PORT: String(port), APP_URL: baseURL },
    log: "e2e-server-production.log",
    timeoutMs: 120_000,
  });
});

test.afterAll(async () => {
  await production?.stop();
});

/** A raw request with a Host header of our choosing (fetch does not let a caller set one). */
function statusWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

test("a client-sent X-Forwarded-For does not choose the address without a trusted proxy", async ({ browser }) => {
  const user = await makeUser();
  const forged = { "x-forwarded-for": "203.0.113.77" };
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: forged });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(user.username, "not the password");
  await expect(login.error()).toHaveText("Invalid username or password");
  await login.signIn(user.username, user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await context.close();

  const [session] = await sessionsOf(user.id);
  expect(session?.clientIp).toBe("127.0.0.1");
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const failures = await pool.db
      .select({ ip: securityEvents.ip })
      .from(securityEvents)
      .where(and(eq(securityEvents.subject, user.username), eq(securityEvents.type, "login_failed")));
    expect(failures.map((f) => f.ip)).toEqual(["127.0.0.1"]);
  } finally {
    await pool.sql.end();
  }
});

test("X-Forwarded-For arriving with TRUSTED_PROXY_HOPS=0 is logged once and shown to administrators", async ({ browser }) => {
  const probe = await fetch(`${baseURL}/api/health`, { headers: { "x-forwarded-for": "198.51.100.9" } });
  expect(probe.status).toBe(200);
  const admin = await makeUser("admin");
  const { context, page } = await signedInBrowser(browser, admin, { baseURL });
  await page.goto("/admin/security");
  await expect(page.getByTestId("proxy-warning")).toContainText("TRUSTED_PROXY_HOPS is 0");
  await context.close();
  const log = fs.readFileSync(path.join(ROOT, "test-results", "e2e-server-production.log"), "utf8");
  expect(log.match(/"level":"warn"[^\n]*"msg":"Requests arrive with X-Forwarded-For/g)).toHaveLength(1);
});

test("the test clock header is ignored in production", async ({ browser }) => {
  const user = await makeUser();
  const { context } = await signedInBrowser(browser, user, { baseURL });
  // Nine hours on, an 8-hour session would be over if the header moved the server's clock.
  const later = String(Date.now() + 9 * 3_600_000);
  const response = await context.request.get("/api/session/me", { headers: { "x-growbal-test-now": later } });
  expect(response.status()).toBe(200);
  await context.close();
});

test("a request addressed to another host is refused; the liveness probe still answers", async () => {
  expect(await statusWithHost("/login", "evil.example")).toBe(421);
  expect(await statusWithHost("/api/session/me", `evil.example:${port}`)).toBe(421);
  expect(await statusWithHost("/login", `127.0.0.1:${port}`)).toBe(200);
  expect(await statusWithHost("/api/health", "10.1.2.3:3000")).toBe(200);
});

test("the quick start: npm start on the embedded database serves the demo accounts on localhost", async ({ browser }) => {
  const quickPort = 3103;
  const quick = await startServer({
    command: [...LAUNCHER, "--ephemeral", "--", ...SERVER],
    baseURL: `http://127.0.0.1:${quickPort}`,
    env: { ...FRESH_CLONE_ENV, PORT: String(quickPort) },
    log: "e2e-server-quick-start.log",
    timeoutMs: 120_000,
  });
  try {
    // APP_URL defaults to http://localhost:PORT, which 127.0.0.1 reaches too.
    const { context } = await signedInBrowser(
      browser,
      { username: "demo", password: "demo-password-123" },
      { baseURL: `http://localhost:${quickPort}` },
    );
    const me = await context.request.get("/api/session/me");
    expect(me.status()).toBe(200);
    await context.close();
  } finally {
    await quick.stop();
  }
});
