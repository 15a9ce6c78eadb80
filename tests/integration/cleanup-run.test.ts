import { and, count, eq, isNull, lt, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { GET as cronCleanup } from "@/app/api/cron/cleanup/route";
import { DEFAULT_BATCH_SIZE, runCleanup } from "@/lib/cleanup/run";
import { cleanupStatistics } from "@/lib/cleanup/stats";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { authSessions, cleanupRuns, securityEvents } from "@/lib/db/schema";
import { ago, HOUR, insertSession, MIN, NOW } from "./cleanup-support";
import { makeUser } from "./support";

afterEach(() => {
  delete process.env.CRON_SECRET;
  resetConfigForTests();
});

async function liveButExpired(): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(authSessions)
    .where(and(isNull(authSessions.revokedAt), lt(authSessions.expiresAt, NOW)));
  return row?.n ?? 0;
}

describe("a cleanup run", () => {
  it("seeded with every kind of stale session, leaves exactly what the policies allow and reports matching counts", async () => {
    const user = await makeUser();
    const keep = [
      await insertSession({ kind: "authenticated", userId: user.id }),
      await insertSession({ kind: "anonymous", lastActivityAt: ago(10 * MIN) }),
    ];
    await insertSession({ kind: "authenticated", userId: user.id, expiresAt: ago(1) }); // expired
    await insertSession({ kind: "anonymous", lastActivityAt: ago(31 * MIN) }); // idle
    await insertSession({ kind: "authenticated", userId: user.id, createdAt: ago(9 * HOUR), authenticatedAt: ago(9 * HOUR) }); // absolute
    await insertSession({ kind: "authenticated", userId: null }); // orphaned
    await insertSession({ kind: "anonymous", suspiciousAt: ago(MIN), suspiciousSeverity: "critical" }); // suspicious

    const result = await runCleanup({ trigger: "manual", now: NOW });
    if ("skipped" in result) throw new Error("unexpectedly skipped");
    expect(result.counts).toMatchObject({ expired: 1, idle: 1, policyViolations: 1, orphaned: 1, duplicates: 0, suspicious: 1 });
    expect(result.totalCleaned).toBe(5);
    const live = await getDb().select({ id: authSessions.id }).from(authSessions).where(isNull(authSessions.revokedAt));
    expect(live.map((r) => r.id).sort()).toEqual(keep.map((k) => k.id).sort());

    const [run] = await getDb().select().from(cleanupRuns).where(eq(cleanupRuns.id, result.runId));
    expect(run).toMatchObject({ trigger: "manual", totalCleaned: 5, error: null });
    expect(run?.counts).toEqual(result.counts);

    // Nothing is left to do.
    const again = await runCleanup({ trigger: "manual", now: NOW });
    if ("skipped" in again) throw new Error("unexpectedly skipped");
    expect(again.totalCleaned).toBe(0);
  });

  it("the interval schedulers of several instances: the first in each interval runs, the others skip", async () => {
    const interval = 30 * 60_000;
    const first = await runCleanup({ trigger: "interval", notWithinMs: interval * 0.9, now: NOW });
    expect("skipped" in first).toBe(false);
    // Another instance's timer a few minutes later, in the same interval.
    const later = new Date(NOW.getTime() + 5 * 60_000);
    expect(await runCleanup({ trigger: "interval", notWithinMs: interval * 0.9, now: later })).toEqual({ skipped: "ran recently" });
    // A run of another kind (an administrator's) does not count; the next interval runs again.
    expect("skipped" in (await runCleanup({ trigger: "admin", notWithinMs: interval * 0.9, now: later }))).toBe(false);
    const next = new Date(NOW.getTime() + interval);
    expect("skipped" in (await runCleanup({ trigger: "interval", notWithinMs: interval * 0.9, now: next }))).toBe(false);
  });

  it("two runs started at once: one does the work, the other skips, and every row is ended once", async () => {
    for (let i = 0; i < 50; i++) await insertSession({ kind: "anonymous", expiresAt: ago(HOUR) });
    const revokedBefore = await getDb().select({ n: count() }).from(authSessions).where(eq(authSessions.revokeReason, "expired"));
    const eventsBefore = await getDb().select({ n: count() }).from(securityEvents).where(eq(securityEvents.type, "session_revoked"));
    const [a, b] = await Promise.all([runCleanup({ trigger: "cron", now: NOW }), runCleanup({ trigger: "interval", now: NOW })]);
    const ran = [a, b].filter((r) => !("skipped" in r));
    expect([a, b].filter((r) => "skipped" in r)).toEqual([{ skipped: "already running" }]);
    expect(ran).toHaveLength(1);
    expect(ran[0] && "counts" in ran[0] ? ran[0].counts.expired : -1).toBe(50);
    const revoked = await getDb().select({ n: count() }).from(authSessions).where(eq(authSessions.revokeReason, "expired"));
    expect((revoked[0]?.n ?? 0) - (revokedBefore[0]?.n ?? 0)).toBe(50);
    // One event per ended session, each written once.
    const eventsAfter = await getDb().select({ n: count() }).from(securityEvents).where(eq(securityEvents.type, "session_revoked"));
    expect((eventsAfter[0]?.n ?? 0) - (eventsBefore[0]?.n ?? 0)).toBe(50);
  });

  it("cleans 100,000 expired rows in batches that never exceed the batch size", async () => {
    // The set-up is one large statement: on a busy machine it may take longer than the app's statement timeout.
    await getDb().transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      await tx.execute(sql`
        insert into auth_sessions (token_hash, kind, created_at, last_activity_at, expires_at)
        select md5(random()::text || g::text) || md5(g::text), 'anonymous', ${ago(3 * HOUR).toISOString()}::timestamptz,
               ${ago(3 * HOUR).toISOString()}::timestamptz, ${ago(HOUR).toISOString()}::timestamptz
        from generate_series(1, 100000) g`);
    });
    const batches: { category: string; rows: number }[] = [];
    const result = await runCleanup({ trigger: "manual", now: NOW, onBatch: (category, rows) => batches.push({ category, rows }) });
    if ("skipped" in result) throw new Error("unexpectedly skipped");
    expect(result.counts.expired).toBe(100_000);
    const expiredBatches = batches.filter((b) => b.category === "expired");
    expect(expiredBatches.length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...batches.map((b) => b.rows))).toBeLessThanOrEqual(DEFAULT_BATCH_SIZE);
    expect(await liveButExpired()).toBe(0);
  }, 120_000);
});

