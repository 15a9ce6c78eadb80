import { and, eq, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { authSessions } from "@/lib/db/schema";
import { recordEvents, type SecurityEventType } from "@/lib/monitor/events";
import { isViolation, type EndReason } from "@/lib/policies/types";

/**
 * The one way a session ends. Every ending — sign-out, eviction, policy violation, rotation, cleanup, an
 * administrator or the person themselves — goes through `endSessions`, which revokes the rows and records one event
 * per ended session in the caller's transaction, with a reason from the closed list the database also checks.
 */

export type EndTarget =
  /** These sessions (optionally only if they belong to `userId`). */
  | { ids: string[]; userId?: string }
  /** Every live session of a user, optionally but one. */
  | { userId: string; except?: string }
  /** Live sessions matching `where`; with `batchSize`, at most that many, skipping rows another transaction holds. */
  | { where: SQL | undefined; batchSize?: number };

export type EndContext = {
  now: Date;
  /** Where the request that ended them came from (absent for jobs). */
  ip?: string | null;
  userAgent?: string | null;
  /** Recorded with each event (e.g. the cleanup category, the administrator, their note). */
  details?: Record<string, unknown>;
};

export type EndedSession = { id: string; userId: string | null };

/** The event an ending is recorded as: violations and evictions keep their own event types. */
function eventTypeFor(reason: EndReason): SecurityEventType {
  if (isViolation(reason)) return "policy_violation";
  if (reason === "concurrency_limit") return "session_evicted";
  if (reason === "logout") return "logout";
  return "session_revoked";
}

function whereFor(target: EndTarget): SQL | undefined {
  if ("ids" in target) return and(inArray(authSessions.id, target.ids), target.userId ? eq(authSessions.userId, target.userId) : undefined);
  if ("userId" in target)
    return and(eq(authSessions.userId, target.userId), target.except ? ne(authSessions.id, target.except) : undefined);
  return target.where;
}

export async function endSessions(tx: Queryable, target: EndTarget, reason: EndReason, context: EndContext): Promise<EndedSession[]> {
  if ("ids" in target && target.ids.length === 0) return [];
  const live = and(isNull(authSessions.revokedAt), whereFor(target));
  const batchSize = "where" in target ? target.batchSize : undefined;
  // A batch locks the rows it takes and skips rows another transaction holds, so concurrent cleanups never wait.
  // `= any(array(…))` rather than `in (…)`: the batch's ids are then looked up in the primary key, where `in` lets
  // the planner hash-join against a scan of every live row, which makes a cleanup of a million rows quadratic.
  const scope =
    batchSize === undefined
      ? live
      : sql`${authSessions.id} = any(array(${tx
          .select({ id: authSessions.id })
          .from(authSessions)
          .where(live)
          .limit(batchSize)
          .for("update", { skipLocked: true })}))`;
  const ended = await tx
    .update(authSessions)
    .set({ revokedAt: context.now, revokeReason: reason })
    .where(and(isNull(authSessions.revokedAt), scope))
    .returning({ id: authSessions.id, userId: authSessions.userId });
  const details = isViolation(reason) ? { violation: reason, ...context.details } : { reason, ...context.details };
  await recordEvents(
    tx,
    eventTypeFor(reason),
    ended.map((s) => ({ userId: s.userId, authSessionId: s.id, ip: context.ip, userAgent: context.userAgent, at: context.now, details })),
  );
  return ended;
}
