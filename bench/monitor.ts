/**
 * The security monitor at scale: 10,000,000 security events over 30 days (100,000 users, 50,000 addresses) on one
 * embedded PostgreSQL. Measures events recorded with their detection rules evaluated (16 concurrent callers), and
 * each rule's window query on its own, with its plan. The floor is the bare event insert in the same run.
 * Writes its section into docs/BENCHMARKS.md. Run: npm run bench.
 */
import os from "node:os";
import path from "node:path";
import { resetConfigForTests } from "../lib/config";
import { closeDb, createPool, getDb } from "../lib/db/client";
import { runMigrations } from "../lib/db/migrate";
import { provisionDatabase } from "../lib/db/provision";
import { detect } from "../lib/monitor/detect";
import { recordEvent } from "../lib/monitor/events";
import { activityHours, countEvents, distinctIps, loginFailureWindow } from "../lib/monitor/windows";
import { HOUR_MS, MINUTE_MS } from "../lib/time";
import { latencyStats, runConcurrently } from "./measure";
import { writeBenchmarkSection } from "./report";

const EVENTS = 10_000_000;
const USERS = 100_000;
const ADDRESSES = 50_000;
const CONCURRENCY = 16;
const RECORDINGS = 20_000;
const WINDOW_RUNS = 300;

const userId = (n: number) => `00000000-0000-4000-8000-${(n % USERS).toString(16).padStart(12, "0")}`;
const address = (n: number) => `10.${Math.floor((n % ADDRESSES) / 256)}.${n % 256}.1`;
const pick = () => Math.floor(Math.random() * USERS);

