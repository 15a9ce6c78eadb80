/**
 * What one session check costs: unsealing the cookie (with and without the verified-unseal cache) and the DAL's
 * indexed lookup by id + token hash on a table of 100,000 sessions, on a real (embedded) PostgreSQL.
 * Run: npm run bench. Writes its table into docs/BENCHMARKS.md.
 */
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { sealData, unsealData } from "iron-session";
import { parseConfig } from "../lib/config";
import { createPool } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { provisionDatabase } from "../lib/db/provision";
import { DEFAULT_POLICIES } from "../lib/policies/defaults";
import { cookieSettings, unsealSession, type SessionData } from "../lib/sessions/cookie";
import { createAuthSession, findLiveSession } from "../lib/sessions/store";
import { writeBenchmarkSection } from "./report";

async function timeIt(iterations: number, fn: () => Promise<unknown>): Promise<{ perOpMs: number; perSecond: number }> {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const elapsed = performance.now() - started;
  return { perOpMs: elapsed / iterations, perSecond: (iterations / elapsed) * 1000 };
}

async function concurrently(total: number, concurrency: number, fn: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await fn();
    }),
  );
  return (total / (performance.now() - started)) * 1000;
}

async function main() {
  const settings = cookieSettings(parseConfig({ SESSION_SECRET: "b".repeat(48) }));
  const data: SessionData = {
    sid: "7d2f1c0e-4b7a-4c59-9a0e-0f4f0e6b8d11",
    token: "t".repeat(43),
    uid: "0b9f3a52-1a8e-4f5f-8a51-3f1d2c4b5a6e",
    username: "benchmark-user",
    role: "user",
    kind: "authenticated",
    createdAt: Date.now(),
    lastActivityAt: Date.now(),
    authenticatedAt: Date.now(),
    rememberMe: false,
    ip: "203.0.113.5",
    uaf: "chrome/142/linux",
    ovr: null,
  };
  const sealed = await sealData(data, { password: settings.sealPasswords, ttl: 3600 });
  const raw = await timeIt(2000, () => unsealData(sealed, { password: settings.unsealPasswords, ttl: 0 }));
  await unsealSession(sealed, settings);
  const cached = await timeIt(20000, () => unsealSession(sealed, settings));

  const database = await provisionDatabase({ ephemeral: true, dataDir: path.resolve(".data") });
  const rows: string[] = [];
  try {
    await runMigrations(database.url);
    const pool = createPool(database.url, 16);
    await pool.db.execute(sql`
      insert into auth_sessions (token_hash, kind, created_at, last_activity_at, expires_at)
      select md5(g::text) || md5((g * 7)::text), 'anonymous', now(), now(), now() + interval '1 hour'
      from generate_series(1, 100000) g`);
    const { session, token } = await createAuthSession(pool.db, {
      userId: null,
      kind: "anonymous",
      policy: DEFAULT_POLICIES.anonymous,
      rememberMe: false,
      clientIp: null,
      userAgent: null,
      now: new Date(),
    });
    await pool.db.execute(sql`analyze auth_sessions`);
    const lookup = () => findLiveSession(pool.db, session.id, token, new Date());
    const single = await timeIt(2000, lookup);
    const parallel = await concurrently(20000, 16, lookup);
    await pool.sql.end();
    rows.push(
      `| cookie unseal (iron-session, no cache) | ${raw.perOpMs.toFixed(3)} ms | ${Math.round(raw.perSecond).toLocaleString("en")}/s |`,
      `| cookie unseal, verified-unseal cache hit | ${cached.perOpMs.toFixed(4)} ms | ${Math.round(cached.perSecond).toLocaleString("en")}/s |`,
      `| session row lookup by id + token hash, 100k rows, concurrency 1 | ${single.perOpMs.toFixed(3)} ms | ${Math.round(single.perSecond).toLocaleString("en")}/s |`,
      `| session row lookup, concurrency 16 | – | ${Math.round(parallel).toLocaleString("en")}/s |`,
    );
  } finally {
    await database.release();
  }

  const table = [
    `One process on ${os.availableParallelism()} cores, Node ${process.version}, embedded PostgreSQL, ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| step | per operation | throughput |",
    "|---|---|---|",
    ...rows,
  ].join("\n");
  console.log(table);
  writeBenchmarkSection("session check", table);
  process.exit(0);
}

void main();
