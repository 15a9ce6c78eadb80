import "server-only";
import { and, desc, eq, gt, inArray, lte, max, or, sql } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import { securityEvents } from "@/lib/db/schema";
import { recordEvent, settlePendingEvent, withdrawEvent } from "@/lib/monitor/events";
import { MINUTE_MS } from "@/lib/time";

/**
 * Brute-force protection for the second step: 5 wrong codes or passkeys lock it for LOGIN_LOCK_MINUTES (15 by
 * default), counted per account from any address, and refused attempts are recorded as `mfa_locked`. Like the
 * sign-in gate, an attempt is recorded as a failure *before* it is checked, under a per-account lock, so a burst
 * of parallel guesses counts every one; the check then withdraws it (right) or lets it stand (wrong).
 *
 * The window starts again after a verified second factor, an administrator's reset of the account's factors, or
 * their lifting of the account's sign-in locks.
 */

export const SECOND_FACTOR_MAX_FAILURES = 5;

export type SecondFactorAttempt = { userId: string; username: string; ip: string | null; userAgent: string | null; now: Date };
export type SecondFactorGate =
  { allowed: true; failureEventId: number } | { allowed: false; message: string; retryAfterSeconds: number; failures: number };

function lockMs(): number {
  return getConfig().LOGIN_LOCK_MINUTES * MINUTE_MS;
}

export function secondFactorLockMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many wrong codes. Two-step verification is locked for ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export async function openSecondFactorGate(db: Database, attempt: SecondFactorAttempt, method: string): Promise<SecondFactorGate> {
  const username = attempt.username.toLowerCase();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`mfa|${attempt.userId}`}))`);
    const windowStart = new Date(attempt.now.getTime() - lockMs());
    // The latest event that starts the count again.
    const [reset] = await tx
      .select({ at: max(securityEvents.at) })
      .from(securityEvents)
      .where(
        and(
          or(
            and(eq(securityEvents.userId, attempt.userId), eq(securityEvents.type, "mfa_succeeded")),
            // Recorded by whoever lifted the lock or reset the factors, about this account (the subject).
            and(eq(securityEvents.subject, username), inArray(securityEvents.type, ["login_unlocked", "mfa_reset"])),
          ),
          lte(securityEvents.at, attempt.now),
        ),
      );
    const since = reset?.at && reset.at > windowStart ? reset.at : windowStart;
    // Newest first, as many as it takes to lock: the lock lasts until the oldest of those leaves the window.
    const failures = await tx
      .select({ at: securityEvents.at })
      .from(securityEvents)
      .where(
        and(
          eq(securityEvents.userId, attempt.userId),
          eq(securityEvents.type, "mfa_failed"),
          gt(securityEvents.at, since),
          lte(securityEvents.at, attempt.now),
        ),
      )
      .orderBy(desc(securityEvents.at))
      .limit(SECOND_FACTOR_MAX_FAILURES);
    const n = failures.length;
    const oldestCounted = failures[SECOND_FACTOR_MAX_FAILURES - 1]?.at;
    if (oldestCounted) {
      // Said as it is: the step opens again when the fifth-newest failure is older than the lock period.
      const retryAfterSeconds = Math.max(1, Math.ceil((oldestCounted.getTime() + lockMs() - attempt.now.getTime()) / 1000));
      await recordEvent(
        tx,
        "mfa_locked",
        {
          userId: attempt.userId,
          subject: username,
          ip: attempt.ip,
          userAgent: attempt.userAgent,
          at: attempt.now,
          details: { failures: n, method },
        },
        { essential: true },
      );
      return { allowed: false, message: secondFactorLockMessage(retryAfterSeconds), retryAfterSeconds, failures: n };
    }
    const id = await recordEvent(
      tx,
      "mfa_failed",
      {
        userId: attempt.userId,
        subject: username,
        ip: attempt.ip,
        userAgent: attempt.userAgent,
        at: attempt.now,
        details: { method, pending: true },
      },
      { essential: true },
    );
    return { allowed: true, failureEventId: id! };
  });
}

/** The factor was right: the failure recorded up front is taken back. */
export async function withdrawSecondFactorFailure(db: Database, failureEventId: number): Promise<void> {
  await withdrawEvent(db, failureEventId, "mfa_failed");
}

/** The factor was wrong: the failure stands. */
export async function settleSecondFactorFailure(db: Database, failureEventId: number, userId: string): Promise<void> {
  await settlePendingEvent(db, failureEventId, "mfa_failed", userId);
}