async function main() {
  process.env.SESSION_SECRET ??= "b".repeat(48);
  const database = await provisionDatabase({ ephemeral: true, durable: true, dataDir: path.resolve(".data") });
  process.env.DATABASE_URL = database.url;
  resetConfigForTests();
  try {
    await runMigrations(database.url);
    const setup = createPool(database.url, 2);
    console.log(`generating ${EVENTS.toLocaleString("en")} security events…`);
    // Loading without the indexes and building them afterwards is how a bulk load is done; the indexes are the
    // migration's own, recreated from their definitions.
    const indexes = await setup.sql<{ name: string; definition: string }[]>`
      select indexname as name, indexdef as definition from pg_indexes
      where tablename = 'security_events' and indexname <> 'security_events_pkey'`;
    for (const index of indexes) await setup.sql.unsafe(`drop index ${index.name}`);
    await setup.sql`
      insert into security_events (type, at, user_id, subject, ip, details)
      select (array['login_succeeded','session_accessed','session_created','login_failed','logout','session_evicted','policy_violation','session_accessed'])[1 + g % 8],
        now() - (g % ${30 * 86_400}) * interval '1 second',
        ('00000000-0000-4000-8000-' || lpad(to_hex(g % ${USERS}), 12, '0'))::uuid,
        'user' || (g % ${USERS}),
        '10.' || ((g % ${ADDRESSES}) / 256) || '.' || (g % 256) || '.1',
        '{}'::jsonb
      from generate_series(1, ${EVENTS}) g`;
    console.log("building indexes…");
    for (const index of indexes) await setup.sql.unsafe(index.definition);
    await setup.sql`vacuum analyze security_events`;
    // Users (password hashes unused here) and two live sessions each, for the concurrent-sessions rule.
    await setup.sql`
      insert into users (id, username, password_hash)
      select ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'user' || g, 'unused'
      from generate_series(0, ${USERS - 1}) g`;
    await setup.sql`
      insert into auth_sessions (token_hash, kind, user_id, created_at, last_activity_at, expires_at)
      select md5(g::text) || md5((g * 3)::text), 'authenticated', ('00000000-0000-4000-8000-' || lpad(to_hex(g % ${USERS}), 12, '0'))::uuid,
        now(), now(), now() + interval '1 hour'
      from generate_series(1, ${USERS * 2}) g`;
    await setup.sql`vacuum analyze auth_sessions`;
    await setup.sql.end();

    const db = getDb();
    const now = () => new Date();
    // The floor: the bare insert of one event.
    const floor = await runConcurrently(RECORDINGS, CONCURRENCY, () =>
      recordEvent(db, "session_accessed", { userId: userId(pick()), ip: address(pick()), at: now() }),
    );
    // An event with the rules it triggers, in the mix a running app records them.
    let turn = 0;
    const withRules = await runConcurrently(RECORDINGS, CONCURRENCY, async () => {
      const n = pick();
      const at = now();
      switch (turn++ % 4) {
        case 0:
          await recordEvent(db, "login_failed", { subject: `user${n}`, ip: address(n), at }, { essential: true });
          return detect(db, { kind: "login_failed", ip: address(n) }, at);
        case 1:
          await recordEvent(db, "login_succeeded", { userId: userId(n), subject: `user${n}`, ip: address(n), at }, { essential: true });
          return detect(db, { kind: "login_succeeded", userId: userId(n) }, at);
        case 2:
          await recordEvent(db, "session_accessed", { userId: userId(n), ip: address(n), at });
          return detect(db, { kind: "session_accessed", userId: userId(n), ipBinding: "subnet" }, at);
        default:
          await recordEvent(db, "policy_violation", { userId: userId(n), ip: address(n), at });
          return detect(db, { kind: "policy_violation", userId: userId(n) }, at);
      }
    });

    // Each rule's window query alone, one call at a time, with its plan (captured from the query it really ran).
    const captured: { query: string; params: unknown[] }[] = [];
    const capturing = createPool(database.url, { max: 1, onQuery: (query, params) => captured.push({ query, params }) });
    const windows: { rule: string; run: (db: typeof capturing.db, n: number) => Promise<unknown> }[] = [
      {
        rule: "failed sign-ins per address (1 h)",
        run: (q, n) => countEvents(q, { type: ["login_failed", "login_locked"], ip: address(n), since: new Date(Date.now() - HOUR_MS) }),
      },
      {
        rule: "rapid session creation (1 min)",
        run: (q, n) => countEvents(q, { type: "session_created", userId: userId(n), since: new Date(Date.now() - MINUTE_MS) }),
      },
      {
        rule: "excessive concurrent sessions (evictions, 1 h)",
        run: (q, n) => countEvents(q, { type: "session_evicted", userId: userId(n), since: new Date(Date.now() - HOUR_MS) }),
      },
      { rule: "unusual hours (30 days of activity)", run: (q, n) => activityHours(q, userId(n), new Date(), [0, 1, 2, 3, 4]) },
      { rule: "suspicious address changes (1 h)", run: (q, n) => distinctIps(q, userId(n), new Date(Date.now() - HOUR_MS)) },
      {
        rule: "repeated policy violations (1 h)",
        run: (q, n) => countEvents(q, { type: "policy_violation", userId: userId(n), since: new Date(Date.now() - HOUR_MS) }),
      },
      {
        rule: "sign-in throttle (pair, address, account: 3 queries)",
        run: (q, n) => loginFailureWindow(q, { username: `user${n}`, ip: address(n), now: new Date(), lockMs: 15 * MINUTE_MS }),
      },
    ];
    // The recordings above left work for autovacuum: done now, so it does not run in the middle of the timings.
    await capturing.sql`vacuum analyze security_events`;
    const roundTrip: number[] = [];
    for (let i = 0; i < WINDOW_RUNS; i++) {
      const started = performance.now();
      await capturing.sql`select 1`;
      roundTrip.push(performance.now() - started);
    }
    const floorTrip = latencyStats(roundTrip);
    const windowRows: string[] = [
      `| floor: \`select 1\` on the same connection | ${floorTrip.p50.toFixed(2)} ms | ${floorTrip.p99.toFixed(2)} ms | |`,
    ];
    const plans: string[] = [];
    for (const window of windows) {
      for (let i = 0; i < 20; i++) await window.run(capturing.db, pick());
      const times: number[] = [];
      for (let i = 0; i < WINDOW_RUNS; i++) {
        const started = performance.now();
        await window.run(capturing.db, pick());
        times.push(performance.now() - started);
      }
      const { p50, p99 } = latencyStats(times);
      windowRows.push(`| ${window.rule} | ${p50.toFixed(2)} ms | ${p99.toFixed(2)} ms | ${p99 < 5 ? "met" : "MISSED"} |`);
      captured.length = 0;
      await window.run(capturing.db, pick());
      for (const { query, params } of [...captured]) {
        const plan = await capturing.sql.unsafe(`explain (analyze, buffers, costs off, timing off) ${query}`, params as never[]);
        plans.push(`${window.rule}:\n\`\`\`\n${plan.map((row) => String(row["QUERY PLAN"])).join("\n")}\n\`\`\``);
      }
    }
    await capturing.sql.end();

    const eventsPerSecond = withRules.perSecond;
    const body = [
      `${EVENTS.toLocaleString("en")} security events over 30 days (${USERS.toLocaleString("en")} users, ${ADDRESSES.toLocaleString("en")} addresses); ${CONCURRENCY} concurrent callers, ${RECORDINGS.toLocaleString("en")} events each run; ${os.availableParallelism()} cores, Node ${process.version}, embedded PostgreSQL (durable: fsync on), ${new Date().toISOString().slice(0, 10)}.`,
      "",
      "| what | throughput | vs the floor | p50 | p99 |",
      "|---|---|---|---|---|",
      `| floor: one event insert | ${Math.round(floor.perSecond).toLocaleString("en")}/s | 1.00 | ${latencyStats(floor.latenciesMs).p50.toFixed(2)} ms | ${latencyStats(floor.latenciesMs).p99.toFixed(2)} ms |`,
      `| an event recorded and its rules evaluated (sign-in failures, successes, accesses, violations in turn) | ${Math.round(eventsPerSecond).toLocaleString("en")}/s | ${(eventsPerSecond / floor.perSecond).toFixed(2)} | ${latencyStats(withRules.latenciesMs).p50.toFixed(2)} ms | ${latencyStats(withRules.latenciesMs).p99.toFixed(2)} ms |`,
      "",
      `Target: ≥ 2,000 events/s with rules evaluated — ${Math.round(eventsPerSecond).toLocaleString("en")}/s, ${eventsPerSecond >= 2000 ? "met" : "MISSED"}.`,
      ...(eventsPerSecond < 2000
        ? [
            `Why: every event is its own committed insert, and on this machine the bare insert alone (the floor) manages ${Math.round(floor.perSecond).toLocaleString("en")}/s;`,
            "the rules add one to three indexed window queries per event (each well under a millisecond in PostgreSQL, see the plans),",
            "and the 16 callers, the Node process and PostgreSQL share two cores. Batching events in memory would lift the figure but",
            "lose the guarantee that a rule sees the event that triggered it, and the events of a crash; not done.",
          ]
        : []),
      "",
      `Each rule's window query, ${WINDOW_RUNS} calls one at a time for random users and addresses (target p99 < 5 ms):`,
      "",
      "| rule | p50 | p99 | < 5 ms |",
      "|---|---|---|---|",
      ...windowRows,
      "",
      ...plans,
    ].join("\n");
    console.log(body);
    writeBenchmarkSection("security monitor", body);
  } finally {
    await closeDb();
    await database.release();
  }
  process.exit(0);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
