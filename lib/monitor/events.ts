import { and, eq, sql } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { securityEvents } from "@/lib/db/schema";
import { requestLog } from "@/lib/log/request-log";
import { sessionRef } from "./session-ref";

export const securityEventTypes = [
  "login_succeeded",
  "login_failed",
  "login_locked",
  "login_unlocked",
  "logout",
  "session_created",
  "session_accessed",
  "session_extended",
  "session_revoked",
  "session_evicted",
  "policy_violation",
  // Second factors: userId is the account; details.factor names it ("totp", "passkey", "recovery_code").
  "mfa_enrolled",
  "mfa_removed",
  "mfa_succeeded",
  "mfa_failed",
  "mfa_locked",
  "mfa_reset",
  "recovery_code_used",
  "recovery_codes_issued",
  "passkey_renamed",
  "passkey_counter_regressed",
  // Single sign-on: sso_failed has details.reason (lib/sso/failures.ts) and counts as a failed sign-in.
  "sso_failed",
  "sso_linked",
  "sso_unlinked",
  // Personal access tokens: authSessionId is the token's session; details.name and details.scope describe it.
  "access_token_created",
  "reauthenticated",
  "new_device",
  "new_device_reviewed",
  "password_changed",
  // details.removed / details.hadOne only: the address itself stays in users.
  "notification_email_changed",
  "policy_override_set",
  "policy_override_cleared",
  // An administrator's change to the cleanup: details.changes lists each setting's old and new value.
  "cleanup_settings_changed",
  "alert_acknowledged",
  "alert_resolved",
  // Administrators' changes to accounts: userId is the administrator, subject the account.
  "user_created",
  "user_disabled",
  "user_enabled",
  "user_role_changed",
  "user_password_reset",
  // Visitors who have not signed in, counted per network (subject "network:<net>") against their hourly quotas.
  "anonymous_chat_started",
  "anonymous_message_sent",
] as const;
export type SecurityEventType = (typeof securityEventTypes)[number];

export type EventContext = {
  userId?: string | null;
  authSessionId?: string | null;
  subject?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
};

/** Routine events are logged at debug: at info, every session's once-a-minute activity would drown the rest. */
const ROUTINE_EVENTS = new Set<SecurityEventType>([
  "session_accessed",
  "session_extended",
  "anonymous_chat_started",
  "anonymous_message_sent",
]);
const WARNING_EVENTS = new Set<SecurityEventType>([
  "login_failed",
  "login_locked",
  "policy_violation",
  "mfa_failed",
  "mfa_locked",
  "sso_failed",
  "passkey_counter_regressed",
  "session_evicted",
]);

/**
 * The log line of an event: its type, the account, the keyed session ref, the network and details. Never the
 * subject: for a failed sign-in that is whatever was typed as a username, which is sometimes a password.
 */
async function logEvent(row: ReturnType<typeof eventRow>): Promise<void> {
  const logger = await requestLog();
  const level = ROUTINE_EVENTS.has(row.type) ? "debug" : WARNING_EVENTS.has(row.type) ? "warn" : "info";
  logger[level](
    {
      event: row.type,
      userId: row.userId ?? undefined,
      sessionRef: row.sessionRef ?? undefined,
      ip: row.ip ?? undefined,
      details: row.details,
    },
    "security event",
  );
}

function eventRow(type: SecurityEventType, context: EventContext) {
  return {
    type,
    at: context.at ?? new Date(),
    userId: context.userId ?? null,
    sessionRef: context.authSessionId ? sessionRef(context.authSessionId) : null,
    subject: context.subject?.toLowerCase().slice(0, 128) ?? null,
    ip: context.ip?.slice(0, 64) ?? null,
    userAgent: context.userAgent?.slice(0, 512) ?? null,
    details: context.details ?? {},
  };
}

/**
 * Appends a security event; returns its id. ENABLE_SESSION_MONITORING=false stops recording, except for `essential`
 * events (sign-in attempts), which brute-force protection counts whatever the monitor does. Session ids are stored
 * only hashed.
 */
export async function recordEvent(
  db: Queryable,
  type: SecurityEventType,
  context: EventContext = {},
  options: { essential?: boolean } = {},
): Promise<number | null> {
  if (!options.essential && !getConfig().ENABLE_SESSION_MONITORING) return null;
  const values = eventRow(type, context);
  const [row] = await db.insert(securityEvents).values(values).returning({ id: securityEvents.id });
  await logEvent(values);
  return row?.id ?? null;
}

/**
 * Appends many events of one type in one statement (a batch of ended sessions). The rows travel as one JSON
 * parameter rather than eight bound parameters each: a cleanup batch of thousands costs one small statement.
 */
export async function recordEvents(db: Queryable, type: SecurityEventType, contexts: EventContext[]): Promise<void> {
  if (contexts.length === 0 || !getConfig().ENABLE_SESSION_MONITORING) return;
  const rows = contexts.map((context) => {
    const row = eventRow(type, context);
    return { ...row, at: row.at.toISOString() };
  });
  // A batch (a cleanup's ended sessions) is one line: the count and the session refs, not thousands of lines.
  (await requestLog()).info(
    { event: type, count: rows.length, sessionRefs: rows.slice(0, 100).flatMap((r) => (r.sessionRef ? [r.sessionRef] : [])) },
    "security events",
  );
  await db.execute(sql`
    insert into ${securityEvents} (type, at, user_id, session_ref, subject, ip, user_agent, details)
    select r.type, r.at, r."userId", r."sessionRef", r.subject, r.ip, r."userAgent", r.details
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      type text, at timestamptz, "userId" uuid, "sessionRef" text, subject text, ip text, "userAgent" text, details jsonb
    )`);
}

/** An event recorded in advance happened after all: it stops being pending, and learns whose it is when known. */
export async function settlePendingEvent(db: Queryable, eventId: number, type: SecurityEventType, userId: string | null): Promise<void> {
  await db
    .update(securityEvents)
    .set({ details: sql`${securityEvents.details} - 'pending'`, ...(userId ? { userId } : {}) })
    .where(and(eq(securityEvents.id, eventId), eq(securityEvents.type, type)));
}

/** Takes back an event recorded in advance that did not happen after all (a sign-in failure that succeeded). */
export async function withdrawEvent(db: Queryable, eventId: number, type: SecurityEventType): Promise<void> {
  await db.delete(securityEvents).where(and(eq(securityEvents.id, eventId), eq(securityEvents.type, type)));
}
