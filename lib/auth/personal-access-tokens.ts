import "server-only";
import { and, desc, eq, gte, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/app-error";
import type { Database, Queryable } from "@/lib/db/client";
import { accessTokens, authSessions, users, type AccessTokenScope } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import { ACCESS_TOKEN_METHOD, accessTokenExpiry } from "@/lib/policies/access-token";
import { formatApiToken } from "@/lib/sessions/api-token";
import { endSessions } from "@/lib/sessions/end-sessions";
import { policyFor } from "@/lib/sessions/session-policy";
import { createAuthSession } from "@/lib/sessions/store";
import { sessionRef } from "@/lib/monitor/session-ref";

/**
 * Personal access tokens (the access_tokens table's owner): created from a browser session that signed in recently,
 * each an `api` session (lib/policies/access-token.ts) whose row holds the token's hash, expiry, last use and
 * revocation. The token is shown once; only its hash is kept.
 */

/** Live tokens one account may hold: enough for its scripts, bounded so a stolen session cannot mint thousands. */
export const MAX_LIVE_ACCESS_TOKENS = 20;

export type AccessTokenSummary = {
  id: string;
  name: string;
  scope: AccessTokenScope;
  createdAt: string;
  expiresAt: string;
  /** Null until the token is first used (activity is written at most once a minute). */
  lastUsedAt: string | null;
};

type Creator = { userId: string; sessionId: string; ip: string | null; userAgent: string | null; now: Date };

export async function createAccessToken(
  db: Database,
  creator: Creator,
  input: { name: string; scope: AccessTokenScope; days: number },
): Promise<{ token: string; summary: AccessTokenSummary }> {
  const { now } = creator;
  return db.transaction(async (tx) => {
    // The account's tokens are counted under its row lock: two requests cannot both take the last place.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, creator.userId)).for("update");
    const [live] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(accessTokens)
      .innerJoin(authSessions, eq(authSessions.id, accessTokens.sessionId))
      .where(liveTokensOf(creator.userId, now));
    if ((live?.n ?? 0) >= MAX_LIVE_ACCESS_TOKENS) {
      throw AppError.conflict(`You have ${MAX_LIVE_ACCESS_TOKENS} live tokens: revoke one you no longer use first.`);
    }
    const { session, token } = await createAuthSession(tx, {
      userId: creator.userId,
      kind: "api",
      policy: policyFor("api", null),
      rememberMe: false,
      authMethod: ACCESS_TOKEN_METHOD,
      // Made by a session that gave every factor it owed: the token inherits that proof, not a new one.
      mfaVerifiedAt: now,
      clientIp: creator.ip,
      userAgent: creator.userAgent,
      now,
      expiresAt: accessTokenExpiry(now, input.days),
    });
    await tx
      .insert(accessTokens)
      .values({ sessionId: session.id, userId: creator.userId, name: input.name, scope: input.scope, createdAt: now });
    await recordEvent(tx, "access_token_created", {
      userId: creator.userId,
      authSessionId: session.id,
      ip: creator.ip,
      userAgent: creator.userAgent,
      at: now,
      // The creating session by its keyed reference: events never hold session ids.
      details: { name: input.name, scope: input.scope, expiresAt: session.expiresAt.toISOString(), by: sessionRef(creator.sessionId) },
    });
    return {
      token: formatApiToken(session.id, token),
      summary: {
        id: session.id,
        name: input.name,
        scope: input.scope,
        createdAt: now.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
        lastUsedAt: null,
      },
    };
  });
}

function liveTokensOf(userId: string, now: Date) {
  return and(eq(accessTokens.userId, userId), isNull(authSessions.revokedAt), gte(authSessions.expiresAt, now));
}

/** The account's live tokens, newest first. Never the token or its hash. */
export async function listAccessTokens(db: Queryable, userId: string, now: Date): Promise<AccessTokenSummary[]> {
  const rows = await db
    .select({
      id: accessTokens.sessionId,
      name: accessTokens.name,
      scope: accessTokens.scope,
      createdAt: accessTokens.createdAt,
      expiresAt: authSessions.expiresAt,
      lastActivityAt: authSessions.lastActivityAt,
      sessionCreatedAt: authSessions.createdAt,
    })
    .from(accessTokens)
    .innerJoin(authSessions, eq(authSessions.id, accessTokens.sessionId))
    .where(liveTokensOf(userId, now))
    .orderBy(desc(accessTokens.createdAt))
    .limit(MAX_LIVE_ACCESS_TOKENS);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    lastUsedAt: r.lastActivityAt.getTime() > r.sessionCreatedAt.getTime() ? r.lastActivityAt.toISOString() : null,
  }));
}

/** Revokes one of the account's tokens (another account's id is "no such token"). */
export async function revokeAccessToken(db: Database, actor: Omit<Creator, "sessionId">, tokenId: string): Promise<void> {
  const ended = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: accessTokens.sessionId })
      .from(accessTokens)
      .where(and(eq(accessTokens.sessionId, tokenId), eq(accessTokens.userId, actor.userId)));
    if (!row) return [];
    return endSessions(tx, { ids: [row.id], userId: actor.userId }, "revoked_by_user", actor);
  });
  if (ended.length === 0) throw AppError.notFound("No such token: it may have expired or been revoked already.");
}

/** The scope of the access token behind this session (null when the session is not one). */
export async function accessTokenScopeOf(db: Queryable, sessionId: string): Promise<AccessTokenScope | null> {
  const [row] = await db.select({ scope: accessTokens.scope }).from(accessTokens).where(eq(accessTokens.sessionId, sessionId));
  return row?.scope ?? null;
}
