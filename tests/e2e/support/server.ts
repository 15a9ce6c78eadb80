import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "node_modules", ".bin");

export type RunningServer = { process: ChildProcess; exited: Promise<number>; stop(): Promise<void> };

/** Starts a server command with its output in test-results/<log>, resolving once /api/health answers. */
export async function startServer(options: {
  command: string[];
  baseURL: string;
  env: Record<string, string>;
  log: string;
  timeoutMs?: number;
}): Promise<RunningServer> {
  fs.mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const logFile = path.join(ROOT, "test-results", options.log);
  const log = fs.openSync(logFile, "w");
  const [command, ...args] = options.command;
  const child = spawn(executable(command!), args, {
    cwd: ROOT,
    // Servers log at info whatever the runner's own level (the log audit and the log tests read their lines).
    env: { ...process.env, LOG_LEVEL: "info", ...options.env, PATH: `${BIN}:${process.env.PATH}` },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  };
  try {
    await waitForHealth(`${options.baseURL}/api/health`, exited, options.timeoutMs ?? 300_000);
  } catch (error) {
    await stop();
    console.error(fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"));
    throw error;
  }
  return { process: child, exited, stop };
}

/** `node` is this Node.js; `npm` is looked up on PATH; anything else is a project binary. */
function executable(command: string): string {
  if (command === "node") return process.execPath;
  if (command === "npm") return command;
  return path.join(BIN, command);
}

async function waitForHealth(url: string, exited: Promise<number>, timeoutMs: number): Promise<void> {
  let exitCode: number | null = null;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== null) throw new Error(`the server exited with code ${exitCode} before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server at ${url} did not become healthy within ${timeoutMs / 1000}s`);
}

/** The commands `npm start` runs: the launcher (database, migrations, build) and the server behind it. */
export const LAUNCHER = ["node", "--import", "tsx", "scripts/with-db.ts"];
export const SERVER = ["node", "--import", "tsx", "scripts/serve.ts"];

/** Nothing configured, as on a fresh clone: no DATABASE_URL, secrets, APP_URL or NODE_ENV. */
export const FRESH_CLONE_ENV = {
  DATABASE_URL: "",
  SESSION_SECRET: "",
  CRON_SECRET: "",
  MFA_ENCRYPTION_KEY: "",
  APP_URL: "",
  NODE_ENV: "",
  ENABLE_TEST_CLOCK: "",
  TRUSTED_PROXY_HOPS: "",
  SEED_DEMO_USERS: "",
};

/** The anonymous quotas as shipped: every browser of a test run reaches the server from one address. */
export const ANONYMOUS_DEFAULTS_ENV = { SESSION_POLICY_OVERRIDES: "{}", ANONYMOUS_CHATS_PER_HOUR: "10", ANONYMOUS_MESSAGES_PER_HOUR: "60" };

/**
 * Settings every e2e server shares: the test clock and one trusted proxy hop (tests set X-Forwarded-For). Every test
 * browser comes from the same address, so the per-network anonymous quotas are lifted here and tested on a server
 * of their own (anonymous-quota.spec.ts).
 */
export const E2E_SERVER_ENV = {
  NODE_ENV: "test",
  ENABLE_TEST_CLOCK: "true",
  TRUSTED_PROXY_HOPS: "1",
  SEED_DEMO_USERS: "true",
  SESSION_POLICY_OVERRIDES: JSON.stringify({ anonymous: { maxConcurrentSessions: 1000 } }),
  ANONYMOUS_CHATS_PER_HOUR: "1000000",
  ANONYMOUS_MESSAGES_PER_HOUR: "1000000",
};
