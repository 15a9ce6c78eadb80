import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getConfig } from "@/lib/config";
import { onShutdown } from "@/lib/lifecycle/shutdown-hooks";
import { socketWithDeadlines } from "./answer-deadline";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle: the same query API as `Database`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run queries: the pool or a transaction. */
export type Queryable = Database | Transaction;

type Pool = { sql: postgres.Sql; db: Database };

// One pool per process; kept on globalThis so dev hot reloads do not open a new pool each time.
const globalForDb = globalThis as unknown as { growbalPool?: Pool };

export type PoolOptions = {
  max?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Sees every query the drizzle handle runs (benchmarks and tests count them). */
  onQuery?: (query: string, params: unknown[]) => void;
};

export function createPool(url: string, options: number | PoolOptions = {}): Pool {
  const { max = 10, statementTimeoutMs, connectTimeoutMs = 10_000, onQuery } = typeof options === "number" ? { max: options } : options;
  const sql = postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)),
    // The server cancels a statement that runs too long; a server that does not answer at all (frozen) is given up
    // on by the client a second later (see answer-deadline.ts). Either way a query fails fast, never hangs.
    ...(statementTimeoutMs
      ? {
          connection: { statement_timeout: statementTimeoutMs },
          socket: socketWithDeadlines({ connectTimeoutMs, answerTimeoutMs: statementTimeoutMs + 1_000 }),
        }
      : {}),
    // Keep server NOTICEs (e.g. "relation already exists, skipping") out of the app log.
    onnotice: () => {},
  });
  return { sql, db: drizzle(sql, { schema, ...(onQuery ? { logger: { logQuery: onQuery } } : {}) }) };
}

function pool(): Pool {
  if (!globalForDb.growbalPool) {
    const url = getConfig().DATABASE_URL;
    if (!url) {
      throw new Error("DATABASE_URL is not set: start the app with `npm start` / `npm run dev`, which provide the embedded database.");
    }
    const config = getConfig();
    globalForDb.growbalPool = createPool(url, {
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    });
    onShutdown("database pool", "connections", closeDb);
  }
  return globalForDb.growbalPool;
}

export function getDb(): Database {
  return pool().db;
}

export function getSql(): postgres.Sql {
  return pool().sql;
}

/** Closes the pool (tests and scripts). */
export async function closeDb(): Promise<void> {
  const current = globalForDb.growbalPool;
  globalForDb.growbalPool = undefined;
  await current?.sql.end({ timeout: 5 });
}
