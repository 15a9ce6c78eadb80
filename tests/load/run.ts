/**
 * `npm run test:load`: LOAD_USERS simulated people (default 200) use a production server for LOAD_SECONDS
 * (default 60) — sign in, start a chat, send messages, read the dashboard, again and again — and then the
 * database is checked against what each of them was told. Fails (exit 1) on any 5xx or missing response, any
 * failure reported inside a 200, any unexpected sign-out, and any database check that does not hold.
 *
 * Its own world: a fresh database (a temporary embedded PostgreSQL, or a throw-away database on DATABASE_URL's
 * server), the server started through the launcher as `npm start` does, on its own port (LOAD_PORT, 3120), with
 * its log in test-results/load-server.log. Only loopback traffic; everything is stopped at the end.
 *
 * Run: node --import tsx tests/load/run.ts   (see the README's "Load test" for the knobs)
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { hash } from "bcryptjs";
import { parseConfig } from "../../lib/config";
import { createPool } from "../../lib/db/client";
import { provisionDatabase, type ProvisionedDatabase } from "../../lib/db/provision";
import { generateSecrets } from "../../lib/local-secrets";
import { cookieSettings } from "../../lib/sessions/cookie";
import { loginFormFields } from "../e2e/support/login-form";
import { E2E_SERVER_ENV, FRESH_CLONE_ENV, LAUNCHER, ROOT, SERVER, startServer, type RunningServer } from "../e2e/support/server";
import { Metrics, NO_RESPONSE } from "./metrics";
import { verifyDatabase, type LoadUserRow } from "./verify";
import { VirtualUser, type Topic } from "./virtual-user";

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

const USERS = intEnv("LOAD_USERS", 200, 1, 5000);
const SECONDS = intEnv("LOAD_SECONDS", 60, 1, 3600);
/** A person's pause between steps, on average. */
const THINK_MS = intEnv("LOAD_THINK_MS", 1000, 0, 60_000);
const MESSAGES_PER_CHAT = intEnv("LOAD_MESSAGES_PER_CHAT", 3, 1, 100);
const PORT = intEnv("LOAD_PORT", 3120, 1024, 65_535);
/** Users start spread over the first part of the run, as people arrive, not all in the same millisecond. */
const RAMP_MS = Math.min(10_000, (SECONDS * 1000) / 4);
/** One request may take this long before it counts as "no response"; it also bounds how far a run overruns. */
const REQUEST_TIMEOUT_MS = 30_000;

const BASE_URL = `http://localhost:${PORT}`;
const PASSWORD = "load-test-password-1";
const LOG = "load-server.log";

