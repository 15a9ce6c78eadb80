/**
 * Runs a command with a database ready: `tsx scripts/with-db.ts [options] -- <command…>`.
 *
 * Without DATABASE_URL it starts the embedded PostgreSQL (data in .data/postgres, kept between runs) and generates
 * SESSION_SECRET / CRON_SECRET once into .data/secrets.json. Then it validates the configuration, applies
 * migrations, builds when asked and needed, runs the command, and stops the embedded server when the command ends
 * or on SIGINT/SIGTERM.
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
import { spawn, spawnSync } from "node:child_process";
import { loadEnvConfig } from "@next/env";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, parseConfig } from "../lib/config";
import { provisionDatabase } from "../lib/db/provision";
import { prepareDatabase, PublicDemoAccountsError } from "../lib/startup/prepare-database";

const root = path.resolve(__dirname, "..");
const dataDir = path.join(root, ".data");

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
    dataDir,
  });
  cleanups.push(() => database.stop());
  for (const notice of database.notices) console.log(`growbal: ${notice}.`);
  process.env.DATABASE_URL = database.url;
  if (database.secrets) {
    process.env.SESSION_SECRET ||= database.secrets.SESSION_SECRET;
    process.env.CRON_SECRET ||= database.secrets.CRON_SECRET;
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
  const changed = BUILD_INPUTS.some((input) => newestMtime(path.join(root, input)) > builtAt);
  if (!changed) return;
  console.log(
    builtAt ? "growbal: sources changed since the last build; building…" : "growbal: first start; building the app (about a minute)…",
  );
  // Always a production build, whatever NODE_ENV the server will run under (tests run it with NODE_ENV=test).
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" }, cwd: root });
  if (result.status !== 0) throw new Error("next build failed (see above).");
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
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      // The child gets the signal too (same process group for Ctrl-C; forwarded for SIGTERM).
      child?.kill(signal);
      if (!child) void cleanup().then(() => process.exit(130));
    });
  }

  process.env.PORT ||= "3000";
  process.env.NEXT_TELEMETRY_DISABLED ||= "1";
  const [command, ...args] = options.command;
  const serving = isServerCommand(command, args);
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
  await validConfigOrExit();
  await provideDatabase(options);
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
    if (!(error instanceof PublicDemoAccountsError)) throw error;
    console.error(error.message);
    await cleanup();
    process.exit(1);
  }
  if (options.buildIfNeeded) buildIfNeeded();

  if (serving) {
    console.log(`\nGrowbal Intelligence → ${config.appOrigin}`);
    if (seed) console.log("Demo sign-ins: demo / demo-password-123 (user) · admin / admin-password-123 (admin)\n");
  }

  child = spawn(command!, args, { stdio: "inherit", env: process.env, cwd: root, shell: false });
  const code: number = await new Promise((resolve) => {
    child!.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 1 : 1)));
    child!.on("error", (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
  });
  await cleanup();
  process.exit(code);
}

/** The app server (scripts/serve.ts) or a plain `next start|dev`. */
function isServerCommand(command: string | undefined, args: string[]): boolean {
  if (command === "next") return args[0] === "start" || args[0] === "dev";
  return command === "tsx" && args[0] === "scripts/serve.ts";
}

let child: ReturnType<typeof spawn> | undefined;

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await cleanup();
  process.exit(1);
});
