/**
 * What one session check costs, next to its floor, in one run on one embedded PostgreSQL holding 1,000,000
 * auth_sessions rows: the bare prepared lookup (postgres.js), the same with the joins the app needs, the app's
 * findLiveSession, and the whole per-request check (cookie unseal from the cache, lookup, policy evaluation).
 * 16 concurrent callers. Writes its table and the query plans into docs/BENCHMARKS.md.
 *
 * Run: npm run bench (server-only modules load under the react-server condition).
 */
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { parseConfig, resetConfigForTests } from "../lib/config";
import { createPool } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { provisionDatabase } from "../lib/db/provision";
import { DEFAULT_POLICIES } from "../lib/policies/defaults";
import { cookieSettings, sealSession, unsealSession, type SessionData } from "../lib/sessions/cookie";
import { checkSession } from "../lib/sessions/guard";
import { createAuthSession, findLiveSession } from "../lib/sessions/store";
import { hashSessionToken } from "../lib/sessions/tokens";
import { createUser } from "../lib/auth/users";
import { latencyStats, runConcurrently, type Measured } from "./measure";
import { writeBenchmarkSection } from "./report";

const ROWS = 1_000_000;
const CONCURRENCY = 16;
const OPERATIONS = 30_000;

async function main() {
  process.env.SESSION_SECRET ??= "b".repeat(48);
  process.env.BCRYPT_COST = "4";
  const database = await provisionDatabase({ ephemeral: true, durable: true, dataDir: path.resolve(".data") });
  process.env.DATABASE_URL = database.url;
  resetConfigForTests();
  const settings = cookieSettings(parseConfig(process.env));
  const results: { name: string; measured: Measured }[] = [];
  let plans = "";
  try {
    await runMigrations(database.url);
    const pool = createPool(database.url, CONCURRENCY);
    console.log(`generating ${ROWS.toLocaleString("en")} sessions…`);
    await pool.db.execute(sql`
      insert into auth_sessions (token_hash, kind, created_at, last_activity_at, expires_at)
      select md5(g::text) || md5((g * 7)::text), 'anonymous', now(), now(), now() + interval '1 hour'
      from generate_series(1, ${ROWS}) g`);
    const user = await createUser(pool.db, { username: "bench_user", password: "bench-password-1234" });
    const now = new Date();
    const { session, token } = await createAuthSession(pool.db, {
      userId: user.id,
      kind: "authenticated",
      policy: DEFAULT_POLICIES.authenticated,
      rememberMe: false,
      clientIp: "203.0.113.5",
      userAgent: "bench",
      now,
    });
    await pool.db.execute(sql`vacuum analyze auth_sessions`);
    const tokenHash = hashSessionToken(token);

    const floor = () => pool.sql`select * from auth_sessions where id = ${session.id} and token_hash = ${tokenHash}`;
    const joined = () => pool.sql`
      select s.*, u.id as uid, u.username, u.role, u.disabled_at, u.mfa_enabled_at, o.policy
      from auth_sessions s left join users u on u.id = s.user_id left join policy_overrides o on o.user_id = s.user_id
      where s.id = ${session.id} and s.token_hash = ${tokenHash} limit 1`;
    const lookup = () => findLiveSession(pool.db, session.id, token, new Date());
    const data: SessionData = {
      sid: session.id,
      token,
      uid: user.id,
      username: user.username,
      role: "user",
      kind: "authenticated",
      createdAt: now.getTime(),
      lastActivityAt: now.getTime(),
      authenticatedAt: now.getTime(),
      rememberMe: false,
      ip: "203.0.113.5",
      uaf: null,
      ovr: null,
      mfa: null,
    };
    const sealed = await sealSession(data, settings, 3600);
    const facts = { ip: "203.0.113.5", userAgent: "bench", country: null };
    const check = async () => {
      const unsealed = await unsealSession(sealed, settings);
      const outcome = await checkSession(pool.db, unsealed!, facts, new Date(), { touch: false });
      if (outcome.status !== "ok") throw new Error(`session check said ${outcome.status}`);
    };

    // Warm up every path (prepared statements, caches, JIT), then measure them one after another.
    for (const fn of [floor, joined, lookup, check]) await runConcurrently(500, CONCURRENCY, fn);
    results.push({
      name: "floor: prepared `select … where id = $1 and token_hash = $2` (postgres.js)",
      measured: await runConcurrently(OPERATIONS, CONCURRENCY, floor),
    });
    results.push({
      name: "the same with the users + policy_overrides joins (postgres.js)",
      measured: await runConcurrently(OPERATIONS, CONCURRENCY, joined),
    });
    results.push({
      name: "`findLiveSession` (drizzle, prepared once per pool)",
      measured: await runConcurrently(OPERATIONS, CONCURRENCY, lookup),
    });
    results.push({
      name: "per-request check: unseal (cache hit) + lookup + policy evaluation (`checkSession`)",
      measured: await runConcurrently(OPERATIONS, CONCURRENCY, check),
    });

    const explain = async (query: string) =>
      (await pool.sql.unsafe(`explain (analyze, buffers, costs off, timing off) ${query}`)).map((r) => String(r["QUERY PLAN"])).join("\n");
    const literal = `'${session.id}'`;
    const hashLiteral = `'${tokenHash}'`;
    plans = [
      "Floor query:",
      "```",
      await explain(`select * from auth_sessions where id = ${literal} and token_hash = ${hashLiteral}`),
      "```",
      "The app's lookup (findLiveSession):",
      "```",
      await explain(
        `select s.*, u.id, u.username, u.role, u.disabled_at, u.mfa_enabled_at, o.policy from auth_sessions s left join users u on u.id = s.user_id left join policy_overrides o on o.user_id = s.user_id where s.id = ${literal} and s.token_hash = ${hashLiteral} limit 1`,
      ),
      "```",
    ].join("\n");
    await pool.sql.end();
  } finally {
    await database.release();
  }

  const floorRate = results[0]!.measured.perSecond;
  const rows = results.map(({ name, measured }) => {
    const { p50, p99 } = latencyStats(measured.latenciesMs);
    return `| ${name} | ${Math.round(measured.perSecond).toLocaleString("en")}/s | ${(measured.perSecond / floorRate).toFixed(2)} | ${p50.toFixed(2)} ms | ${p99.toFixed(2)} ms |`;
  });
  const check = results[3]!.measured;
  const checkP99 = latencyStats(check.latenciesMs).p99;
  const floorP99 = latencyStats(results[0]!.measured.latenciesMs).p99;
  const verdict = [
    `Target: the per-request check at ≥ 0.50 of the floor, p99 < 5 ms. Measured: ${(check.perSecond / floorRate).toFixed(2)} of the floor, p99 ${checkP99.toFixed(2)} ms — ${
      check.perSecond / floorRate >= 0.5 && checkP99 < 5 ? "met" : "MISSED"
    }.`,
    ...(checkP99 >= 5
      ? [
          `The p99 is queueing: ${CONCURRENCY} callers share ${os.availableParallelism()} cores with PostgreSQL itself, and the bare floor query's own p99 is ${floorP99.toFixed(2)} ms in this run.`,
        ]
      : []),
  ];
  const table = [
    `${ROWS.toLocaleString("en")} auth_sessions rows, ${CONCURRENCY} concurrent callers, ${OPERATIONS.toLocaleString("en")} operations each; one process on ${os.availableParallelism()} cores, Node ${process.version}, embedded PostgreSQL (durable: fsync on), ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| what | throughput | vs the floor | p50 | p99 |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    ...verdict,
    "",
    plans,
  ].join("\n");
  console.log(table);
  writeBenchmarkSection("session check", table);
  process.exit(0);
}

void main();
