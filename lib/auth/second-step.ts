import "server-only";
import { adoptAnonymousChats } from "@/lib/chat/chat-sessions";
import { and, eq, isNull } from "drizzle-orm";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Database, Queryable, Transaction } from "@/lib/db/client";
import { authSessions, users, type AuthSession, type User } from "@/lib/db/schema";
import { detect } from "@/lib/monitor/detect";
import { afterSignIn } from "./after-sign-in";
import { recordEvent } from "@/lib/monitor/events";
import type { RequestActor } from "@/lib/sessions/actor";
import type { SessionData } from "@/lib/sessions/cookie";
import { rotateSession } from "@/lib/sessions/rotate";
import { verifyPasskeyAssertion } from "@/lib/mfa/passkeys";
import { recoveryCodesLeft, spendRecoveryCode } from "@/lib/mfa/recovery";
import {
  openSecondFactorGate,
  settleSecondFactorFailure,
  withdrawSecondFactorFailure,
  type SecondFactorAttempt,
} from "@/lib/mfa/second-factor-gate";
import { spendTotpCode } from "@/lib/mfa/totp-factor";
import { finishSignIn, openSignedInSession, type OpenedSession } from "./sign-in";
import { throttleAddress } from "./throttle-gate";
import { metrics } from "@/lib/metrics/registry";

/**
 * The second step and what builds on it: completing a sign-in that owes its second factor, step-up with a factor
 * instead of the password, finishing a forced enrolment, and signing in with a passkey alone. Every check of a
 * factor goes through one gate (5 wrong attempts lock it, see second-factor-gate.ts) and one place that records
 * the outcome.
 */

export type FactorProof =
  | { factor: "totp"; code: string }
  | { factor: "recovery_code"; code: string }
  | { factor: "passkey"; response: AuthenticationResponseJSON };

export type SecondStepActor = RequestActor;

export type ProofFailure = { ok: false; reason: "wrong" | "throttled" | "session_ended"; message: string; retryAfterSeconds?: number };
export type Rotated = { ok: true; session: AuthSession; token: string };

const WRONG: Record<FactorProof["factor"], string> = {
  totp: "That code is not right, or was already used. Check your authenticator app and try the newest code.",
  recovery_code: "That recovery code is not right, or was already used.",
  passkey: "That passkey could not be used. Please try again.",
};

/** Checks a proof against the account's factors, behind the gate (5 wrong lock it). Spends what it uses (a TOTP step, a recovery code). */
export async function checkSecondFactor(
  db: Database,
  attempt: SecondFactorAttempt,
  proof: FactorProof,
  purpose: "second_factor" | "step_up",
): Promise<{ ok: true } | ProofFailure> {
  const gate = await openSecondFactorGate(db, attempt, proof.factor);
  if (!gate.allowed) {
    await detect(db, { kind: "mfa_locked", userId: attempt.userId, failures: gate.failures }, attempt.now);
    return { ok: false, reason: "throttled", message: gate.message, retryAfterSeconds: gate.retryAfterSeconds };
  }
  let passed = false;
  if (proof.factor === "totp") {
    passed = (await spendTotpCode(db, attempt.userId, proof.code, attempt.now, "confirmed")).ok;
  } else if (proof.factor === "recovery_code") {
    passed = await spendRecoveryCode(db, attempt.userId, proof.code, attempt.now);
  } else {
    const assertion = await verifyPasskeyAssertion(db, purpose, attempt.userId, proof.response, attempt.now);
    passed = assertion.ok;
    if (!assertion.ok && assertion.reason === "counter_regressed") await reportCounterRegression(db, assertion, attempt);
  }
  if (!passed) {
    await settleSecondFactorFailure(db, gate.failureEventId, attempt.userId);
    return { ok: false, reason: "wrong", message: WRONG[proof.factor] };
  }
  await withdrawSecondFactorFailure(db, gate.failureEventId);
  return { ok: true };
}

async function reportCounterRegression(
  db: Database,
  found: { userId: string; passkeyId: string; stored: number; presented: number },
  context: { ip: string | null; userAgent: string | null; now: Date },
) {
  await recordEvent(db, "passkey_counter_regressed", {
    userId: found.userId,
    ip: context.ip,
    userAgent: context.userAgent,
    at: context.now,
    details: { passkeyId: found.passkeyId, storedCounter: found.stored, presentedCounter: found.presented },
  });
  await detect(db, { kind: "passkey_counter_regressed", ...found }, context.now);
}

/**
 * `mfa_succeeded`, recorded as essential: it also starts the second step's failure count again (second-factor-gate.ts),
 * so it must never be dropped.
 */
export async function recordSecondFactorSuccess(
  tx: Queryable,
  who: { userId: string; sessionId: string; ip: string | null; userAgent: string | null; now: Date },
  factor: string,
  purpose: "sign_in" | "step_up" | "passkey_sign_in" | "api_token",
): Promise<void> {
  await recordEvent(
    tx,
    "mfa_succeeded",
    { userId: who.userId, authSessionId: who.sessionId, ip: who.ip, userAgent: who.userAgent, at: who.now, details: { factor, purpose } },
    { essential: true },
  );
}

export const attemptOf = (actor: SecondStepActor): SecondFactorAttempt => ({
  userId: actor.userId,
  username: actor.username,
  ip: throttleAddress(actor.ip),
  userAgent: actor.userAgent,
  now: actor.now,
});

/**
 * Turns the session that owed its second factor into a full sign-in (rotated: new id and token), in the caller's
 * transaction; records `mfa_succeeded`.
 */
