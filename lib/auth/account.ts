import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { authSessions, users } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import { revokeUserSessions } from "@/lib/sessions/store";
import { openLoginGate, withdrawFailure } from "./throttle-gate";
import { hashPassword, verifyPassword } from "./passwords";

/** Sensitive account operations. Callers check step-up (recent authentication) first. */

type Actor = { userId: string; sessionId: string; ip: string | null; userAgent: string | null; now: Date };

/**
 * Step-up: checks the password of the signed-in user and marks the session freshly authenticated. Guarded by the
 * same brute-force throttle as sign-in (a stolen cookie must not become a password oracle).
 */
export async function confirmPassword(db: Database, actor: Actor, password: string): Promise<boolean | { throttled: string }> {
  const [user] = await db.select({ passwordHash: users.passwordHash, username: users.username }).from(users).where(eq(users.id, actor.userId));
  if (!user) return false;
  const gate = await openLoginGate(db, { username: user.username, ip: actor.ip, userAgent: actor.userAgent, now: actor.now, userId: actor.userId }, "step_up_failed");
  if (!gate.allowed) return { throttled: gate.message };
  if (!(await verifyPassword(password, user.passwordHash))) return false;
  await withdrawFailure(db, gate.failureEventId);
  await db.transaction(async (tx) => {
    await tx
      .update(authSessions)
      .set({ authenticatedAt: actor.now })
      .where(and(eq(authSessions.id, actor.sessionId), isNull(authSessions.revokedAt)));
    await recordEvent(tx, "reauthenticated", { userId: actor.userId, authSessionId: actor.sessionId, ip: actor.ip, userAgent: actor.userAgent, at: actor.now });
  });
  return true;
}

/** Sets a new password and ends every other session of the user; returns how many ended. */
export async function changePassword(db: Database, actor: Actor, newPassword: string): Promise<number> {
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: actor.now, updatedAt: actor.now }).where(eq(users.id, actor.userId));
    const ended = await revokeUserSessions(tx, actor.userId, "password_changed", actor.now, actor.sessionId);
    await recordEvent(tx, "password_changed", {
      userId: actor.userId,
      authSessionId: actor.sessionId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      at: actor.now,
      details: { otherSessionsEnded: ended.length },
    });
    return ended.length;
  });
}

/** "Sign out all other devices": ends every session of the user but this one; returns how many ended. */
export async function signOutOtherSessions(db: Database, actor: Actor): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await revokeUserSessions(tx, actor.userId, "revoked_by_user", actor.now, actor.sessionId);
    for (const id of ended) {
      await recordEvent(tx, "session_revoked", { userId: actor.userId, authSessionId: id, ip: actor.ip, userAgent: actor.userAgent, at: actor.now, details: { reason: "revoked_by_user" } });
    }
    return ended.length;
  });
}
