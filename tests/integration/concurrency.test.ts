import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signInWithPassword, type SignInRequest } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import { setOverride } from "@/lib/sessions/policy-overrides";
import { makeUser } from "./support";

const at = new Date("2026-11-23T10:00:00Z");

function request(username: string, password: string, minute = 0): SignInRequest {
  return {
    username,
    password,
    rememberMe: false,
    previous: null,
    clientIp: "203.0.113.5",
    userAgent: null,
    now: new Date(at.getTime() + minute * 60_000),
  };
}

async function liveSessions(userId: string) {
  return getDb()
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)));
}

describe("concurrency limit at sign-in", () => {
  it("the 6th sign-in evicts the oldest session, with reason and event", async () => {
    const user = await makeUser();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await signInWithPassword(getDb(), request(user.username, user.password, i));
      if (!result.ok) throw new Error("expected success");
      ids.push(result.session.id);
    }
    const live = await liveSessions(user.id);
    expect(live.map((s) => s.id).sort()).toEqual(ids.slice(1).sort());
    const [oldest] = await getDb().select().from(authSessions).where(eq(authSessions.id, ids[0]!));
    expect(oldest?.revokeReason).toBe("concurrency_limit");
    const evictions = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "session_evicted"), eq(securityEvents.userId, user.id)));
    expect(evictions).toHaveLength(1);
  });

  it("holds when 10 sign-ins of one user race: exactly the limit stays active", async () => {
    const user = await makeUser();
    const results = await Promise.all(Array.from({ length: 10 }, () => signInWithPassword(getDb(), request(user.username, user.password))));
    expect(results.every((r) => r.ok)).toBe(true);
    const live = await liveSessions(user.id);
    expect(live).toHaveLength(5);
    // Every sign-in kept its own session when it committed; the five that remain are all ones a caller received.
    const returned = new Set(results.map((r) => (r.ok ? r.session.id : "")));
    expect(live.every((s) => returned.has(s.id))).toBe(true);
    const revoked = await getDb()
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.userId, user.id), eq(authSessions.revokeReason, "concurrency_limit")));
    expect(revoked).toHaveLength(5);
  });

  it("applies the user's policy override at sign-in", async () => {
    const user = await makeUser();
    const admin = await makeUser("admin");
    await setOverride(getDb(), {
      userId: user.id,
      policy: { maxConcurrentSessions: 1 },
      reason: "shared kiosk",
      by: { userId: admin.id, ip: null, userAgent: null, now: at },
    });
    await signInWithPassword(getDb(), request(user.username, user.password, 0));
    const second = await signInWithPassword(getDb(), request(user.username, user.password, 1));
    if (!second.ok) throw new Error("expected success");
    expect(second.override).toEqual({ maxConcurrentSessions: 1 });
    expect((await liveSessions(user.id)).map((s) => s.id)).toEqual([second.session.id]);
  });
});
