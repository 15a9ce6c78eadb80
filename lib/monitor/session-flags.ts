import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { securityAlerts } from "@/lib/db/schema";
import { setSessionFlags, type FlagSeverity } from "@/lib/sessions/store";

/**
 * Suspicious-session flags: while a HIGH or CRITICAL alert about a user is open, every live session of theirs —
 * including ones started after the alert — carries a flag with the alert's severity. The cleanup ends only
 * CRITICAL-flagged sessions; HIGH ones wait for an administrator (a HIGH alert is evidence, not proof, and ending
 * sessions on it would hand attackers a lever to sign people out). Resolving the alert lifts the flag.
 */

/** `user:<uuid>` alert subjects name a user. */
export function userIdOfSubject(subject: string): string | null {
  return /^user:([0-9a-f-]{36})$/.exec(subject)?.[1] ?? null;
}

/** The most severe open (unresolved) HIGH or CRITICAL alert about a user, if any. */
export async function openAlertSeverity(db: Queryable, userId: string): Promise<FlagSeverity | null> {
  const rows = await db
    .select({ severity: securityAlerts.severity })
    .from(securityAlerts)
    .where(
      and(
        eq(securityAlerts.subject, `user:${userId}`),
        isNull(securityAlerts.resolvedAt),
        inArray(securityAlerts.severity, ["high", "critical"]),
      ),
    );
  if (rows.some((r) => r.severity === "critical")) return "critical";
  return rows.length > 0 ? "high" : null;
}

/** After an alert about a user is resolved, their flags fall to what their other open alerts still justify. */
export async function reflagAfterResolve(db: Queryable, userId: string): Promise<void> {
  await setSessionFlags(db, userId, await openAlertSeverity(db, userId));
}
