import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signInWithPassword, type SignInRequest } from "@/lib/auth/sign-in";
import { createUser, setDisabled } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import { sessionDataFor } from "@/lib/sessions/session-cookie";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { endSessions } from "@/lib/sessions/end-sessions";
import { createAuthSession, findLiveSession } from "@/lib/sessions/store";
import { hashSessionToken } from "@/lib/sessions/tokens";
import { sessionRef } from "@/lib/monitor/session-ref";

const at = new Date("2026-11-23T10:00:00Z");

function request(overrides: Partial<SignInRequest> = {}): SignInRequest {
  return {
    username: "layla",
    password: "layla-password-123",
    rememberMe: false,
    previous: null,
    clientIp: "203.0.113.5",
    userAgent: "test-agent",
    now: at,
    ...overrides,
  };
}

beforeAll(async () => {
  await createUser(getDb(), { username: "Layla", password: "layla-password-123" });
  await createUser(getDb(), { username: "boss", password: "boss-password-1234", role: "admin" });
});

describe("signInWithPassword", () => {
  it("creates an auth session whose row holds only the token's SHA-256", async () => {
    const result = await signInWithPassword(getDb(), request());
    if (!result.ok) throw new Error("expected success");
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, result.session.id));
    expect(row?.tokenHash).toBe(hashSessionToken(result.token));
    expect(JSON.stringify(row)).not.toContain(result.token);
    expect(row).toMatchObject({ kind: "authenticated", rememberMe: false, clientIp: "203.0.113.5", revokedAt: null });
    // expires_at slides: now + max(idle 60 min, extension min(8 h / 4, 2 h)).
    expect(row?.expiresAt.getTime()).toBe(at.getTime() + 2 * 3600_000);
  });

  it("gives remember-me sessions 30 days and admins the admin kind", async () => {
    const remembered = await signInWithPassword(getDb(), request({ rememberMe: true }));
    if (!remembered.ok) throw new Error("expected success");
    // Remember-me slides by its 7-day idle window.
    expect(remembered.session.expiresAt.getTime()).toBe(at.getTime() + 7 * 24 * 3600_000);
    const admin = await signInWithPassword(getDb(), request({ username: "BOSS", password: "boss-password-1234", rememberMe: true }));
    if (!admin.ok) throw new Error("expected success");
    expect(admin.session.kind).toBe("admin");
    expect(admin.session.rememberMe).toBe(false);
    // Administrators never get long-lived sessions; until the second factor is given, it has 15 minutes.
    expect(admin.secondFactor).toBe("enrol");
    expect(admin.session.expiresAt.getTime()).toBe(at.getTime() + 15 * 60_000);
  });

  it("fails the same way for a wrong password, an unknown user and a disabled account, and records each", async () => {
    expect(await signInWithPassword(getDb(), request({ password: "not-the-password" }))).toEqual({ ok: false });
    expect(await signInWithPassword(getDb(), request({ username: "ghost" }))).toEqual({ ok: false });
    await createUser(getDb(), { username: "gone", password: "gone-password-123" });
    await setDisabled(getDb(), "gone", true);
    expect(await signInWithPassword(getDb(), request({ username: "gone", password: "gone-password-123" }))).toEqual({ ok: false });

    const failures = await getDb().select().from(securityEvents).where(eq(securityEvents.type, "login_failed"));
    expect(failures.map((e) => e.subject).sort()).toEqual(["ghost", "gone", "layla"]);
    expect(JSON.stringify(failures)).not.toContain("not-the-password");
  });

  it("replaces the session the browser already had (no fixation) and marks an anonymous one upgraded", async () => {
    const anonymous = await createAuthSession(getDb(), {
      userId: null,
      kind: "anonymous",
      policy: DEFAULT_POLICIES.anonymous,
      rememberMe: false,
      clientIp: null,
      userAgent: null,
      now: at,
    });
    const previous = sessionDataFor(anonymous.session, anonymous.token, null, null);
    const result = await signInWithPassword(getDb(), request({ previous }));
    if (!result.ok) throw new Error("expected success");
    expect(result.session.id).not.toBe(anonymous.session.id);
    expect(result.token).not.toBe(anonymous.token);
    const [old] = await getDb().select().from(authSessions).where(eq(authSessions.id, anonymous.session.id));
    expect(old).toMatchObject({ revokeReason: "upgraded" });
    expect(old?.revokedAt).toBeInstanceOf(Date);
  });

  it("records events with a salted session reference, never the session id or token", async () => {
    const result = await signInWithPassword(getDb(), request());
    if (!result.ok) throw new Error("expected success");
    const events = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "session_created"), eq(securityEvents.userId, result.user.id)));
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(result.session.id);
    expect(serialized).not.toContain(result.token);
    expect(events.at(-1)?.sessionRef).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("findLiveSession", () => {
  it("accepts only the right token, and nothing revoked, expired or belonging to a disabled user", async () => {
    const user = await createUser(getDb(), { username: "omar", password: "omar-password-123" });
    const { session, token } = await createAuthSession(getDb(), {
      userId: user.id,
      kind: "authenticated",
      policy: DEFAULT_POLICIES.authenticated,
      rememberMe: false,
      clientIp: null,
      userAgent: null,
      now: at,
    });

    expect((await findLiveSession(getDb(), session.id, token, at))?.user?.username).toBe("omar");
    expect(await findLiveSession(getDb(), session.id, `${token}x`, at)).toBeNull();
    // expires_at is the last valid instant: live at it, dead one millisecond later.
    expect(await findLiveSession(getDb(), session.id, token, session.expiresAt)).not.toBeNull();
    expect(await findLiveSession(getDb(), session.id, token, new Date(session.expiresAt.getTime() + 1))).toBeNull();

    // Disabling ends the session for good (re-enabling does not bring it back).
    await setDisabled(getDb(), "omar", true);
    expect(await findLiveSession(getDb(), session.id, token, at)).toBeNull();
    await setDisabled(getDb(), "omar", false);
    expect(await findLiveSession(getDb(), session.id, token, at)).toBeNull();
    const second = await createAuthSession(getDb(), {
      userId: user.id,
      kind: "authenticated",
      policy: DEFAULT_POLICIES.authenticated,
      rememberMe: false,
      clientIp: null,
      userAgent: null,
      now: at,
    });
    expect(await findLiveSession(getDb(), second.session.id, second.token, at)).not.toBeNull();

    expect(await endSessions(getDb(), { ids: [second.session.id] }, "logout", { now: at })).toEqual([
      { id: second.session.id, userId: user.id },
    ]);
    expect(await endSessions(getDb(), { ids: [second.session.id] }, "logout", { now: at })).toEqual([]);
    expect(await findLiveSession(getDb(), second.session.id, second.token, at)).toBeNull();
  });

  it("ends all of a user's sessions except the one asked to keep, with one event per ended session", async () => {
    const user = await createUser(getDb(), { username: "sara", password: "sara-password-123" });
    const make = () =>
      createAuthSession(getDb(), {
        userId: user.id,
        kind: "authenticated",
        policy: DEFAULT_POLICIES.authenticated,
        rememberMe: false,
        clientIp: null,
        userAgent: null,
        now: at,
      });
    const [a, b, c] = await Promise.all([make(), make(), make()]);
    const ended = await endSessions(getDb(), { userId: user.id, except: a.session.id }, "password_changed", { now: at, ip: "192.0.2.8" });
    expect(ended.map((e) => e.id).sort()).toEqual([b.session.id, c.session.id].sort());
    expect(await findLiveSession(getDb(), a.session.id, a.token, at)).not.toBeNull();
    expect(await findLiveSession(getDb(), b.session.id, b.token, at)).toBeNull();
    expect(await findLiveSession(getDb(), c.session.id, c.token, at)).toBeNull();
    const events = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.type, "session_revoked")));
    expect(events.map((e) => [e.sessionRef, e.ip, e.details.reason]).sort()).toEqual(
      [b.session.id, c.session.id].map((id) => [sessionRef(id), "192.0.2.8", "password_changed"]).sort(),
    );
  });

  it("the database refuses an ending reason outside the closed list", async () => {
    const user = await createUser(getDb(), { username: "rami", password: "rami-password-123" });
    const { session } = await createAuthSession(getDb(), {
      userId: user.id,
      kind: "authenticated",
      policy: DEFAULT_POLICIES.authenticated,
      rememberMe: false,
      clientIp: null,
      userAgent: null,
      now: at,
    });
    await expect(
      getDb().execute(sql`update auth_sessions set revoked_at = now(), revoke_reason = 'because' where id = ${session.id}`),
    ).rejects.toThrow();
  });
});
