import { and, count, eq, gt, inArray, isNotNull, lte, max, or, sql } from "drizzle-orm";
import type { FailureWindow } from "@/lib/auth/login-throttle";
import type { Queryable } from "@/lib/db/client";
import { securityEvents } from "@/lib/db/schema";
import { networkOf } from "@/lib/policies/network";
import type { SecurityEventType } from "./events";
import { DAY_MS, HOUR_MS } from "@/lib/time";

/** Window counts over security_events: each one indexed query, never a scan of all events. */

export async function countEvents(
  db: Queryable,
  filter: { type: SecurityEventType | SecurityEventType[]; since: Date; userId?: string; ip?: string; subject?: string },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(securityEvents)
    .where(
      and(
        Array.isArray(filter.type) ? inArray(securityEvents.type, filter.type) : eq(securityEvents.type, filter.type),
        gt(securityEvents.at, filter.since),
        filter.userId ? eq(securityEvents.userId, filter.userId) : undefined,
        filter.ip ? eq(securityEvents.ip, filter.ip) : undefined,
        filter.subject ? eq(securityEvents.subject, filter.subject) : undefined,
      ),
    );
  return row?.n ?? 0;
}

/** How far back a successful sign-in makes a network familiar to an account. */
const FAMILIAR_DAYS = 90;

/** A password check never takes this long: a failure still pending after it was left by a crashed request. */
export const PENDING_FAILURE_MAX_MS = 60_000;

/**
 * Failed sign-ins for the throttle: of a (username, address) pair since its last success, of the address and of
 * the username within the hour, each counted only after the latest unlock of that username or address (an
 * administrator's `login_unlocked`). Every window ends at `now`: events stamped later (a skewed clock) do not
 * stretch a lock. Attempts refused while locked (`login_locked`) count against the address too.
 *
 * `settledOnly` leaves out failures recorded ahead of a password check still running (details.pending): a
 * correct password must not be refused because of attempts that have not failed (yet).
 */
export async function loginFailureWindow(
  db: Queryable,
  input: { username: string; ip: string; now: Date; lockMs: number; settledOnly?: boolean },
): Promise<FailureWindow> {
  const subject = input.username.trim().toLowerCase();
  const hourAgo = new Date(input.now.getTime() - HOUR_MS);
  const lockStart = new Date(input.now.getTime() - input.lockMs);
  const horizon = lockStart < hourAgo ? lockStart : hourAgo;
  const notAfterNow = lte(securityEvents.at, input.now);
  // The markers that restart a window: the pair's last success, and unlocks of the username or the address.
  const [markers] = await db
    .select({
      pairSuccess: sql<
        string | null
      >`max(${securityEvents.at}) filter (where ${securityEvents.type} = 'login_succeeded' and ${securityEvents.subject} = ${subject} and ${securityEvents.ip} = ${input.ip})`,
      subjectUnlock: sql<
        string | null
      >`max(${securityEvents.at}) filter (where ${securityEvents.type} = 'login_unlocked' and ${securityEvents.subject} = ${subject})`,
      ipUnlock: sql<
        string | null
      >`max(${securityEvents.at}) filter (where ${securityEvents.type} = 'login_unlocked' and ${securityEvents.ip} = ${input.ip})`,
    })
    .from(securityEvents)
    .where(
      and(
        inArray(securityEvents.type, ["login_succeeded", "login_unlocked"]),
        or(eq(securityEvents.subject, subject), eq(securityEvents.ip, input.ip)),
        gt(securityEvents.at, horizon),
        notAfterNow,
      ),
    );
  const latest = (...candidates: (Date | string | null | undefined)[]) =>
    candidates.reduce<Date>((best, c) => (c && new Date(c) > best ? new Date(c) : best), new Date(0));
  const pairSince = latest(lockStart, markers?.pairSuccess, markers?.subjectUnlock, markers?.ipUnlock);
  const ipSince = latest(hourAgo, markers?.ipUnlock);
  const accountSince = latest(hourAgo, markers?.subjectUnlock);
  const earliest = pairSince < ipSince ? pairSince : ipSince;
  const staleBefore = new Date(input.now.getTime() - PENDING_FAILURE_MAX_MS).toISOString();
  const settled = input.settledOnly
    ? sql`(${securityEvents.details}->>'pending' is null or ${securityEvents.at} < ${staleBefore}::timestamptz)`
    : undefined;
  const isFailure = sql`${securityEvents.type} = 'login_failed'`;

  const [byIp] = await db
    .select({
      pairFailures: sql<number>`count(*) filter (where ${isFailure} and ${securityEvents.subject} = ${subject} and ${securityEvents.at} > ${pairSince.toISOString()}::timestamptz)::int`,
      pairLast: sql<
        string | null
      >`max(${securityEvents.at}) filter (where ${isFailure} and ${securityEvents.subject} = ${subject} and ${securityEvents.at} > ${pairSince.toISOString()}::timestamptz)`,
      ipFailures: sql<number>`count(*) filter (where ${securityEvents.at} > ${ipSince.toISOString()}::timestamptz)::int`,
      ipLast: sql<string | null>`max(${securityEvents.at}) filter (where ${securityEvents.at} > ${ipSince.toISOString()}::timestamptz)`,
    })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.ip, input.ip),
        inArray(securityEvents.type, ["login_failed", "login_locked"]),
        gt(securityEvents.at, earliest),
        notAfterNow,
        settled,
      ),
    );
  const [byAccount] = await db
    .select({ failures: count(), last: max(securityEvents.at) })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.subject, subject),
        eq(securityEvents.type, "login_failed"),
        gt(securityEvents.at, accountSince),
        notAfterNow,
        settled,
      ),
    );
  const accountFailures = byAccount?.failures ?? 0;
  return {
    pairFailures: byIp?.pairFailures ?? 0,
    pairLastFailureAt: byIp?.pairLast ? new Date(byIp.pairLast).getTime() : null,
    ipFailures: byIp?.ipFailures ?? 0,
    ipLastFailureAt: byIp?.ipLast ? new Date(byIp.ipLast).getTime() : null,
    accountFailures,
    accountLastFailureAt: byAccount?.last ? new Date(byAccount.last).getTime() : null,
    // Only looked up for an account under attack: most sign-ins never pay for it.
    familiarNetwork: accountFailures > 0 ? await signedInFromNetwork(db, subject, input.ip, input.now) : false,
  };
}

