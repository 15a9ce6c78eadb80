import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeEphemeralDataDir, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded";
import { runToEnd } from "./support/process-tree";
import { ROOT, startServer, type RunningServer } from "./support/server";
import { expect, LoginPage, test } from "./support/fixtures";

/**
 * The production shape of docs/DEPLOY.md: the standalone build, copied away from the repository (so nothing can
 * quietly come from its node_modules), migrated by its own migrate.js and served by its own server.js, against
 * an external PostgreSQL — a second server the app knows only by its DATABASE_URL.
 */
test.describe.configure({ mode: "default" });
const port = 3110;
const baseURL = `http://127.0.0.1:${port}`;
let folder: string;
let database: EmbeddedServer;
let server: RunningServer | undefined;
let env: Record<string, string>;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const built = path.join(ROOT, ".next", "standalone");
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "growbal-standalone-"));
  fs.cpSync(built, folder, { recursive: true, verbatimSymlinks: true });
  database = await startEmbeddedPostgres({ dataDir: makeEphemeralDataDir(), password: randomBytes(12).toString("hex"), ephemeral: true });
  env = {
    // Only what an operator sets: nothing inherited from the test run's own server.
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    APP_URL: baseURL,
    PORT: String(port),
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    CRON_SECRET: randomBytes(24).toString("base64url"),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
    SEED_DEMO_USERS: "true",
    TRUSTED_PROXY_HOPS: "0",
  };
});

test.afterAll(async () => {
  await server?.stop();
  await database?.release();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

test("the standalone build migrates (twice at once), serves with request ids, signs in and stops cleanly", async ({ browser }) => {
  test.setTimeout(240_000);
  // Two instances' migration steps at once: they take turns under the advisory lock, and both succeed.
  const migrations = await Promise.all(
    [1, 2].map(() => runToEnd(process.execPath, [path.join(folder, "migrate.js")], { cwd: os.tmpdir(), env, timeoutMs: 120_000 })),
  );
  for (const run of migrations) expect(run.status, run.stderr).toBe(0);
  expect(migrations.map((m) => m.stdout).join("")).toContain("database is up to date");

  server = await startServer({
    command: ["node", path.join(folder, "server.js")],
    baseURL,
    env,
    log: "e2e-server-standalone.log",
    timeoutMs: 120_000,
  });

  const ready = await fetch(`${baseURL}/api/health?ready=1`, { headers: { "x-request-id": "chosen-by-the-client-1" } });
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ checks: { database: "ok", migrations: "ok", sessionSecret: "ok" } });
  // No trusted proxy: the client's id is replaced by one of the server's own.
  const requestId = ready.headers.get("x-request-id");
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn("demo", "demo-password-123");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await context.close();

  await server.stop();
  expect(await server.exited, "SIGTERM stops the server cleanly").toBe(0);
  server = undefined;

  // The request is findable in the JSON log by the id its response carried, and the sign-in is there as an event.
  const lines = fs
    .readFileSync(path.join(ROOT, "test-results", "e2e-server-standalone.log"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.find((l) => l.reqId === requestId)).toMatchObject({ msg: "request", method: "GET", path: "/api/health", status: 200 });
  const signIn = lines.find((l) => l.event === "login_succeeded");
  expect(signIn).toMatchObject({ level: "info", msg: "security event" });
  expect(typeof signIn?.reqId).toBe("string");
  expect(lines.some((l) => l.reqId === signIn?.reqId && l.msg === "request" && l.method === "POST")).toBe(true);
});
