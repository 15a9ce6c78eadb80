import { and, desc, eq, gte, isNotNull, isNull, ne, notInArray, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Database, Queryable } from "@/lib/db/client";
import { authSessions, policyOverrides, users, type AuthSession, type User } from "@/lib/db/schema";
import { ACCESS_TOKEN_METHOD } from "@/lib/policies/access-token";
import { expiryAt } from "@/lib/policies/limits";
import { policyPatchSchema, type PolicyPatch } from "@/lib/policies/resolve";
import type { SessionKind, SessionPolicy } from "@/lib/policies/types";
import { endSessions } from "./end-sessions";
import { hashSessionToken, newSessionToken } from "./tokens";

/**
 * auth_sessions rows: one per sign-in or anonymous visitor. lib/sessions owns the table: rows are created and
 * flagged here, ended only through end-sessions.ts, and touched (activity, sliding expiry) by guard.ts.
 */

export type NewSessionInput = {
  userId: string | null;
  kind: SessionKind;
  policy: SessionPolicy;
  rememberMe: boolean;
  authMethod?: string;
  clientIp: string | null;
  userAgent: string | null;
  now: Date;
  /** When the session began, for a rotated session (its absolute lifetime still counts from the sign-in). */
  createdAt?: Date;
  /** A monitor flag carried over (a rotated session stays flagged). */
  flag?: { at: Date; severity: FlagSeverity | null } | null;
  /** When a second factor was verified for this sign-in (null: not yet, or none was asked for). */
  mfaVerifiedAt?: Date | null;
  /** An expiry sooner than the policy's: a session waiting for its second factor gets only a few minutes. */
  expiresAt?: Date;
  /** When the person proved who they are, when not now (SSO: when they authenticated at the provider). */
  authenticatedAt?: Date;
  /** An SSO session: the identity and the provider's session id, for back-channel logout. */
  sso?: { identityId: string; idpSessionId: string | null } | null;
};

export async function createAuthSession(db: Queryable, input: NewSessionInput): Promise<{ session: AuthSession; token: string }> {
  const token = newSessionToken();
  const at = input.now.getTime();
  const createdAt = input.createdAt ?? input.now;
  const rememberMe = input.rememberMe && input.policy.rememberMe !== null;
  const authenticatedAt = input.userId ? (input.authenticatedAt?.getTime() ?? at) : null;
  const [session] = await db
    .insert(authSessions)
    .values({
      tokenHash: hashSessionToken(token),
      userId: input.userId,
      kind: input.kind,
      authMethod: input.authMethod ?? (input.userId ? "password" : "anonymous"),
      rememberMe,
      createdAt,
      lastActivityAt: input.now,
      authenticatedAt: authenticatedAt === null ? null : new Date(authenticatedAt),
      ssoIdentityId: input.sso?.identityId ?? null,
      idpSessionId: input.sso?.idpSessionId ?? null,
      mfaVerifiedAt: input.mfaVerifiedAt ?? null,
      expiresAt: input.expiresAt ?? new Date(expiryAt(input.policy, { createdAt: createdAt.getTime(), authenticatedAt, rememberMe }, at)),
      clientIp: input.clientIp,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      suspiciousAt: input.flag?.at ?? null,
      suspiciousSeverity: input.flag?.severity ?? null,
    })
    .returning();
  if (!session) throw new Error("auth session insert returned no row");
  return { session, token };
}

export type LiveSession = {
  session: AuthSession;
  user: Pick<User, "id" | "username" | "role" | "disabledAt" | "mfaEnabledAt" | "passwordChangeRequired"> | null;
  /** The user's per-user policy override (validated), if any. */
  override: PolicyPatch | null;
};

