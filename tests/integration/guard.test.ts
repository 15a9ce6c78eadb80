import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { setOverride } from "@/lib/sessions/policy-overrides";
import type { RequestFacts } from "@/lib/policies/types";
import { checkSession } from "@/lib/sessions/guard";
import { sessionDataFor } from "@/lib/sessions/session-cookie";
import { endSessions } from "@/lib/sessions/end-sessions";
import { createAuthSession } from "@/lib/sessions/store";
import { makeUser } from "./support";

const MIN = 60_000;
const T0 = new Date("2026-11-23T09:00:00Z");
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36";
const same: RequestFacts = { ip: "203.0.113.10", userAgent: UA, country: null };
const later = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

async function signedIn(kind: "authenticated" | "admin" = "authenticated", rememberMe = false) {
  const user = await makeUser(kind === "admin" ? "admin" : "user");
  const { session, token } = await createAuthSession(getDb(), {
    userId: user.id,
    kind,
    policy: DEFAULT_POLICIES[kind],
    rememberMe,
    clientIp: same.ip,
    userAgent: UA,
    now: T0,
  });
  return { user, session, data: sessionDataFor(session, token, user, null) };
}

async function row(id: string) {
  const [found] = await getDb().select().from(authSessions).where(eq(authSessions.id, id));
  return found!;
}

afterEach(() => {
  delete process.env.ENFORCE_SESSION_POLICIES;
  resetConfigForTests();
});

describe("checkSession (the DAL's authority)", () => {
  it("ends an idle session in the database with the violation as reason and a policy_violation event", async () => {
    const { session, data } = await signedIn();
    expect((await checkSession(getDb(), data, same, later(60))).status).toBe("ok");
    // That check was activity: idle counts from it.
    const outcome = await checkSession(getDb(), data, same, later(121));
    expect(outcome).toMatchObject({ status: "violation", violation: "idle_timeout", limitMinutes: 60 });
    expect(await row(session.id)).toMatchObject({ revokeReason: "idle_timeout" });
    const events = await getDb().select().from(securityEvents).where(eq(securityEvents.type, "policy_violation"));
    expect(events.filter((e) => e.details.violation === "idle_timeout")).toHaveLength(1);
    // Once ended it stays ended; a later request (another tab) still learns why, and no second event is written.
    expect(await checkSession(getDb(), data, same, later(122))).toMatchObject({ status: "violation", violation: "idle_timeout" });
    const after = await getDb().select().from(securityEvents).where(eq(securityEvents.type, "policy_violation"));
    expect(after.filter((e) => e.details.violation === "idle_timeout")).toHaveLength(1);
    // A session ended for another reason says that reason in words too.
    const other = await signedIn();
    await endSessions(getDb(), { ids: [other.session.id] }, "concurrency_limit", { now: T0 });
    expect(await checkSession(getDb(), other.data, same, later(1))).toEqual({
      status: "ended",
      reason: "concurrency_limit",
      message: "You were signed out because your account is signed in on too many devices (the oldest sessions end first).",
    });
  });

  it("signs out an authenticated session whose network changed, but not within the same /24", async () => {
    const { data } = await signedIn();
    expect((await checkSession(getDb(), data, { ...same, ip: "203.0.113.99" }, later(1))).status).toBe("ok");
    expect(await checkSession(getDb(), data, { ...same, ip: "198.51.100.7" }, later(2))).toMatchObject({ violation: "ip_changed" });
  });

  it("writes activity at most once a minute and slides expires_at with a session_extended event", async () => {
    const { session, data } = await signedIn();
    await checkSession(getDb(), data, same, new Date(T0.getTime() + 30_000));
    expect((await row(session.id)).lastActivityAt.getTime()).toBe(T0.getTime());
    await checkSession(getDb(), data, same, later(30));
    const touched = await row(session.id);
    expect(touched.lastActivityAt.getTime()).toBe(later(30).getTime());
    expect(touched.expiresAt.getTime()).toBe(later(30 + 120).getTime());
    await checkSession(getDb(), data, same, new Date(later(30).getTime() + 59_999));
    expect((await row(session.id)).lastActivityAt.getTime()).toBe(later(30).getTime());
    const extended = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "session_extended"), eq(securityEvents.userId, session.userId!)));
    expect(extended).toHaveLength(1);
  });

  it("never extends an admin session, which ends at its 2 h absolute limit", async () => {
    const { session, data } = await signedIn("admin");
    for (let minute = 10; minute <= 120; minute += 10) {
      expect((await checkSession(getDb(), data, same, later(minute))).status).toBe("ok");
    }
    expect((await row(session.id)).expiresAt.getTime()).toBe(later(120).getTime());
    expect(await checkSession(getDb(), data, same, new Date(later(120).getTime() + 1))).toMatchObject({
      status: "violation",
      violation: "absolute_timeout",
      limitMinutes: 120,
    });
  });

  it("keeps a remember-me session alive past 8 hours", async () => {
    const { data } = await signedIn("authenticated", true);
    expect((await checkSession(getDb(), data, same, later(9 * 60))).status).toBe("ok");
    expect((await checkSession(getDb(), data, same, later(9 * 60 + 24 * 60))).status).toBe("ok");
  });

  it("applies the user's override from the database", async () => {
    const { user, data } = await signedIn();
    const admin = await makeUser("admin");
    await setOverride(getDb(), {
      userId: user.id,
      policy: { idleTimeoutMinutes: 10 },
      reason: null,
      by: { userId: admin.id, ip: null, userAgent: null, now: T0 },
    });
    expect(await checkSession(getDb(), data, same, later(11))).toMatchObject({
      status: "violation",
      violation: "idle_timeout",
      limitMinutes: 10,
    });
  });

  it("lets everything through when enforcement is off", async () => {
    process.env.ENFORCE_SESSION_POLICIES = "false";
    resetConfigForTests();
    const { data } = await signedIn();
    expect((await checkSession(getDb(), data, { ...same, ip: "198.51.100.7" }, later(100))).status).toBe("ok");
  });
});
