import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { completeSecondStep, stepUpWithFactor, type SecondStepActor } from "@/lib/auth/second-step";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { adminResetSecondFactors } from "@/lib/admin/user-admin";
import { getDb } from "@/lib/db/client";
import { authSessions, chatSessions, passkeys, recoveryCodes, securityAlerts, securityEvents, totpFactors, users } from "@/lib/db/schema";
import { confirmTotpEnrolment, removeTotpFactor } from "@/lib/mfa/enrolment";
import { pendingTotpEnrolment } from "@/lib/mfa/totp-factor";
import { totpCode } from "@/lib/mfa/totp";
import { checkSession } from "@/lib/sessions/guard";
import { policyFor } from "@/lib/sessions/session-policy";
import { sessionDataFor } from "@/lib/sessions/session-cookie";
import { findOrCreateChat } from "@/lib/chat/chat-sessions";
import { startAnonymousSession } from "@/lib/sessions/anonymous";
import { makeUser } from "./support";
import { enrolTotpForTest } from "./second-factor-support";

const STEP = 30_000;
// Start of a TOTP step, so codes a step apart are unambiguous.
const T0 = new Date(Math.floor(Date.parse("2026-12-03T09:00:00Z") / STEP) * STEP);
const request = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0.0.0 Safari/537.36", country: null };
const later = (ms: number) => new Date(T0.getTime() + ms);

async function signIn(user: { username: string; password: string }, now: Date) {
  const result = await signInWithPassword(getDb(), {
    username: user.username,
    password: user.password,
    rememberMe: false,
    previous: null,
    clientIp: request.ip,
    userAgent: request.userAgent,
    now,
  });
  if (!result.ok) throw new Error("sign-in failed");
  return result;
}

function actorFor(user: { id: string; username: string; role: "user" | "admin" }, sessionId: string, now: Date): SecondStepActor {
  return {
    userId: user.id,
    username: user.username,
    sessionId,
    policy: policyFor(user.role === "admin" ? "admin" : "authenticated", null),
    ip: request.ip,
    userAgent: request.userAgent,
    now,
  };
}

/** Enrols TOTP through the same path as the settings page; returns the secret and the recovery codes shown once. */
async function enrolTotp(user: { id: string; username: string; role: "user" | "admin" }, sessionId: string, owed: boolean, now: Date) {
  const { secret } = await pendingTotpEnrolment(getDb(), user, sessionId, now);
  const enrolled = await confirmTotpEnrolment(getDb(), actorFor(user, sessionId, now), totpCode(secret, now.getTime()), owed);
  if (!enrolled.ok) throw new Error(enrolled.message);
  return { secret, codes: enrolled.recoveryCodes!, rotated: enrolled.rotated };
}

const eventsOf = async (userId: string, type: string) =>
  getDb()
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, type)));