/** Each user cycles through three of these, so chats are both started and reused (same country and service). */
const TOPICS: Topic[] = [
  { country: "AE", serviceType: "company-formation" },
  { country: "SG", serviceType: "tax" },
  { country: "DE", serviceType: "banking" },
  { country: "GB", serviceType: "legal" },
  { country: "CA", serviceType: "immigration" },
  { country: "NL", serviceType: "accounting" },
  { country: "PT", serviceType: "real-estate" },
  { country: "KE", serviceType: "advisory" },
];

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Users straight into the database, one statement: one cost-4 bcrypt hash shared by all (the server's cost too). */
async function createUsers(databaseUrl: string, count: number): Promise<LoadUserRow[]> {
  const pool = createPool(databaseUrl, 1);
  try {
    const passwordHash = await hash(PASSWORD, 4);
    const rows = await pool.sql<LoadUserRow[]>`
      insert into users (username, password_hash)
      select 'load_' || lpad(g::text, 5, '0'), ${passwordHash} from generate_series(0, ${count - 1}) g
      returning id, username`;
    return [...rows].sort((a, b) => a.username.localeCompare(b.username));
  } finally {
    await pool.sql.end();
  }
}

async function main(): Promise<number> {
  if (!(await portIsFree(PORT))) {
    console.error(`Port ${PORT} is in use; stop what runs there or set LOAD_PORT.`);
    return 2;
  }
  console.log(`load test: ${USERS} users for ${SECONDS} s (think ~${THINK_MS} ms, ${MESSAGES_PER_CHAT} messages per chat) on ${BASE_URL}`);

  let database: ProvisionedDatabase | undefined;
  let server: RunningServer | undefined;
  let stopRequested = false;
  const onSignal = () => {
    console.error("\nstopping early (signal); cleaning up…");
    stopRequested = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    database = await provisionDatabase({
      externalUrl: process.env.DATABASE_URL?.trim() || undefined,
      ephemeral: true,
      dataDir: path.join(ROOT, ".data"),
    });
    const secrets = generateSecrets();
    // What `npm start` gets in production (other variables in this environment reach it too), plus the trusted
    // proxy hop the e2e servers use (each simulated user sends its own X-Forwarded-For) and the users' bcrypt
    // cost, so sign-ins do not rehash every password.
    const serverEnv: Record<string, string> = {
      ...FRESH_CLONE_ENV,
      NODE_ENV: "production",
      TRUSTED_PROXY_HOPS: E2E_SERVER_ENV.TRUSTED_PROXY_HOPS,
      SEED_DEMO_USERS: "false",
      PORT: String(PORT),
      APP_URL: BASE_URL,
      DATABASE_URL: database.url,
      SESSION_SECRET: secrets.sessionSecret,
      CRON_SECRET: secrets.cronSecret,
      MFA_ENCRYPTION_KEY: secrets.mfaEncryptionKey,
      BCRYPT_COST: "4",
      // The built-in offline assistant: a load test must never send 200 users' messages to a paid model API.
      ASSISTANT_API_URL: "",
    };
    // The server's configuration exactly: startServer passes this process's environment, then serverEnv.
    const config = parseConfig({ ...process.env, ...serverEnv });

    console.log(`starting the server (build if needed; log in test-results/${LOG})…`);
    server = await startServer({
      command: [...LAUNCHER, "--build-if-needed", "--", ...SERVER],
      baseURL: BASE_URL,
      env: serverEnv,
      log: LOG,
    });
    if (stopRequested) return 130;

    const users = await createUsers(database.url, USERS);
    const metrics = new Metrics();
    const startedAt = Date.now();
    const deadline = startedAt + SECONDS * 1000;
    const target = {
      baseURL: BASE_URL,
      cookieName: cookieSettings(config).name,
      loginFields: await loginFormFields(BASE_URL, { "x-forwarded-for": "10.19.0.1" }),
      password: PASSWORD,
      metrics,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      thinkMs: THINK_MS,
      messagesPerChat: MESSAGES_PER_CHAT,
      deadline: () => (stopRequested ? 0 : deadline),
    };
    const clients = users.map(
      (user, i) =>
        new VirtualUser(
          i,
          user.username,
          [0, 1, 2].map((k) => TOPICS[(i + k) % TOPICS.length]!),
          target,
        ),
    );

    const progress = setInterval(() => {
      const elapsed = Math.round((Date.now() - startedAt) / 1000);
      console.log(`  ${elapsed} s: ${metrics.count(() => true)} requests, ${metrics.count((s) => s >= 500 || s === NO_RESPONSE)} failed`);
    }, 10_000);
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          await new Promise((r) => setTimeout(r, (i * RAMP_MS) / USERS));
          await client.run();
        }),
      );
    } finally {
      clearInterval(progress);
    }
    const elapsedS = (Date.now() - startedAt) / 1000;

    const pool = createPool(database.url, 2);
    let verification;
    try {
      verification = await verifyDatabase(pool.db, { users, clients, policySettings: config.policySettings });
    } finally {
      await pool.sql.end();
    }

    const requests = metrics.count(() => true);
    const serverErrors = metrics.count((s) => s >= 500);
    const noResponse = metrics.count((s) => s === NO_RESPONSE);
    const other4xx = metrics.count((s) => s >= 400 && s < 500);
    console.log(`\n${requests} requests in ${elapsedS.toFixed(1)} s (${(requests / elapsedS).toFixed(0)}/s) from ${USERS} users\n`);
    for (const line of metrics.table()) console.log(`  ${line}`);
    console.log(`\n5xx: ${serverErrors} · no response: ${noResponse} · 4xx: ${other4xx}`);
    console.log(
      `sign-ins: ${clients.reduce((n, c) => n + c.signIns, 0)} · users still signed in at the end: ${clients.filter((c) => c.signedIn).length}`,
    );
    for (const [what, n] of metrics.notices) console.log(`notice: ${what} ×${n}`);
    for (const fact of verification.facts) console.log(`database: ${fact}`);

    const problems = [...metrics.problems.map((p) => `${p.route} (user ${p.user}): ${p.what}`), ...verification.failures];
    if (problems.length === 0) {
      console.log("\nPASS");
      return 0;
    }
    console.log(`\nFAIL: ${problems.length} problem(s)`);
    for (const [problem, n] of tally(problems).slice(0, 30)) console.log(`  ${n > 1 ? `${n}× ` : ""}${problem}`);
    printServerErrors();
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await server?.stop();
    await database?.release();
  }
}

/** Identical problems once, with a count, most frequent first. */
function tally(lines: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const key = line.replace(/\(user \d+\)/, "(user …)");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/** The server's own account of what went wrong, to go with a failed run. */
function printServerErrors(): void {
  const file = path.join(ROOT, "test-results", LOG);
  if (!fs.existsSync(file)) return;
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => /error|failed|unavailable|timeout/i.test(l));
  if (lines.length === 0) return;
  console.log(`\nserver log (test-results/${LOG}), ${lines.length} error line(s), the first 20:`);
  for (const line of lines.slice(0, 20)) console.log(`  ${line}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
