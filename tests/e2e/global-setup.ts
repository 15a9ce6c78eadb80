import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { provisionDatabase } from "@/lib/db/provision";

/**
 * A fresh database and a production server for the run. Playwright's `webServer` starts before global setup, so
 * the tests could not learn its database; here the tests get DATABASE_URL (to create their own users) and the
 * server gets the same database through scripts/with-db.ts (migrations, demo accounts, build when needed).
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL ?? "http://localhost:3100";
  const port = new URL(baseURL).port;
  const root = path.resolve(__dirname, "../..");

  const database = await provisionDatabase({
    externalUrl: process.env.DATABASE_URL?.trim() || undefined,
    ephemeral: true,
    dataDir: path.join(root, ".data"),
  });
  process.env.DATABASE_URL = database.url;
  if (database.secrets) {
    process.env.SESSION_SECRET = database.secrets.SESSION_SECRET;
    process.env.CRON_SECRET = database.secrets.CRON_SECRET;
  }

  fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
  const logFile = path.join(root, "test-results", "e2e-server.log");
  const log = fs.openSync(logFile, "w");
  const server = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/with-db.ts", "--build-if-needed", "--", "next", "start", "-p", port], {
    cwd: root,
    env: { ...process.env, PORT: port, APP_URL: baseURL, SEED_DEMO_USERS: "true", PATH: `${path.join(root, "node_modules", ".bin")}:${process.env.PATH}` },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number>((resolve) => server.on("exit", (code) => resolve(code ?? 1)));

  try {
    await waitForHealth(`${baseURL}/api/health`, exited, 300_000);
  } catch (error) {
    server.kill("SIGTERM");
    await database.stop();
    console.error(fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"));
    throw error;
  }

  return async () => {
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    await database.stop();
  };
}

async function waitForHealth(url: string, exited: Promise<number>, timeoutMs: number): Promise<void> {
  let serverExit: number | null = null;
  void exited.then((code) => (serverExit = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (serverExit !== null) throw new Error(`the e2e server exited with code ${serverExit} before it was ready`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the e2e server did not become healthy within ${timeoutMs / 1000}s`);
}