describe("administrators and their second factor", () => {
  it("holds an administrator's password-only session for enrolment: short-lived, evicting nobody, not yet a sign-in", async () => {
    const admin = await makeUser("admin");
    const first = await signIn(admin, T0);
    expect(first.secondFactor).toBe("enrol");
    expect(first.session.expiresAt.getTime()).toBe(T0.getTime() + 15 * 60_000);
    expect(await eventsOf(admin.id, "login_succeeded")).toHaveLength(0);

    const outcome = await checkSession(getDb(), sessionDataFor(first.session, first.token, admin, null, "enrol"), request, later(1000));
    expect(outcome.status).toBe("ok");
    expect(outcome.status === "ok" && outcome.secondFactor).toBe("enrol");

    // Enrolling completes the sign-in: a new session, verified, with ten recovery codes.
    const { codes, rotated } = await enrolTotp(admin, first.session.id, true, later(2000));
    expect(codes).toHaveLength(10);
    expect(rotated?.session.mfaVerifiedAt).toEqual(later(2000));
    expect(rotated?.session.authMethod).toBe("password+totp");
    const [old] = await getDb().select().from(authSessions).where(eq(authSessions.id, first.session.id));
    expect(old?.revokeReason).toBe("rotated");
    const after = await checkSession(getDb(), sessionDataFor(rotated!.session, rotated!.token, admin, null), request, later(3000));
    expect(after.status === "ok" && after.secondFactor).toBeNull();
    expect(await eventsOf(admin.id, "login_succeeded")).toHaveLength(1);
    expect((await eventsOf(admin.id, "mfa_enrolled"))[0]?.details).toMatchObject({ factor: "totp" });

    // The secret is sealed at rest, never stored as typed.
    const [row] = await getDb().select().from(totpFactors).where(eq(totpFactors.userId, admin.id));
    expect(row?.secretSealed.startsWith("v1.")).toBe(true);
    const stored = await getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, admin.id));
    expect(stored.map((c) => c.codeHash)).not.toContain(codes[0]);
  });

  it("asks for the code at the next sign-in, refuses it replayed, and takes a recovery code once", async () => {
    const admin = await makeUser("admin");
    const first = await signIn(admin, T0);
    const { secret, codes } = await enrolTotp(admin, first.session.id, true, T0);

    const second = await signIn(admin, later(STEP));
    expect(second.secondFactor).toBe("verify");
    const code = totpCode(secret, later(STEP).getTime());
    const done = await completeSecondStep(getDb(), actorFor(admin, second.session.id, later(STEP)), { factor: "totp", code });
    expect(done.ok).toBe(true);
    if (done.ok) expect(done.session.authMethod).toBe("password+totp");

    // The same code again, within its window, from another sign-in: refused.
    const third = await signIn(admin, later(STEP + 1000));
    const replay = await completeSecondStep(getDb(), actorFor(admin, third.session.id, later(STEP + 1000)), { factor: "totp", code });
    expect(replay).toMatchObject({ ok: false, reason: "wrong" });

    const recovered = await completeSecondStep(getDb(), actorFor(admin, third.session.id, later(STEP + 2000)), {
      factor: "recovery_code",
      code: codes[3]!.toUpperCase(),
    });
    expect(recovered).toMatchObject({ ok: true, recoveryCodesLeft: 9 });
    const fourth = await signIn(admin, later(STEP + 3000));
    const again = await completeSecondStep(getDb(), actorFor(admin, fourth.session.id, later(STEP + 3000)), {
      factor: "recovery_code",
      code: codes[3]!,
    });
    expect(again).toMatchObject({ ok: false, reason: "wrong" });
    expect(await eventsOf(admin.id, "recovery_code_used")).toHaveLength(1);
  });

  it("locks the second step after 5 wrong codes for 15 minutes, raises an alert, and an administrator's reset lifts it", async () => {
    const admin = await makeUser("admin");
    const first = await signIn(admin, T0);
    const { secret } = await enrolTotp(admin, first.session.id, true, T0);
    const pending = await signIn(admin, later(1000));
    const actor = (ms: number) => actorFor(admin, pending.session.id, later(ms));
    for (let i = 0; i < 5; i++) {
      expect(await completeSecondStep(getDb(), actor(2000 + i), { factor: "totp", code: "000000" })).toMatchObject({ reason: "wrong" });
    }
    // The right code is refused while locked.
    const locked = await completeSecondStep(getDb(), actor(10_000), { factor: "totp", code: totpCode(secret, later(10_000).getTime()) });
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    expect(locked.ok ? "" : locked.message).toMatch(/locked for 15 minutes/);
    expect(await eventsOf(admin.id, "mfa_locked")).toHaveLength(1);
    const alerts = await getDb()
      .select()
      .from(securityAlerts)
      .where(eq(securityAlerts.subject, `user:${admin.id}`));
    expect(alerts.map((a) => [a.type, a.severity])).toEqual([["second_factor_locked", "high"]]);

    // An administrator resets the account's factors: everything goes, its sessions end, the lock is lifted.
    const other = await makeUser("admin");
    const ended = await adminResetSecondFactors(getDb(), { id: other.id }, admin, later(20_000));
    expect(ended).toBeGreaterThanOrEqual(2);
    expect(await getDb().select().from(totpFactors).where(eq(totpFactors.userId, admin.id))).toHaveLength(0);
    expect(await getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, admin.id))).toHaveLength(0);
    const [row] = await getDb().select().from(users).where(eq(users.id, admin.id));
    expect(row?.mfaEnabledAt).toBeNull();
    const next = await signIn(admin, later(30_000));
    expect(next.secondFactor).toBe("enrol");
  });

  it("lets step-up use the authenticator code, and refuses removing an administrator's last factor", async () => {
    const admin = await makeUser("admin");
    const first = await signIn(admin, T0);
    const { secret, rotated } = await enrolTotp(admin, first.session.id, true, T0);
    const at = later(20 * 60_000);
    const stepped = await stepUpWithFactor(getDb(), actorFor(admin, rotated!.session.id, at), {
      factor: "totp",
      code: totpCode(secret, at.getTime()),
    });
    expect(stepped.ok).toBe(true);
    if (stepped.ok) expect(stepped.session.authenticatedAt).toEqual(at);
    const removal = await removeTotpFactor(getDb(), actorFor(admin, stepped.ok ? stepped.session.id : "", at));
    expect(removal).toMatchObject({ ok: false });
    expect(await getDb().select().from(totpFactors).where(eq(totpFactors.userId, admin.id))).toHaveLength(1);
  });
});

