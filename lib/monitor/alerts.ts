import { metrics } from "@/lib/metrics/registry";
import { and, desc, eq, gte, isNotNull, isNull, sql } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Database, Queryable } from "@/lib/db/client";
import { securityAlerts, type SecurityAlert } from "@/lib/db/schema";
import { recordEvent } from "./events";
import type { Finding, Severity } from "./rules";
import { raiseSessionFlags } from "@/lib/sessions/store";
import { reflagAfterResolve, userIdOfSubject } from "./session-flags";
import { notifyWebhook } from "./sink";
import { requestLog } from "@/lib/log/request-log";
import { alertMail } from "@/lib/mail/messages";
import { queueMail } from "@/lib/mail/send";

/**
 * Raises an alert for a finding, de-duplicated per (type, subject) within the rule's window: a repeat bumps the
 * open alert's count. HIGH and CRITICAL alerts about a user flag that user's live sessions (session-flags.ts:
 * the cleanup ends CRITICAL-flagged ones, HIGH ones wait for an administrator). New alerts go to the webhook,
 * without waiting for it.
 */
export async function raiseAlert(
  db: Database,
  finding: Finding,
  now: Date,
): Promise<{ alert: SecurityAlert; created: boolean; suppressed?: true }> {
  const result = await db.transaction(async (tx) => {
    // Two instances seeing the same pattern at once must not both insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${finding.type}|${finding.subject}`}))`);
    const [open] = await tx
      .select()
      .from(securityAlerts)
      .where(
        and(
          eq(securityAlerts.type, finding.type),
          eq(securityAlerts.subject, finding.subject),
          isNull(securityAlerts.resolvedAt),
          gte(securityAlerts.lastSeenAt, new Date(now.getTime() - finding.windowMs)),
        ),
      )
      .orderBy(desc(securityAlerts.lastSeenAt))
      .limit(1);
    if (open) {
      const [bumped] = await tx
        .update(securityAlerts)
        .set({ occurrences: sql`${securityAlerts.occurrences} + 1`, lastSeenAt: now, message: finding.message, details: finding.details })
        .where(eq(securityAlerts.id, open.id))
        .returning();
      return { alert: bumped!, created: false };
    }
    // An administrator said this very pattern was a false positive: it stays quiet for the rule's window, and
    // flags nobody's sessions on the same evidence again.
    const [dismissed] = await tx
      .select()
      .from(securityAlerts)
      .where(
        and(
          eq(securityAlerts.type, finding.type),
          eq(securityAlerts.subject, finding.subject),
          eq(securityAlerts.falsePositive, true),
          gte(securityAlerts.resolvedAt, new Date(now.getTime() - finding.windowMs)),
        ),
      )
      .orderBy(desc(securityAlerts.resolvedAt))
      .limit(1);
    if (dismissed) return { alert: dismissed, created: false, suppressed: true as const };
    const [created] = await tx
      .insert(securityAlerts)
      .values({
        type: finding.type,
        severity: finding.severity,
        subject: finding.subject,
        message: finding.message,
        details: finding.details,
        createdAt: now,
        lastSeenAt: now,
      })
      .returning();
    const userId = userIdOfSubject(finding.subject);
    if ((finding.severity === "high" || finding.severity === "critical") && userId && getConfig().FLAG_SUSPICIOUS_SESSIONS) {
      await raiseSessionFlags(tx, userId, finding.severity, now);
    }
    return { alert: created!, created: true };
  });
  if (result.created) {
    const { id, type, severity, subject } = result.alert;
    (await requestLog()).warn({ alertId: id, type, severity, subject }, "security alert raised");
    metrics().alerts.inc({ severity: result.alert.severity });
    const config = getConfig();
    notifyWebhook(config.SESSION_ALERT_WEBHOOK, result.alert);
    if ((severity === "high" || severity === "critical") && config.ALERT_EMAIL_TO) {
      queueMail(alertMail(result.alert, { to: config.ALERT_EMAIL_TO, appOrigin: config.appOrigin }), "security alert");
    }
  }
  return result;
}

export type AlertFilter = { severity?: Severity; acknowledged?: boolean; resolved?: boolean; limit?: number };

export async function listAlerts(db: Queryable, filter: AlertFilter = {}): Promise<SecurityAlert[]> {
  return db
    .select()
    .from(securityAlerts)
    .where(
      and(
        filter.severity ? eq(securityAlerts.severity, filter.severity) : undefined,
        filter.acknowledged === undefined
          ? undefined
          : filter.acknowledged
            ? isNotNull(securityAlerts.acknowledgedAt)
            : isNull(securityAlerts.acknowledgedAt),
        filter.resolved === undefined
          ? undefined
          : filter.resolved
            ? isNotNull(securityAlerts.resolvedAt)
            : isNull(securityAlerts.resolvedAt),
      ),
    )
    .orderBy(desc(securityAlerts.lastSeenAt))
    .limit(filter.limit ?? 50);
}

export async function acknowledgeAlert(
  db: Database,
  { id, byUserId, now }: { id: string; byUserId: string; now: Date },
): Promise<SecurityAlert | null> {
  return db.transaction(async (tx) => {
    const [alert] = await tx
      .update(securityAlerts)
      .set({
        acknowledgedAt: sql`coalesce(${securityAlerts.acknowledgedAt}, ${now.toISOString()}::timestamptz)`,
        acknowledgedBy: sql`coalesce(${securityAlerts.acknowledgedBy}, ${byUserId}::uuid)`,
      })
      .where(eq(securityAlerts.id, id))
      .returning();
    if (alert) await recordEvent(tx, "alert_acknowledged", { userId: byUserId, at: now, details: { alertId: id } });
    return alert ?? null;
  });
}

/**
 * Resolves an open alert; an alert already resolved is returned as it is (its record is never rewritten). Either
 * way the user's session flags fall to what their other open alerts justify; resolved as a false positive, the
 * same (type, subject) is not raised again within the rule's window.
 */
export async function resolveAlert(
  db: Database,
  {
    id,
    byUserId,
    notes,
    falsePositive = false,
    now,
  }: { id: string; byUserId: string; notes: string | null; falsePositive?: boolean; now: Date },
): Promise<SecurityAlert | null> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(securityAlerts).where(eq(securityAlerts.id, id)).for("update");
    if (!existing) return null;
    if (existing.resolvedAt) return existing;
    const [alert] = await tx
      .update(securityAlerts)
      .set({
        resolvedAt: now,
        resolvedBy: byUserId,
        resolutionNotes: notes,
        falsePositive,
        acknowledgedAt: sql`coalesce(${securityAlerts.acknowledgedAt}, ${now.toISOString()}::timestamptz)`,
        acknowledgedBy: sql`coalesce(${securityAlerts.acknowledgedBy}, ${byUserId}::uuid)`,
      })
      .where(eq(securityAlerts.id, id))
      .returning();
    if (alert) await recordEvent(tx, "alert_resolved", { userId: byUserId, at: now, details: { alertId: id, falsePositive } });
    const userId = userIdOfSubject(existing.subject);
    if (alert && userId) await reflagAfterResolve(tx, userId);
    return alert ?? null;
  });
}
