import "server-only";
import { and, eq, gt, isNull, like, or, sql, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/app-error";
import { getConfig } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { authSessions } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import { countEvents } from "@/lib/monitor/windows";
import { networkOf } from "@/lib/policies/network";
import { policyFor } from "@/lib/sessions/session-policy";
import { HOUR_MS, MINUTE_MS } from "@/lib/time";
import { anonymousRefusal, type AnonymousAction, type AnonymousLimits, type AnonymousUsage } from "./anonymous-quota";

/** The events' subject for a network: visitors are counted by network, so a /64 of addresses is one visitor. */
export function networkSubject(ip: string | null): string {
  return `network:${(ip && networkOf(ip)) ?? "unknown"}`;
}

export function anonymousLimits(): AnonymousLimits {
  const config = getConfig();
  return {
    sessionsPerNetwork: policyFor("anonymous", null).maxConcurrentSessions,
    chatsPerHour: config.ANONYMOUS_CHATS_PER_HOUR,
    messagesPerHour: config.ANONYMOUS_MESSAGES_PER_HOUR,
  };
}

/** A cheap textual pre-filter for addresses of the network (exactness comes from networkOf after). */
function addressPrefix(ip: string | null): SQL | undefined {
  if (ip === null) return isNull(authSessions.clientIp);
  const network = networkOf(ip);
  if (network === "loopback") return or(like(authSessions.clientIp, "127.%"), eq(authSessions.clientIp, "::1"));
  const v4 = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(network ?? "");
  if (v4) return like(authSessions.clientIp, `${v4[1]}.%`);
  return undefined;
}

/** Live anonymous sessions (not ended, active within their idle limit) started from the address's network. */
async function liveSessionsInNetwork(db: Queryable, ip: string | null, now: Date): Promise<number> {
  const idleMs = policyFor("anonymous", null).idleTimeoutMinutes * MINUTE_MS;
  const rows = await db
    .select({ ip: authSessions.clientIp })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.kind, "anonymous"),
        isNull(authSessions.revokedAt),
        gt(authSessions.lastActivityAt, new Date(now.getTime() - idleMs)),
        gt(authSessions.expiresAt, now),
        addressPrefix(ip),
      ),
    );
  const subject = networkSubject(ip);
  return rows.filter((row) => networkSubject(row.ip) === subject).length;
}

export async function anonymousUsage(db: Queryable, ip: string | null, now: Date): Promise<AnonymousUsage> {
  const subject = networkSubject(ip);
  const since = new Date(now.getTime() - HOUR_MS);
  const [liveSessions, chatsLastHour, messagesLastHour] = await Promise.all([
    liveSessionsInNetwork(db, ip, now),
    countEvents(db, { type: "anonymous_chat_started", subject, since }),
    countEvents(db, { type: "anonymous_message_sent", subject, since }),
  ]);
  return { liveSessions, chatsLastHour, messagesLastHour };
}

/**
 * Refuses (429, with Retry-After) what a visitor may not do from this network any more. Call inside the transaction
 * that then does it: the network's lock makes concurrent starts from one network count one another.
 */
export async function admitAnonymous(db: Queryable, ip: string | null, action: AnonymousAction, now: Date): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${networkSubject(ip)}))`);
  const refusal = anonymousRefusal(action, await anonymousUsage(db, ip, now), anonymousLimits());
  if (refusal) {
    const retryAfterMs = action === "start_session" ? policyFor("anonymous", null).idleTimeoutMinutes * MINUTE_MS : HOUR_MS;
    throw AppError.rateLimited(refusal, retryAfterMs / 1000);
  }
}

/**
 * A chat started or a message sent by a visitor who has not signed in: refused when their network's hourly quota is
 * spent (AppError 429), counted otherwise. Its own transaction (a savepoint inside the caller's).
 */
export async function spendAnonymousQuota(
  db: Queryable,
  ip: string | null,
  action: "start_chat" | "send_message",
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await admitAnonymous(tx, ip, action, now);
    await recordEvent(
      tx,
      action === "start_chat" ? "anonymous_chat_started" : "anonymous_message_sent",
      { subject: networkSubject(ip), ip, at: now },
      // The quotas hold whether or not the monitor records the rest.
      { essential: true },
    );
  });
}
