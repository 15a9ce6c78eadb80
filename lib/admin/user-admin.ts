import "server-only";
import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { liftLoginLocks } from "@/lib/auth/throttle-gate";
import { createUser, resetPassword, setDisabled, setRole } from "@/lib/auth/users";
import type { Database, Queryable } from "@/lib/db/client";
import { authSessions, users, type User, type UserRole } from "@/lib/db/schema";
import { recordEvent, type SecurityEventType } from "@/lib/monitor/events";
import { endSessions } from "@/lib/sessions/end-sessions";
import { resetSecondFactors } from "@/lib/mfa/factors";

/**
 * What an administrator does to accounts from /admin/users: each change and its event in one transaction, the
 * administrator as the event's user and the account as its subject (so the audit log finds it under either).
 */

export type AdminActor = { id: string };

async function recordChange(
  db: Queryable,
  type: SecurityEventType,
  actor: AdminActor,
  target: User,
  now: Date,
  details: Record<string, unknown> = {},
) {
  await recordEvent(
    db,
    type,
    { userId: actor.id, subject: target.username, at: now, details: { accountId: target.id, ...details } },
    { essential: true },
  );
}

export async function adminCreateUser(
  db: Database,
  actor: AdminActor,
  input: { username: string; password: string; role: UserRole },
  now: Date,
): Promise<User> {
  return db.transaction(async (tx) => {
    const user = await createUser(tx, input);
    await recordChange(tx, "user_created", actor, user, now, { role: user.role });
    return user;
  });
}

/** Disabling ends every session of the account at once; enabling lets it sign in again. */
export async function adminSetDisabled(db: Database, actor: AdminActor, target: User, disabled: boolean, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const { endedSessions } = await setDisabled(tx, target.username, disabled);
    await recordChange(tx, disabled ? "user_disabled" : "user_enabled", actor, target, now, { endedSessions });
    return endedSessions;
  });
}

/** A new role ends the account's sessions (a session's policy is fixed when it starts). */
export async function adminSetRole(db: Database, actor: AdminActor, target: User, role: UserRole, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await setRole(tx, target.username, role);
    await recordChange(tx, "user_role_changed", actor, target, now, { from: target.role, to: role });
  });
}

/** A new password set by an administrator ends the account's sessions. */
export async function adminResetPassword(db: Database, actor: AdminActor, target: User, password: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await resetPassword(tx, target.username, password, { mustChange: true });
    const ended = await endSessions(tx, { userId: target.id }, "password_changed", { now, details: { by: actor.id } });
    await recordChange(tx, "user_password_reset", actor, target, now, { endedSessions: ended.length });
    return ended.length;
  });
}

/** Ends one live session of the account (only if it is theirs); returns whether one ended. */
export async function adminEndSession(db: Database, actor: AdminActor, target: User, sessionId: string, now: Date): Promise<boolean> {
  const ended = await endSessions(db, { ids: [sessionId], userId: target.id }, "admin_forced", { now, details: { by: actor.id } });
  return ended.length > 0;
}

/** Removes every second factor of the account and ends its sessions (someone lost their device). */
export async function adminResetSecondFactors(db: Database, actor: AdminActor, target: User, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await resetSecondFactors(tx, target.id, { now, by: actor.id });
    await recordChange(tx, "mfa_reset", actor, target, now, { endedSessions: ended });
    return ended;
  });
}

/** Lifts the sign-in locks of the account's username (recorded as login_unlocked by this administrator). */
export async function adminUnlock(db: Database, actor: AdminActor, target: User, now: Date): Promise<void> {
  await liftLoginLocks(db, { username: target.username }, { userId: actor.id, now });
}

/** Accounts whose username contains `search` (all when empty), with their live session counts. */
export async function listUsers(db: Queryable, search: string, now: Date, limit = 100) {
  const live = and(eq(authSessions.userId, users.id), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now));
  const pattern = `%${search.toLowerCase().replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}%`;
  return db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
      liveSessions: count(authSessions.id),
    })
    .from(users)
    .leftJoin(authSessions, live)
    .where(search ? sql`lower(${users.username}) like ${pattern}` : undefined)
    .groupBy(users.id)
    .orderBy(users.username)
    .limit(limit);
}

/** An account's live sessions, newest activity first. */
export async function liveSessionsOf(db: Queryable, userId: string, now: Date) {
  return db
    .select({
      id: authSessions.id,
      kind: authSessions.kind,
      createdAt: authSessions.createdAt,
      lastActivityAt: authSessions.lastActivityAt,
      clientIp: authSessions.clientIp,
      userAgent: authSessions.userAgent,
      suspiciousSeverity: authSessions.suspiciousSeverity,
    })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)))
    .orderBy(desc(authSessions.lastActivityAt));
}