describe("the second step's lock", () => {
  it("says truly when it opens again: when the fifth-newest failure leaves the 15-minute window", async () => {
    const user = await makeUser("user");
    const secret = await enrolTotpForTest(user.id);
    const wrongAt = async (minutes: number) => {
      const now = later(minutes * 60_000);
      const pending = await signIn(user, now);
      return completeSecondStep(getDb(), actorFor(user, pending.session.id, now), { factor: "totp", code: "000000" });
    };
    // Failures at 0, 10, 11, 12 and 13 minutes: locked from the fifth.
    for (const minutes of [0, 10, 11, 12, 13]) expect(await wrongAt(minutes)).toMatchObject({ reason: "wrong" });
    const locked = await wrongAt(14);
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    // The failure at 0 minutes leaves the window at 15: one minute to go, not 15 after the last failure.
    expect(locked.ok ? "" : locked.message).toMatch(/locked for 1 minute\./);
    const open = later(15 * 60_000 + 1000);
    const pending = await signIn(user, open);
    const done = await completeSecondStep(getDb(), actorFor(user, pending.session.id, open), {
      factor: "totp",
      code: totpCode(secret, open.getTime()),
    });
    expect(done.ok).toBe(true);
  });
});

describe("ordinary accounts", () => {
  it("are asked for nothing more until they enrol, then for their factor at every sign-in", async () => {
    const user = await makeUser("user");
    const first = await signIn(user, T0);
    expect(first.secondFactor).toBeNull();
    const { secret, rotated } = await enrolTotp(user, first.session.id, false, T0);
    // The session that enrolled is marked verified rather than rotated.
    expect(rotated).toBeNull();
    const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, first.session.id));
    expect(row?.mfaVerifiedAt).toEqual(T0);
    const next = await signIn(user, later(STEP));
    expect(next.secondFactor).toBe("verify");
    const done = await completeSecondStep(getDb(), actorFor(user, next.session.id, later(STEP)), {
      factor: "totp",
      code: totpCode(secret, later(STEP).getTime()),
    });
    expect(done.ok).toBe(true);
    // Removing the only factor is allowed for them; the recovery codes go with it.
    expect(await removeTotpFactor(getDb(), actorFor(user, done.ok ? done.session.id : "", later(STEP)))).toEqual({ ok: true });
    expect(await getDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id))).toHaveLength(0);
    expect((await signIn(user, later(2 * STEP))).secondFactor).toBeNull();
  });
});

