import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { completeSecondStep, stepUpWithFactor, type SecondStepActor } from "@/lib/auth/second-step";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { adminResetSecondFactors } from "@/lib/admin/user-admin";
import { getDb } from "@/lib/db/client";
import { authSessions, passkeys, recoveryCodes, securityAlerts, securityEvents, totpFactors, users } from "@/lib/db/schema";
import { confirmTotpEnrolment, removeTotpFactor } from "@/lib/mfa/enrolment";
import { pendingTotpEnrolment } from "@/lib/mfa/totp-factor";
import { totpCode } from "@/lib/mfa/totp";
import { checkSession } from "@/lib/sessions/guard";
import { policyFor } from "@/lib/sessions/session-policy";
import { sessionDataFor } from "@/lib/sessions/session-cookie";
import { makeUser } from "./support";

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
  const { secret } = await pendingTotpEnrolment(getDb(), user, now);
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