/** Parses a stored override; a malformed one is ignored rather than trusted. */
export function parseOverride(raw: unknown): PolicyPatch | null {
  if (raw === null || raw === undefined) return null;
  const parsed = policyPatchSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The session row by id and token hash (the primary key and a unique index), with its user and override. */
function lookupQuery(db: Queryable) {
  return db
    .select({
      session: authSessions,
      user: {
        id: users.id,
        username: users.username,
        role: users.role,
        disabledAt: users.disabledAt,
        mfaEnabledAt: users.mfaEnabledAt,
        passwordChangeRequired: users.passwordChangeRequired,
      },
      override: policyOverrides.policy,
    })
    .from(authSessions)
    .leftJoin(users, eq(users.id, authSessions.userId))
    .leftJoin(policyOverrides, eq(policyOverrides.userId, authSessions.userId));
}

/**
 * The request path's lookup, built and prepared once per pool: building a drizzle query on every call cost ten
 * times the query itself (docs/BENCHMARKS.md). Revoked and expired rows are filtered after it, so one statement
 * serves every caller.
 */
function preparedLookup(db: Database) {
  return lookupQuery(db)
    .where(and(eq(authSessions.id, sql.placeholder("sid")), eq(authSessions.tokenHash, sql.placeholder("tokenHash"))))
    .limit(1)
    .prepare("find_live_session");
}
const preparedLookups = new WeakMap<Database, ReturnType<typeof preparedLookup>>();

/**
 * The session with this id whose token hash matches, not revoked, not expired, and whose user (if any) exists
 * and is not disabled — with the user's policy override. One indexed query.
 */
export async function findLiveSession(
  db: Queryable,
  sid: string,
  token: string,
  now: Date,
  options: { includeExpired?: boolean; includeRevoked?: boolean } = {},
): Promise<LiveSession | null> {
  const tokenHash = hashSessionToken(token);
  let rows;
  if (db instanceof PgTransaction) {
    // Inside a transaction (sign-in, rotation): rare, and bound to that transaction's connection.
    rows = await lookupQuery(db)
      .where(and(eq(authSessions.id, sid), eq(authSessions.tokenHash, tokenHash)))
      .limit(1);
  } else {
    let lookup = preparedLookups.get(db);
    if (!lookup) preparedLookups.set(db, (lookup = preparedLookup(db)));
    rows = await lookup.execute({ sid, tokenHash });
  }
  const row = rows[0];
  if (!row) return null;
  if (!options.includeRevoked && row.session.revokedAt !== null) return null;
  if (!options.includeExpired && row.session.expiresAt.getTime() < now.getTime()) return null;
  const signedIn = row.session.kind !== "anonymous";
  // A signed-in session whose user was deleted (user_id set null) or disabled is dead.
  if (signedIn && (!row.user || row.user.disabledAt !== null)) return null;
  return { session: row.session, user: row.user, override: parseOverride(row.override) };
}

/**
 * Keeps the session just created plus the user's `limit - 1` newest other live sessions, and ends the rest
 * (reason `concurrency_limit`). Call inside the transaction that locked the user row, so racing sign-ins cannot
 * both slip under the limit — and the session a sign-in returns is never the one it evicts.
 */
export async function evictBeyondLimit(
  tx: Queryable,
  input: {
    userId: string;
    limit: number;
    keep: string;
    now: Date;
    ip: string | null;
    userAgent: string | null;
    api?: boolean;
    /** Leave sessions still owing their second factor out: they are not sign-ins yet (they expire in minutes). */
    verifiedOnly?: boolean;
  },
): Promise<string[]> {
  // API tokens and browser sessions have limits of their own: a script's tokens never push a person's browser out.
  // Personal access tokens have none: they live until their own expiry or revocation.
  const sameGroup = and(
    input.api ? eq(authSessions.kind, "api") : ne(authSessions.kind, "api"),
    ne(authSessions.authMethod, ACCESS_TOKEN_METHOD),
    input.verifiedOnly ? isNotNull(authSessions.mfaVerifiedAt) : undefined,
  );
  const newest = await tx
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.userId, input.userId),
        isNull(authSessions.revokedAt),
        gte(authSessions.expiresAt, input.now),
        ne(authSessions.id, input.keep),
        sameGroup,
      ),
    )
    .orderBy(desc(authSessions.createdAt), desc(authSessions.id))
    .limit(Math.max(0, input.limit - 1));
  const keep = [input.keep, ...newest.map((s) => s.id)];
  const evicted = await endSessions(
    tx,
    {
      where: and(
        eq(authSessions.userId, input.userId),
        gte(authSessions.expiresAt, input.now),
        notInArray(authSessions.id, keep),
        sameGroup,
      ),
    },
    "concurrency_limit",
    { now: input.now, ip: input.ip, userAgent: input.userAgent, details: { limit: input.limit } },
  );
  return evicted.map((e) => e.id);
}

export type FlagSeverity = "high" | "critical";

/** Flags a user's live sessions for the monitor; a flag's severity only ever rises here. */
export async function raiseSessionFlags(db: Queryable, userId: string, severity: FlagSeverity, now: Date): Promise<void> {
  await db
    .update(authSessions)
    .set({
      suspiciousAt: sql`coalesce(${authSessions.suspiciousAt}, ${now.toISOString()}::timestamptz)`,
      suspiciousSeverity: severity === "critical" ? "critical" : sql`coalesce(${authSessions.suspiciousSeverity}, 'high')`,
    })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)));
}

/** Sets the flags of a user's flagged live sessions to `severity`, or lifts them (null). */
export async function setSessionFlags(db: Queryable, userId: string, severity: FlagSeverity | null): Promise<void> {
  const flagged = and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), isNotNull(authSessions.suspiciousAt));
  if (severity === null) await db.update(authSessions).set({ suspiciousAt: null, suspiciousSeverity: null }).where(flagged);
  else await db.update(authSessions).set({ suspiciousSeverity: severity }).where(flagged);
}
