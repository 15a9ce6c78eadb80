import "server-only";
import { and, desc, eq, gt, gte, inArray, isNull } from "drizzle-orm";
import type { Database, Queryable } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import { endSessions } from "@/lib/sessions/end-sessions";
import { sessionRef } from "./session-ref";
import { DAY_MS } from "@/lib/time";

/** The dashboard's "New sign-in" notices: new_device events not yet reviewed, for 14 days. */

const NOTICE_DAYS = 14;

export type NewDeviceNotice = { ref: string; label: string; at: string };

export async function openNewDeviceNotices(db: Queryable, userId: string, currentSessionId: string, now: Date): Promise<NewDeviceNotice[]> {
  const since = new Date(now.getTime() - NOTICE_DAYS * DAY_MS);
  const events = await db
    .select({ type: securityEvents.type, ref: securityEvents.sessionRef, details: securityEvents.details, at: securityEvents.at })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        inArray(securityEvents.type, ["new_device", "new_device_reviewed"]),
        gt(securityEvents.at, since),
      ),
    )
    .orderBy(desc(securityEvents.at))
    .limit(200);
  const reviewed = new Set(events.filter((e) => e.type === "new_device_reviewed").map((e) => e.ref));
  const current = sessionRef(currentSessionId);
  return events
    .filter((e) => e.type === "new_device" && e.ref && e.ref !== current && !reviewed.has(e.ref))
    .map((e) => ({ ref: e.ref!, label: String(e.details.label ?? "a new device"), at: e.at.toISOString() }));
}

/**
 * "That was me" closes the notice; "This wasn't me" also ends that session (found by its reference: events never
 * hold session ids). Returns whether a session was ended.
 */
export async function reviewNewDevice(
  db: Database,
  input: { userId: string; ref: string; verdict: "mine" | "not_me"; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    let ended = false;
    if (input.verdict === "not_me") {
      const live = await tx
        .select({ id: authSessions.id })
        .from(authSessions)
        .where(and(eq(authSessions.userId, input.userId), isNull(authSessions.revokedAt), gte(authSessions.expiresAt, input.now)));
      const target = live.find((s) => sessionRef(s.id) === input.ref);
      if (target) {
        ended = (await endSessions(tx, { ids: [target.id], userId: input.userId }, "reported_not_me", { now: input.now })).length > 0;
      }
    }
    await tx.insert(securityEvents).values({
      type: "new_device_reviewed",
      userId: input.userId,
      sessionRef: input.ref,
      at: input.now,
      details: { verdict: input.verdict },
    });
    return ended;
  });
}
