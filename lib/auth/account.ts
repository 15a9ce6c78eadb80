import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { authSessions, users, type AuthSession } from "@/lib/db/schema";
import { ACCESS_TOKEN_METHOD } from "@/lib/policies/access-token";
import { recordEvent } from "@/lib/monitor/events";
import type { SessionPolicy } from "@/lib/policies/types";
import { rotateSession } from "@/lib/sessions/rotate";
import { endSessions } from "@/lib/sessions/end-sessions";
import { BUSY, passwordChecks } from "./password-check-queue";
import { openLoginGate, settleFailure, throttleAddress, withdrawFailure } from "./throttle-gate";
import { hashPassword, verifyPassword } from "./passwords";

/** Sensitive account operations. Callers check step-up (recent authentication) first where the page asks for it. */

export type Actor = { userId: string; sessionId: string; policy: SessionPolicy; ip: string | null; userAgent: string | null; now: Date };

/** A proof of identity that succeeded yields a new session (id and token); the old one is revoked. */
export type ProofResult =
  | { ok: true; session: AuthSession; token: string }
  | { ok: false; reason: "wrong_password" | "session_ended" }
  | { ok: false; reason: "throttled"; message: string };

/**
 * Checks the signed-in user's own password, guarded by the same brute-force gate as sign-in (a stolen cookie must
 * not become a password oracle).
 */
async function checkOwnPassword(db: Database, actor: Actor, password: string, reason: string): Promise<ProofResult | null> {
  const ticket = passwordChecks.admit(throttleAddress(actor.ip));
  if (!ticket) return { ok: false, reason: "throttled", message: BUSY.message };
  try {
    const [user] = await db
      .select({ passwordHash: users.passwordHash, username: users.username })
      .from(users)
      .where(eq(users.id, actor.userId));
    if (!user) return { ok: false, reason: "session_ended" };
    const gate = await openLoginGate(
      db,
      { username: user.username, ip: actor.ip, userAgent: actor.userAgent, now: actor.now, userId: actor.userId },
      reason,
    );
    if (!gate.allowed) return { ok: false, reason: "throttled", message: gate.message };
    if (!(await ticket.run(() => verifyPassword(password, user.passwordHash)))) {
      await settleFailure(db, gate.failureEventId, actor.userId);
      return { ok: false, reason: "wrong_password" };
    }
    await withdrawFailure(db, gate.failureEventId);
    return null;
  } finally {
    ticket.cancel();
  }
}

/**
 * Step-up: checks the password of the signed-in user and replaces the session with a freshly authenticated one
 * (ASVS 7.2.4: a cookie copied earlier does not inherit the new proof).
 */
export async function confirmPassword(db: Database, actor: Actor, password: string): Promise<ProofResult> {
  const failed = await checkOwnPassword(db, actor, password, "step_up_failed");
  if (failed) return failed;
  return db.transaction(async (tx) => {
    const rotated = await rotateSession(tx, actor);
    if (!rotated) return { ok: false, reason: "session_ended" } as const;
    await recordEvent(tx, "reauthenticated", {
      userId: actor.userId,
      authSessionId: rotated.session.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      at: actor.now,
    });
    return { ok: true, ...rotated } as const;
  });
}

/**
 * Sets a new password once the current one is confirmed (ASVS 6.2.3), ends every other session of the user, and
 * replaces this one with a fresh session.
 */
export async function changePassword(
  db: Database,
  actor: Actor,
  passwords: { current: string; next: string },
): Promise<(ProofResult & { ok: false }) | { ok: true; session: AuthSession; token: string; otherSessionsEnded: number }> {
  const failed = await checkOwnPassword(db, actor, passwords.current, "password_change_failed");
  if (failed) return failed as ProofResult & { ok: false };
  const passwordHash = await hashPassword(passwords.next);
  return db.transaction(async (tx) => {
    const rotated = await rotateSession(tx, actor);
    if (!rotated) return { ok: false, reason: "session_ended" } as const;
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: actor.now, passwordChangeRequired: false, updatedAt: actor.now })
      .where(eq(users.id, actor.userId));
    const ended = await endSessions(tx, { userId: actor.userId, except: rotated.session.id }, "password_changed", actor);
    await recordEvent(tx, "password_changed", {
      userId: actor.userId,
      authSessionId: rotated.session.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      at: actor.now,
      details: { otherSessionsEnded: ended.length },
    });
    return { ok: true, ...rotated, otherSessionsEnded: ended.length } as const;
  });
}

/** "Sign out all other devices": ends every session of the user but this one; returns how many ended. */
export async function signOutOtherSessions(db: Database, actor: Omit<Actor, "policy">): Promise<number> {
  return db.transaction(
    async (tx) =>
      (
        await endSessions(
          tx,
          // Devices, not the account's personal access tokens: those are revoked one by one, by name (a password
          // change ends them too).
          {
            where: and(
              eq(authSessions.userId, actor.userId),
              ne(authSessions.id, actor.sessionId),
              ne(authSessions.authMethod, ACCESS_TOKEN_METHOD),
            ),
          },
          "revoked_by_user",
          actor,
        )
      ).length,
  );
}
