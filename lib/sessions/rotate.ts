import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { authSessions, type AuthSession } from "@/lib/db/schema";
import type { SessionPolicy } from "@/lib/policies/types";
import { endSessions } from "./end-sessions";
import { createAuthSession } from "./store";

export type Rotation = {
  /** The live session being replaced. */
  sessionId: string;
  policy: SessionPolicy;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  /** Set when the rotation is the second factor's completion: the factor given and the moment it was verified. */
  secondFactor?: { factor: string; verifiedAt: Date };
};

/**
 * Replaces a signed-in session with a fresh one (new id and token, authenticated now) and revokes the old one,
 * in the caller's transaction. Used whenever the person proves who they are again (re-authentication, password
 * change): a cookie copied before that moment must not inherit the fresh proof. The new session keeps the old
 * one's start, kind, sign-in method and remember-me, so its absolute lifetime still counts from the sign-in.
 * Returns null when the old session is no longer live (ended by a race).
 */
export async function rotateSession(tx: Queryable, rotation: Rotation): Promise<{ session: AuthSession; token: string } | null> {
  const [old] = await tx
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.id, rotation.sessionId), isNull(authSessions.revokedAt)))
    .for("update");
  if (!old?.userId) return null;
  await endSessions(tx, { ids: [old.id] }, "rotated", { now: rotation.now, ip: rotation.ip, userAgent: rotation.userAgent });
  const fresh = await createAuthSession(tx, {
    userId: old.userId,
    kind: old.kind,
    policy: rotation.policy,
    rememberMe: old.rememberMe,
    // "password+totp", "sso+passkey" …: the first step's method, then the second factor's.
    authMethod: rotation.secondFactor ? `${old.authMethod}+${rotation.secondFactor.factor}` : old.authMethod,
    clientIp: rotation.ip,
    userAgent: rotation.userAgent,
    now: rotation.now,
    createdAt: old.createdAt,
    // A flagged session stays flagged under its new id.
    flag: old.suspiciousAt ? { at: old.suspiciousAt, severity: old.suspiciousSeverity } : null,
    mfaVerifiedAt: rotation.secondFactor?.verifiedAt ?? old.mfaVerifiedAt,
    sso: old.ssoIdentityId ? { identityId: old.ssoIdentityId, idpSessionId: old.idpSessionId } : null,
  });
  return fresh;
}