describe("what a password alone can do", () => {
  it("cannot plant an authenticator: a set-up secret is its session's alone, and only for 10 minutes", async () => {
    const admin = await makeUser("admin");
    const owner = await signIn(admin, T0);
    const intruder = await signIn(admin, later(1000));
    const shown = await pendingTotpEnrolment(getDb(), admin, intruder.session.id, later(1000));
    // Shown again to the same session (the QR code stays put) …
    expect((await pendingTotpEnrolment(getDb(), admin, intruder.session.id, later(2000))).secret).toBe(shown.secret);
    // … never to another one: the owner gets a secret of their own, which replaces the intruder's.
    const ownersSecret = (await pendingTotpEnrolment(getDb(), admin, owner.session.id, later(3000))).secret;
    expect(ownersSecret).not.toBe(shown.secret);
    const planted = await confirmTotpEnrolment(
      getDb(),
      actorFor(admin, intruder.session.id, later(4000)),
      totpCode(shown.secret, later(4000).getTime()),
      true,
    );
    expect(planted).toMatchObject({ ok: false, message: expect.stringMatching(/start again/i) });
    // The intruder's session cannot confirm the owner's secret either (it never saw it, but it must not matter).
    const borrowed = await confirmTotpEnrolment(
      getDb(),
      actorFor(admin, intruder.session.id, later(4000)),
      totpCode(ownersSecret, later(4000).getTime()),
      true,
    );
    expect(borrowed.ok).toBe(false);

    // After 10 minutes the secret shown is stale, even to its own session: a new one replaces it.
    const stale = later(11 * 60_000);
    const expired = await confirmTotpEnrolment(
      getDb(),
      actorFor(admin, owner.session.id, stale),
      totpCode(ownersSecret, stale.getTime()),
      true,
    );
    expect(expired.ok).toBe(false);
    const fresh = await pendingTotpEnrolment(getDb(), admin, owner.session.id, stale);
    expect(fresh.secret).not.toBe(ownersSecret);
    const confirmed = await confirmTotpEnrolment(
      getDb(),
      actorFor(admin, owner.session.id, stale),
      totpCode(fresh.secret, stale.getTime()),
      true,
    );
    expect(confirmed.ok).toBe(true);
    const [row] = await getDb().select().from(totpFactors).where(eq(totpFactors.userId, admin.id));
    expect(row?.enrollingSessionId).toBeNull();
    expect(row?.confirmedAt).toEqual(stale);
  });

  it("cannot crowd out the owner's devices: sessions waiting for the second factor neither count nor get evicted", async () => {
    const user = await makeUser("user");
    const secret = await enrolTotpForTest(user.id);
    const limit = policyFor("authenticated", null).maxConcurrentSessions;
    const complete = async (step: number) => {
      const now = later(step * STEP);
      const pending = await signIn(user, now);
      const done = await completeSecondStep(getDb(), actorFor(user, pending.session.id, now), {
        factor: "totp",
        code: totpCode(secret, now.getTime()),
      });
      if (!done.ok) throw new Error(done.message);
      return done.session.id;
    };
    const devices: string[] = [];
    for (let i = 1; i <= limit; i++) devices.push(await complete(i));
    // Someone with the password only: as many half-finished sign-ins as the limit.
    const halfDone: string[] = [];
    for (let i = 0; i < limit; i++) halfDone.push((await signIn(user, later((limit + 1) * STEP + i))).session.id);
    // The owner signs in once more: only their oldest device goes, as the limit says.
    const newest = await complete(limit + 2);
    const live = await getDb()
      .select({ id: authSessions.id })
      .from(authSessions)
      .where(and(eq(authSessions.userId, user.id), isNull(authSessions.revokedAt)));
    const liveIds = live.map((s) => s.id);
    expect(liveIds).not.toContain(devices[0]);
    for (const id of [...devices.slice(1), newest, ...halfDone]) expect(liveIds).toContain(id);
  });

  it("cannot put chats into the account: a visitor's chats wait with the half-finished sign-in until it completes", async () => {
    const user = await makeUser("user");
    const secret = await enrolTotpForTest(user.id);
    const visitor = { ip: "203.0.113.77", userAgent: request.userAgent, country: null };
    const anonymous = await startAnonymousSession(getDb(), visitor, T0);
    const owner = { kind: "anonymous" as const, authSessionId: anonymous.session.id };
    const { chat } = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: T0 });
    const signedIn = await signInWithPassword(getDb(), {
      username: user.username,
      password: user.password,
      rememberMe: false,
      previous: sessionDataFor(anonymous.session, anonymous.token, null, null),
      clientIp: visitor.ip,
      userAgent: visitor.userAgent,
      now: later(1000),
    });
    if (!signedIn.ok) throw new Error("sign-in failed");
    expect(signedIn.secondFactor).toBe("verify");
    const [waiting] = await getDb().select().from(chatSessions).where(eq(chatSessions.id, chat.id));
    expect(waiting).toMatchObject({ userId: null, ownerAuthSessionId: signedIn.session.id });

    const done = await completeSecondStep(getDb(), actorFor(user, signedIn.session.id, later(STEP)), {
      factor: "totp",
      code: totpCode(secret, later(STEP).getTime()),
    });
    expect(done.ok).toBe(true);
    const [adopted] = await getDb().select().from(chatSessions).where(eq(chatSessions.id, chat.id));
    expect(adopted?.userId).toBe(user.id);
  });
});
