import { eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { findOrCreateChat } from "@/lib/chat/chat-sessions";
import { runCleanup, type CleanupSummary } from "@/lib/cleanup/run";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { chatSessions, securityEvents, users } from "@/lib/db/schema";
import { setOverride } from "@/lib/sessions/policy-overrides";
import { ago, DAY, HOUR, insertSession, MIN, NOW, reload } from "./cleanup-support";
import { makeUser } from "./support";

async function cleanup(now = NOW): Promise<CleanupSummary> {
  const result = await runCleanup({ trigger: "manual", now });
  if ("skipped" in result) throw new Error("unexpectedly skipped");
  expect(result.error).toBeNull();
  return result;
}

afterEach(() => {
  for (const key of ["CLEANUP_IDLE_SESSIONS", "MAX_ANONYMOUS_SESSIONS", "ENFORCE_SESSION_POLICIES"]) delete process.env[key];
  resetConfigForTests();
});

describe("cleanup categories, each just inside and just outside its limit", () => {
  it("expired: past expires_at is ended, at it is kept; expired chats become inactive", async () => {
    const user = await makeUser();
    const outside = await insertSession({ kind: "authenticated", userId: user.id, expiresAt: ago(1) });
    const inside = await insertSession({ kind: "authenticated", userId: user.id, expiresAt: NOW });
    const owner = await insertSession({ kind: "authenticated", userId: user.id });
    const { chat } = await findOrCreateChat(
      getDb(),
      { kind: "user", userId: user.id, authSessionId: owner.id },
      { country: "AE", serviceType: "tax" },
      { rememberMe: false, now: ago(9 * HOUR) },
    );
    await cleanup();
    expect(await reload(outside.id)).toMatchObject({ revokeReason: "expired" });
    expect((await reload(inside.id))?.revokedAt).toBeNull();
    const [ended] = await getDb().select().from(chatSessions).where(eq(chatSessions.id, chat.id));
    expect(ended?.isActive).toBe(false);
  });

  it("idle: 60 minutes idle is kept, one millisecond more is ended; remember-me and overrides use their own limits", async () => {
    const user = await makeUser();
    const inside = await insertSession({ kind: "authenticated", userId: user.id, lastActivityAt: ago(60 * MIN) });
    const outside = await insertSession({ kind: "authenticated", userId: user.id, lastActivityAt: ago(60 * MIN + 1) });
    const remembered = await insertSession({
      kind: "authenticated",
      userId: user.id,
      rememberMe: true,
      lastActivityAt: ago(3 * DAY),
      expiresAt: new Date(NOW.getTime() + DAY),
    });
    const rememberedIdle = await insertSession({
      kind: "authenticated",
      userId: user.id,
      rememberMe: true,
      lastActivityAt: ago(7 * DAY + 1),
      createdAt: ago(8 * DAY),
      expiresAt: new Date(NOW.getTime() + DAY),
    });
    const anonymousInside = await insertSession({ kind: "anonymous", lastActivityAt: ago(30 * MIN) });
    const anonymousOutside = await insertSession({ kind: "anonymous", lastActivityAt: ago(30 * MIN + 1) });
    const strict = await makeUser();
    const admin = await makeUser("admin");
    await setOverride(getDb(), {
      userId: strict.id,
      policy: { idleTimeoutMinutes: 10 },
      reason: null,
      by: { userId: admin.id, ip: null, userAgent: null, now: NOW },
    });
    const overridden = await insertSession({ kind: "authenticated", userId: strict.id, lastActivityAt: ago(10 * MIN + 1) });

    await cleanup();
    expect((await reload(inside.id))?.revokedAt).toBeNull();
    expect(await reload(outside.id)).toMatchObject({ revokeReason: "idle_timeout" });
    expect((await reload(remembered.id))?.revokedAt).toBeNull();
    expect(await reload(rememberedIdle.id)).toMatchObject({ revokeReason: "idle_timeout" });
    expect((await reload(anonymousInside.id))?.revokedAt).toBeNull();
    expect(await reload(anonymousOutside.id)).toMatchObject({ revokeReason: "idle_timeout" });
    expect(await reload(overridden.id)).toMatchObject({ revokeReason: "idle_timeout" });
  });

  it("policy violations: absolute lifetime and forced re-authentication, judged without a request", async () => {
    const user = await makeUser();
    const inside = await insertSession({
      kind: "authenticated",
      userId: user.id,
      createdAt: ago(8 * HOUR),
      authenticatedAt: ago(8 * HOUR),
    });
    const outside = await insertSession({
      kind: "authenticated",
      userId: user.id,
      createdAt: ago(8 * HOUR + 1),
      authenticatedAt: ago(8 * HOUR + 1),
    });
    const adminUser = await makeUser("admin");
    const adminOutside = await insertSession({
      kind: "admin",
      userId: adminUser.id,
      createdAt: ago(2 * HOUR + 1),
      authenticatedAt: ago(2 * HOUR + 1),
    });
    const longLived = await makeUser();
    await setOverride(getDb(), {
      userId: longLived.id,
      policy: { maxDurationMinutes: 48 * 60 },
      reason: null,
      by: { userId: adminUser.id, ip: null, userAgent: null, now: NOW },
    });
    const reauth = await insertSession({
      kind: "authenticated",
      userId: longLived.id,
      createdAt: ago(25 * HOUR),
      authenticatedAt: ago(24 * HOUR + 1),
    });
    await cleanup();
    expect((await reload(inside.id))?.revokedAt).toBeNull();
    expect(await reload(outside.id)).toMatchObject({ revokeReason: "absolute_timeout" });
    expect(await reload(adminOutside.id)).toMatchObject({ revokeReason: "absolute_timeout" });
    expect(await reload(reauth.id)).toMatchObject({ revokeReason: "reauth_required" });
  });

  it("orphaned: sessions of deleted or disabled users", async () => {
    const user = await makeUser();
    const disabledSession = await insertSession({ kind: "authenticated", userId: user.id });
    await getDb().update(users).set({ disabledAt: NOW }).where(eq(users.id, user.id));
    const ownerless = await insertSession({ kind: "authenticated", userId: null });
    const anonymous = await insertSession({ kind: "anonymous" });
    await cleanup();
    expect(await reload(disabledSession.id)).toMatchObject({ revokeReason: "orphaned" });
    expect(await reload(ownerless.id)).toMatchObject({ revokeReason: "orphaned" });
    expect((await reload(anonymous.id))?.revokedAt).toBeNull();
  });

  it("duplicates: beyond the limit, the most recently active are kept", async () => {
    const user = await makeUser();
    const sessions = [];
    for (let i = 0; i < 7; i++)
      sessions.push(await insertSession({ kind: "authenticated", userId: user.id, lastActivityAt: ago(i * MIN) }));
    await cleanup();
    const states = await Promise.all(sessions.map((s) => reload(s.id)));
    expect(states.map((s) => s?.revokeReason ?? "live")).toEqual([
      "live",
      "live",
      "live",
      "live",
      "live",
      "concurrency_limit",
      "concurrency_limit",
    ]);
  });

  it("suspicious: sessions a CRITICAL alert flagged are ended; HIGH-flagged ones wait for an administrator", async () => {
    const critical = await insertSession({ kind: "anonymous", suspiciousAt: ago(MIN), suspiciousSeverity: "critical" });
    const high = await insertSession({ kind: "anonymous", suspiciousAt: ago(MIN), suspiciousSeverity: "high" });
    await cleanup();
    expect(await reload(critical.id)).toMatchObject({ revokeReason: "suspicious" });
    expect(await reload(high.id)).toMatchObject({ revokedAt: null, suspiciousSeverity: "high" });
  });

  it("purge: rows ended more than 7 days ago are deleted, younger ones kept", async () => {
    const old = await insertSession({ kind: "anonymous", revokedAt: ago(7 * DAY + 1), revokeReason: "logout" });
    const recent = await insertSession({ kind: "anonymous", revokedAt: ago(7 * DAY - 1), revokeReason: "logout" });
    const longExpired = await insertSession({
      kind: "anonymous",
      expiresAt: ago(7 * DAY + 1),
      createdAt: ago(8 * DAY),
      lastActivityAt: ago(8 * DAY),
    });
    const summary = await cleanup();
    expect(await reload(old.id)).toBeUndefined();
    expect(await reload(recent.id)).toBeDefined();
    // First ended as expired in this run, then purged: it ended more than 7 days ago.
    expect(await reload(longExpired.id)).toBeUndefined();
    expect(summary.counts.purged).toBeGreaterThanOrEqual(2);
  });

  it("event retention: security events older than 90 days are deleted, younger ones kept", async () => {
    const [old] = await getDb()
      .insert(securityEvents)
      .values({ type: "login_failed", at: ago(90 * DAY + 1), ip: "192.0.2.1" })
      .returning();
    const [young] = await getDb()
      .insert(securityEvents)
      .values({ type: "login_failed", at: ago(90 * DAY - 1), ip: "192.0.2.1" })
      .returning();
    const summary = await cleanup();
    const left = await getDb()
      .select({ id: securityEvents.id })
      .from(securityEvents)
      .where(inArray(securityEvents.id, [old!.id, young!.id]));
    expect(left.map((e) => e.id)).toEqual([young!.id]);
    expect(summary.counts.eventsPurged).toBeGreaterThanOrEqual(1);
  });

  it("anonymous sessions beyond the cap: the least recently active are ended", async () => {
    process.env.MAX_ANONYMOUS_SESSIONS = "2";
    resetConfigForTests();
    const created = [];
    // More recently active than anything earlier tests left, so these four rank first.
    for (let i = 0; i < 4; i++)
      created.push(await insertSession({ kind: "anonymous", lastActivityAt: new Date(NOW.getTime() + (10 - i) * MIN) }));
    await cleanup();
    const states = await Promise.all(created.map((s) => reload(s.id)));
    expect(states.map((s) => s?.revokeReason ?? "live")).toEqual(["live", "live", "anonymous_limit", "anonymous_limit"]);
  });

  it("a category switched off is left alone, and enforcement off skips the policy categories", async () => {
    process.env.CLEANUP_IDLE_SESSIONS = "false";
    resetConfigForTests();
    const user = await makeUser();
    const idle = await insertSession({ kind: "authenticated", userId: user.id, lastActivityAt: ago(2 * HOUR) });
    const summary = await cleanup();
    expect(summary.counts.idle).toBe(0);
    expect((await reload(idle.id))?.revokedAt).toBeNull();

    delete process.env.CLEANUP_IDLE_SESSIONS;
    process.env.ENFORCE_SESSION_POLICIES = "false";
    resetConfigForTests();
    await cleanup();
    expect((await reload(idle.id))?.revokedAt).toBeNull();
  });
});
