/**
 * Runs a command with a database ready: `tsx scripts/with-db.ts [options] -- <command…>`.
 *
 * Without DATABASE_URL it starts the embedded PostgreSQL (data in .data/postgres, kept between runs) and generates
 * SESSION_SECRET / CRON_SECRET / MFA_ENCRYPTION_KEY once into .data/secrets.json (GROWBAL_DATA_DIR moves that folder). Then it validates
 * the configuration, applies migrations, builds when asked and needed, and runs the command.
 *
 * Stopping, in order: on SIGINT/SIGTERM, or when its own parent dies, it passes SIGTERM on to the command, waits for
 * it to finish (the server drains; SHUTDOWN_GRACE_MS plus a margin, then it is killed), and only then lets go of
 * the embedded database, which stops when no other command (the admin CLI, a second launcher) still uses it.
 *
 * Demo accounts (published passwords) are created only on the embedded laptop database, or when
 * SEED_DEMO_USERS=true is set on a localhost origin. With DATABASE_URL the server needs APP_URL, and on a public
 * origin start-up refuses while any demo account still has its published password.
 *
 * Options: --build-if-needed  run `next build` first when sources are newer than the last build
 *          --no-seed          skip the demo accounts
 *          --ephemeral        a throw-away database (tests): a temporary embedded server, or with DATABASE_URL a
 *                             fresh database on that server, removed afterwards
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { loadEnvConfig } from "@next/env";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { ConfigError, parseConfig } from "../lib/config";
import { provisionDatabase } from "../lib/db/provision";
import { watchParent } from "../lib/process/parent-watch";
import { prepareDatabase, PublicDemoAccountsError } from "../lib/startup/prepare-database";
import { SchemaNewerThanCode } from "../lib/db/migration-state";

const root = path.resolve(__dirname, "..");

type Options = { buildIfNeeded: boolean; seed: boolean; ephemeral: boolean; command: string[] };

function parseArgs(argv: string[]): Options {
  const separator = argv.indexOf("--");
  const flags = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  const known = new Set(["--build-if-needed", "--no-seed", "--ephemeral"]);
  const unknown = flags.filter((f) => !known.has(f));
  if (unknown.length > 0 || command.length === 0) {
    console.error(
      `usage: tsx scripts/with-db.ts [--build-if-needed] [--no-seed] [--ephemeral] -- <command…>${unknown.length ? `\nunknown option: ${unknown.join(" ")}` : ""}`,
    );
    process.exit(2);
  }
  return {
    buildIfNeeded: flags.includes("--build-if-needed"),
    seed: !flags.includes("--no-seed"),
    ephemeral: flags.includes("--ephemeral"),
    command,
  };
}

const cleanups: (() => Promise<void>)[] = [];
async function cleanup() {
  while (cleanups.length > 0) {
    const next = cleanups.pop();
    await next?.().catch((error: unknown) => console.error("cleanup:", error instanceof Error ? error.message : error));
  }
}

async function provideDatabase(options: Options): Promise<void> {
  const database = await provisionDatabase({
    externalUrl: process.env.DATABASE_URL?.trim() || undefined,
    ephemeral: options.ephemeral,
    dataDir: path.resolve(root, process.env.GROWBAL_DATA_DIR?.trim() || ".data"),
  });
  cleanups.push(() => database.release());
  for (const notice of database.notices) console.log(`growbal: ${notice}.`);
  process.env.DATABASE_URL = database.url;
  if (database.secrets) {
    process.env.SESSION_SECRET ||= database.secrets.SESSION_SECRET;
    process.env.CRON_SECRET ||= database.secrets.CRON_SECRET;
    process.env.MFA_ENCRYPTION_KEY ||= database.secrets.MFA_ENCRYPTION_KEY;
  }
}

const BUILD_INPUTS = [
  "app",
  "lib",
  "public",
  "middleware.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "package.json",
  "tsconfig.json",
  "drizzle",
  // Bundled into the standalone build (scripts/build-standalone.ts).
  "scripts/serve.ts",
  "scripts/migrate.ts",
  "scripts/build-standalone.ts",
];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function buildIfNeeded(): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const standalone = fs.existsSync(path.join(root, ".next", "standalone", "migrate.js"));
  const changed = !standalone || BUILD_INPUTS.some((input) => newestMtime(path.join(root, input)) > builtAt);
  if (!changed) return;
  console.log(
    builtAt ? "growbal: sources changed since the last build; building…" : "growbal: first start; building the app (about a minute)…",
  );
  // Always a production build, whatever NODE_ENV the server will run under (tests run it with NODE_ENV=test).
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" }, cwd: root });
  if (result.status !== 0) throw new Error("the build failed (see above).");
}

async function validConfigOrExit() {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    await cleanup();
    process.exit(1);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  // The same .env files Next.js reads, so the launcher and the app agree on DATABASE_URL and secrets.
  loadEnvConfig(root, options.command.includes("dev"), { info: () => {}, error: console.error });
  process.on("SIGINT", () => requestStop());
  process.on("SIGTERM", () => requestStop());
  watchParent(() => requestStop());

  process.env.PORT ||= "3000";
  process.env.NEXT_TELEMETRY_DISABLED ||= "1";
  const [command, ...args] = options.command;
  const serving = isServerCommand(options.command);
  const embedded = !process.env.DATABASE_URL?.trim();
  if (embedded) {
    // The laptop default is served on http://localhost unless told otherwise.
    process.env.APP_URL ||= `http://localhost:${process.env.PORT}`;
  } else if (serving && !process.env.APP_URL?.trim()) {
    console.error(
      "Invalid configuration:\n  APP_URL is required with an external DATABASE_URL (the public origin, e.g. https://growbal.example)",
    );
    process.exit(1);
  }
  // Checked before the database starts (fail fast) and again with the final environment.
  const early = await validConfigOrExit();
  if (serving && !(await portIsFree(early.PORT))) {
    console.error(`Port ${early.PORT} is already in use: is Growbal already running? Set PORT to use another one.`);
    process.exit(1);
  }
  await provideDatabase(options);
  await exitIfStopRequested();
  // `npm start` is production (unless a test run says NODE_ENV=test); `npm run dev` is development. Set after the
  // embedded default has generated its secrets, which production requires.
  if (serving)
    (process.env as Record<string, string | undefined>).NODE_ENV ||=
      args.includes("--dev") || args[0] === "dev" ? "development" : "production";

  const config = await validConfigOrExit();
  const seed = options.seed && (config.SEED_DEMO_USERS ?? embedded);
  try {
    const created = await prepareDatabase(config.DATABASE_URL!, { seedDemoUsers: seed, appOrigin: config.appOrigin });
    if (created.length > 0) console.log(`growbal: created demo accounts: ${created.join(", ")}`);
  } catch (error) {
    if (!(error instanceof PublicDemoAccountsError || error instanceof SchemaNewerThanCode)) throw error;
    console.error(`growbal: ${error.message}`);
    await cleanup();
    process.exit(1);
  }
  await exitIfStopRequested();
  if (options.buildIfNeeded) buildIfNeeded();
  await exitIfStopRequested();

  if (serving) {
    console.log(`\nGrowbal Intelligence → ${config.appOrigin}`);
    // Usernames only: passwords never go to a log, not even the published demo ones (they are in the README).
    if (seed) console.log("Demo sign-ins: demo (user) and admin (admin); their passwords are in the README's quick start.\n");
  }

  // `node` is this launcher's own Node.js, whatever else is on PATH.
  const executable = command === "node" ? process.execPath : command!;
  child = spawn(executable, args, { stdio: "inherit", env: process.env, cwd: root, shell: false });
  const code: number = await new Promise((resolve) => {
    child!.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal === "SIGKILL" ? 137 : 1)));
    child!.on("error", (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
  });
  await cleanup();
  process.exit(code);
}

/** The app server (scripts/serve.ts) or a plain `next start|dev`. */
function isServerCommand(command: string[]): boolean {
  if (command[0] === "next") return command[1] === "start" || command[1] === "dev";
  return command.includes("scripts/serve.ts");
}

let child: ChildProcess | undefined;
let stopRequested = false;

/** Stop in order: the command first (it drains), the database after it (see main's end and cleanup). */
function requestStop(): void {
  if (stopRequested) return;
  stopRequested = true;
  if (!child || child.exitCode !== null) return; // not started yet: main stops at its next step
  child.kill("SIGTERM");
  const graceMs = Number(process.env.SHUTDOWN_GRACE_MS) || 10_000;
  setTimeout(() => child?.kill("SIGKILL"), graceMs + 10_000).unref();
}

async function exitIfStopRequested(): Promise<void> {
  if (!stopRequested) return;
  await cleanup();
  process.exit(143);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await cleanup();
  process.exit(1);
});