/** Whether the username signed in successfully from the address's network (/24, IPv6 /64) in the last 90 days. */
async function signedInFromNetwork(db: Queryable, subject: string, ip: string, now: Date): Promise<boolean> {
  const network = networkOf(ip);
  if (network === null) return false;
  const rows = await db
    .selectDistinct({ ip: securityEvents.ip })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.subject, subject),
        eq(securityEvents.type, "login_succeeded"),
        gt(securityEvents.at, new Date(now.getTime() - FAMILIAR_DAYS * 24 * HOUR_MS)),
        isNotNull(securityEvents.ip),
      ),
    )
    .limit(200);
  return rows.some((row) => row.ip !== null && networkOf(row.ip) === network);
}

/** Failed sign-ins for a username since its previous successful sign-in (at most 30 days back), to tell the owner. */
export async function failuresSinceLastSignIn(db: Queryable, username: string, now: Date): Promise<number> {
  const subject = username.trim().toLowerCase();
  const monthAgo = new Date(now.getTime() - 30 * 24 * HOUR_MS);
  const [previous] = await db
    .select({ at: max(securityEvents.at) })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.subject, subject),
        eq(securityEvents.type, "login_succeeded"),
        gt(securityEvents.at, monthAgo),
        lte(securityEvents.at, now),
      ),
    );
  const since = previous?.at && previous.at > monthAgo ? previous.at : monthAgo;
  const [row] = await db
    .select({ n: count() })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.subject, subject),
        eq(securityEvents.type, "login_failed"),
        gt(securityEvents.at, since),
        lte(securityEvents.at, now),
      ),
    );
  return row?.n ?? 0;
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

/** A user's activity over the last 30 days: all events, and those at night (UTC hours given). */
export async function activityHours(db: Queryable, userId: string, now: Date, nightHours: readonly number[]) {
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const [row] = await db
    .select({
      total: count(),
      atNight: sql<number>`count(*) filter (where extract(hour from ${securityEvents.at} at time zone 'UTC')::int in (${sql.join(
        nightHours.map((h) => sql`${h}`),
        sql`, `,
      )}))::int`,
    })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        gt(securityEvents.at, since),
        inArray(securityEvents.type, ["login_succeeded", "session_accessed"]),
      ),
    );
  return { total: row?.total ?? 0, atNight: row?.atNight ?? 0 };
}