async function completeSignIn(
  tx: Transaction,
  actor: SecondStepActor,
  factor: FactorProof["factor"] | "totp_enrolment" | "passkey_enrolment",
): Promise<Rotated | ProofFailure> {
  const method = factor === "totp_enrolment" ? "totp" : factor === "passkey_enrolment" ? "passkey" : factor;
  const rotated = await rotateSession(tx, {
    ...actor,
    secondFactor: { factor: method, verifiedAt: actor.now },
  });
  if (!rotated) return { ok: false, reason: "session_ended", message: "Your sign-in expired. Please sign in again." };
  // The chats of the visitor this sign-in started from were waiting for it to complete (see openSignedInSession).
  await adoptAnonymousChats(tx, actor.sessionId, actor.userId);
  await finishSignIn(tx, {
    user: { id: actor.userId, username: actor.username },
    session: rotated.session,
    policy: actor.policy,
    now: actor.now,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
  await recordSecondFactorSuccess(tx, { ...actor, sessionId: rotated.session.id }, method, "sign_in");
  return { ok: true, ...rotated };
}

/** The second step of a sign-in: a TOTP code, a recovery code or a passkey. */
export async function completeSecondStep(
  db: Database,
  actor: SecondStepActor,
  proof: FactorProof,
): Promise<(Rotated & { recoveryCodesLeft: number | null }) | ProofFailure> {
  const checked = await checkSecondFactor(db, attemptOf(actor), proof, "second_factor");
  if (!checked.ok) return checked;
  const done = await db.transaction(async (tx) => {
    const completed = await completeSignIn(tx, actor, proof.factor);
    if (completed.ok && proof.factor === "recovery_code") {
      await recordEvent(tx, "recovery_code_used", {
        userId: actor.userId,
        authSessionId: completed.session.id,
        ip: actor.ip,
        userAgent: actor.userAgent,
        at: actor.now,
        details: { left: await recoveryCodesLeft(tx, actor.userId) },
      });
    }
    return completed;
  });
  if (!done.ok) return done;
  await afterSignIn(db, actor.userId, actor.now);
  const left = proof.factor === "recovery_code" ? await recoveryCodesLeft(db, actor.userId) : null;
  return { ...done, recoveryCodesLeft: left };
}

/**
 * After an enrolment that was owed (an administrator's first factor): the session becomes a full sign-in. A session
 * that was already complete only notes that a factor was verified in it.
 */
export async function afterEnrolment(
  tx: Transaction,
  actor: SecondStepActor,
  owed: boolean,
  factor: "totp_enrolment" | "passkey_enrolment",
): Promise<Rotated | ProofFailure | { ok: true; session: null }> {
  if (owed) return completeSignIn(tx, actor, factor);
  await tx
    .update(authSessions)
    .set({ mfaVerifiedAt: actor.now })
    .where(and(eq(authSessions.id, actor.sessionId), isNull(authSessions.mfaVerifiedAt)));
  return { ok: true, session: null };
}

/** Step-up with a second factor instead of the password (TOTP or passkey; recovery codes are for the sign-in only). */
export async function stepUpWithFactor(
  db: Database,
  actor: SecondStepActor,
  proof: Exclude<FactorProof, { factor: "recovery_code" }>,
): Promise<Rotated | ProofFailure> {
  const checked = await checkSecondFactor(db, attemptOf(actor), proof, "step_up");
  if (!checked.ok) return checked;
  return db.transaction(async (tx) => {
    const rotated = await rotateSession(tx, actor);
    if (!rotated) return { ok: false, reason: "session_ended", message: "Your session has ended. Please sign in again." } as const;
    await recordEvent(tx, "reauthenticated", {
      userId: actor.userId,
      authSessionId: rotated.session.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      at: actor.now,
      details: { method: proof.factor },
    });
    await recordSecondFactorSuccess(tx, { ...actor, sessionId: rotated.session.id }, proof.factor, "step_up");
    return { ok: true, ...rotated } as const;
  });
}

export type PasskeySignIn = ({ ok: true; user: User } & OpenedSession) | { ok: false; message: string };

/**
 * Signing in with a passkey alone: a discoverable credential, verified by the person on their device, is both
 * factors. Unknown or disabled accounts and failed checks all get the same answer.
 */
export async function signInWithPasskey(
  db: Database,
  request: {
    response: AuthenticationResponseJSON;
    previous: SessionData | null;
    ip: string | null;
    userAgent: string | null;
    now: Date;
  },
): Promise<PasskeySignIn> {
  const failed = { ok: false, message: "That passkey could not sign you in. Try again, or sign in with your password." } as const;
  const { ip, userAgent, now } = request;
  const assertion = await verifyPasskeyAssertion(db, "sign_in", null, request.response, now);
  metrics().signIns.inc({ method: "passkey", outcome: assertion.ok ? "ok" : "failed" });
  if (!assertion.ok) {
    if (assertion.reason === "counter_regressed") await reportCounterRegression(db, assertion, { ip, userAgent, now });
    await recordEvent(
      db,
      "login_failed",
      { ip: throttleAddress(ip), userAgent, at: now, details: { reason: `passkey_${assertion.reason}` } },
      { essential: true },
    );
    return failed;
  }
  const [user] = await db.select().from(users).where(eq(users.id, assertion.userId));
  if (!user || user.disabledAt) return failed;
  const opened = await db.transaction(async (tx) => {
    const session = await openSignedInSession(tx, {
      user,
      previous: request.previous,
      rememberMe: false,
      ip,
      userAgent,
      now,
      method: "passkey",
    });
    await recordSecondFactorSuccess(
      tx,
      { userId: user.id, sessionId: session.session.id, ip, userAgent, now },
      "passkey",
      "passkey_sign_in",
    );
    return session;
  });
  await afterSignIn(db, user.id, now);
  return { ok: true, user, ...opened };
}