describe("GET /api/cron/cleanup", () => {
  const call = (authorization?: string) =>
    cronCleanup(new Request("http://localhost/api/cron/cleanup", { headers: authorization ? { authorization } : {} }));

  it("is a configuration error without CRON_SECRET, never a bypass", async () => {
    delete process.env.CRON_SECRET;
    resetConfigForTests();
    const response = await call("Bearer anything");
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe("misconfigured");
  });

  it("refuses a missing or wrong bearer token and runs with the right one", async () => {
    process.env.CRON_SECRET = "the-cron-secret-for-tests";
    resetConfigForTests();
    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret")).status).toBe(401);
    expect((await call("the-cron-secret-for-tests")).status).toBe(401);
    await insertSession({
      kind: "anonymous",
      expiresAt: new Date(Date.now() - HOUR),
      createdAt: new Date(Date.now() - 2 * HOUR),
      lastActivityAt: new Date(Date.now() - 2 * HOUR),
    });
    const response = await call("Bearer the-cron-secret-for-tests");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ trigger: "cron", error: null });
    expect(body.counts.expired).toBeGreaterThanOrEqual(1);

    const stats = await cleanupStatistics(getDb(), new Date());
    expect(stats.statistics.totalCleanups).toBeGreaterThanOrEqual(1);
    expect(stats.lastCleanup).toMatchObject({ runId: body.runId, trigger: "cron" });
    expect(stats).toMatchObject({ serviceStatus: "idle", cleanupIntervalSeconds: 1800 });
    expect(stats.cleanupPolicies).toMatchObject({
      expired: true,
      idle: true,
      policyViolations: true,
      orphaned: true,
      duplicates: true,
      suspicious: true,
    });
    // No interval runs in this process, so nothing is due here: a cron run says nothing about the next one.
    expect(stats.nextCleanupDue).toBeNull();
  });
});

describe("administrative cleanups", () => {
  it("force-cleans one user's sessions except one, and cleans by criteria", async () => {
    const { adhocCleanupContext } = await import("@/lib/cleanup/run");
    const { forceCleanupUser, cleanupByCriteria } = await import("@/lib/cleanup/categories");
    const user = await makeUser();
    const admin = await makeUser("admin");
    const keep = await insertSession({ kind: "authenticated", userId: user.id });
    await insertSession({ kind: "authenticated", userId: user.id });
    await insertSession({ kind: "authenticated", userId: user.id });
    const ctx = adhocCleanupContext("admin", NOW);
    expect(await forceCleanupUser(ctx, { userId: user.id, note: "lost laptop", byUserId: admin.id, exceptSessionId: keep.id })).toBe(2);
    const events = await getDb()
      .select()
      .from(securityEvents)
      .where(sql`${securityEvents.details}->>'note' = 'lost laptop'`);
    expect(events).toHaveLength(2);
    for (const event of events) expect(event.details).toMatchObject({ reason: "admin_forced", by: admin.id, userId: user.id });

    const stale = await insertSession({
      kind: "authenticated",
      userId: admin.id,
      authMethod: "sso",
      lastActivityAt: ago(30 * HOUR),
      expiresAt: new Date(NOW.getTime() + HOUR),
    });
    const fresh = await insertSession({ kind: "authenticated", userId: admin.id, authMethod: "sso" });
    expect(await cleanupByCriteria(ctx, { authMethod: "sso", inactiveForHours: 24 })).toBe(1);
    expect((await getDb().select().from(authSessions).where(eq(authSessions.id, stale.id)))[0]?.revokeReason).toBe("admin_criteria");
    expect((await getDb().select().from(authSessions).where(eq(authSessions.id, fresh.id)))[0]?.revokedAt).toBeNull();
  });
});
