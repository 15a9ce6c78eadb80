import { and, count, eq, gt, gte, inArray, isNotNull, isNull, max, sql } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import type { SecurityEventType } from "./events";

/** Window counts over security_events and auth_sessions: each one indexed query, never a scan of all events. */

export async function countEvents(
  db: Queryable,
  filter: { type: SecurityEventType; since: Date; userId?: string; ip?: string },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.type, filter.type),
        gt(securityEvents.at, filter.since),
        filter.userId ? eq(securityEvents.userId, filter.userId) : undefined,
        filter.ip ? eq(securityEvents.ip, filter.ip) : undefined,
      ),
    );
  return row?.n ?? 0;
}

/** Failed sign-ins of a (username, IP) pair since its last success, and of the IP overall, for the throttle. */
export async function loginFailureWindow(db: Queryable, input: { username: string; ip: string; now: Date; lockMs: number }) {
  const subject = input.username.trim().toLowerCase();
  const hourAgo = new Date(input.now.getTime() - 3_600_000);
  const lockStart = new Date(input.now.getTime() - input.lockMs);
  // Bounded to the lock period: only a recent success can shorten the window (and the scan stays small).
  const [lastSuccess] = await db
    .select({ at: max(securityEvents.at) })
    .from(securityEvents)
    .where(and(eq(securityEvents.subject, subject), gt(securityEvents.at, lockStart), eq(securityEvents.type, "login_succeeded"), eq(securityEvents.ip, input.ip)));
  const pairSince = lastSuccess?.at && lastSuccess.at > lockStart ? lastSuccess.at : lockStart;
  const earliest = pairSince < hourAgo ? pairSince : hourAgo;
  const pairSinceIso = pairSince.toISOString();
  const hourAgoIso = hourAgo.toISOString();
  const [row] = await db
    .select({
      pairFailures: sql<number>`count(*) filter (where ${securityEvents.subject} = ${subject} and ${securityEvents.at} > ${pairSinceIso}::timestamptz)::int`,
      pairLast: sql<string | null>`max(${securityEvents.at}) filter (where ${securityEvents.subject} = ${subject} and ${securityEvents.at} > ${pairSinceIso}::timestamptz)`,
      ipFailures: sql<number>`count(*) filter (where ${securityEvents.at} > ${hourAgoIso}::timestamptz)::int`,
      ipLast: sql<string | null>`max(${securityEvents.at}) filter (where ${securityEvents.at} > ${hourAgoIso}::timestamptz)`,
    })
    .from(securityEvents)
    .where(and(eq(securityEvents.ip, input.ip), eq(securityEvents.type, "login_failed"), gt(securityEvents.at, earliest)));
  return {
    pairFailures: row?.pairFailures ?? 0,
    pairLastFailureAt: row?.pairLast ? new Date(row.pairLast).getTime() : null,
    ipFailures: row?.ipFailures ?? 0,
    ipLastFailureAt: row?.ipLast ? new Date(row.ipLast).getTime() : null,
  };
}

/** Distinct client addresses a user was seen from since `since`. */
export async function distinctIps(db: Queryable, userId: string, since: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ ip: securityEvents.ip })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        gt(securityEvents.at, since),
        isNotNull(securityEvents.ip),
        inArray(securityEvents.type, ["login_succeeded", "session_created", "session_accessed"]),
      ),
    );
  return rows.map((r) => r.ip!).sort();
}

export async function liveSessionCount(db: Queryable, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), gte(authSessions.expiresAt, now)));
  return row?.n ?? 0;
}

/** A user's activity over the last 30 days: all events, and those at night (UTC hours given). */
export async function activityHours(db: Queryable, userId: string, now: Date, nightHours: readonly number[]) {
  const since = new Date(now.getTime() - 30 * 24 * 3_600_000);
  const [row] = await db
    .select({
      total: count(),
      atNight: sql<number>`count(*) filter (where extract(hour from ${securityEvents.at} at time zone 'UTC')::int in (${sql.join(nightHours.map((h) => sql`${h}`), sql`, `)}))::int`,
    })
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), gt(securityEvents.at, since), inArray(securityEvents.type, ["login_succeeded", "session_accessed"])));
  return { total: row?.total ?? 0, atNight: row?.atNight ?? 0 };
}
