import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { authSessions, users, type AuthSession, type User } from "@/lib/db/schema";
import { DEFAULT_POLICIES, sessionLifetimeMs } from "@/lib/policies/defaults";
import type { SessionKind } from "@/lib/policies/types";
import { hashSessionToken, newSessionToken } from "./tokens";

/** auth_sessions rows: one per sign-in or anonymous visitor. */

export type RevokeReason =
  | "logout"
  | "superseded"
  | "upgraded"
  | "concurrency_limit"
  | "password_changed"
  | "user_disabled"
  | "admin_forced"
  | "revoked_by_user"
  | (string & {});

export type NewSessionInput = {
  userId: string | null;
  kind: SessionKind;
  rememberMe: boolean;
  authMethod?: string;
  clientIp: string | null;
  userAgent: string | null;
  now: Date;
};

export async function createAuthSession(
  db: Queryable,
  input: NewSessionInput,
): Promise<{ session: AuthSession; token: string }> {
  const token = newSessionToken();
  const policy = DEFAULT_POLICIES[input.kind];
  const [session] = await db
    .insert(authSessions)
    .values({
      tokenHash: hashSessionToken(token),
      userId: input.userId,
      kind: input.kind,
      authMethod: input.authMethod ?? (input.userId ? "password" : "anonymous"),
      rememberMe: input.rememberMe,
      createdAt: input.now,
      lastActivityAt: input.now,
      authenticatedAt: input.userId ? input.now : null,
      expiresAt: new Date(input.now.getTime() + sessionLifetimeMs(policy, input.rememberMe)),
      clientIp: input.clientIp,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    })
    .returning();
  if (!session) throw new Error("auth session insert returned no row");
  return { session, token };
}

export type LiveSession = {
  session: AuthSession;
  user: Pick<User, "id" | "username" | "role" | "disabledAt"> | null;
};

/**
 * The session with this id whose token hash matches, not revoked, not expired, and whose user (if any) exists
 * and is not disabled. One indexed query joined to users.
 */
export async function findLiveSession(db: Queryable, sid: string, token: string, now: Date): Promise<LiveSession | null> {
  const rows = await db
    .select({
      session: authSessions,
      user: { id: users.id, username: users.username, role: users.role, disabledAt: users.disabledAt },
    })
    .from(authSessions)
    .leftJoin(users, eq(users.id, authSessions.userId))
    .where(
      and(
        eq(authSessions.id, sid),
        eq(authSessions.tokenHash, hashSessionToken(token)),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
      ),
    )
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  if (row.session.userId !== null && (!row.user || row.user.disabledAt !== null)) return null;
  return { session: row.session, user: row.user };
}

/** Revokes one session; returns whether it was live. */
export async function revokeSession(db: Queryable, sid: string, reason: RevokeReason, now: Date): Promise<boolean> {
  const revoked = await db
    .update(authSessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(authSessions.id, sid), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id });
  return revoked.length > 0;
}

/** Revokes every live session of a user, optionally keeping one; returns how many ended. */
export async function revokeUserSessions(
  db: Queryable,
  userId: string,
  reason: RevokeReason,
  now: Date,
  exceptSid?: string,
): Promise<number> {
  const revoked = await db
    .update(authSessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        exceptSid ? ne(authSessions.id, exceptSid) : sql`true`,
      ),
    )
    .returning({ id: authSessions.id });
  return revoked.length;
}
