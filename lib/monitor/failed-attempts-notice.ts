import "server-only";
import { and, eq, gt } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { securityEvents } from "@/lib/db/schema";
import { sessionRef } from "./session-ref";
import { DAY_MS } from "@/lib/time";

/**
 * How many failed sign-in attempts the account had between the previous sign-in and the one that started this
 * session (recorded with the sign-in), so the owner learns of a guessing attack at their next sign-in.
 */
export async function failedAttemptsBeforeThisSignIn(db: Queryable, userId: string, sessionId: string, now: Date): Promise<number> {
  const [event] = await db
    .select({ details: securityEvents.details })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        eq(securityEvents.type, "login_succeeded"),
        eq(securityEvents.sessionRef, sessionRef(sessionId)),
        gt(securityEvents.at, new Date(now.getTime() - 30 * DAY_MS)),
      ),
    )
    .limit(1);
  const count = event?.details.failedAttemptsSinceLastSignIn;
  return typeof count === "number" && Number.isInteger(count) && count > 0 ? count : 0;
}
