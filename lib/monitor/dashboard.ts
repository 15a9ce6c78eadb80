import "server-only";
import { and, count, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { authSessions, securityAlerts, securityEvents, users } from "@/lib/db/schema";
import { thresholds } from "./detect";
import { DAY_MS } from "@/lib/time";

/** The security dashboard, from Postgres: monitor status, 24 h activity, alerts, top users and IPs. */
export async function securityDashboard(db: Queryable, now: Date) {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const dayAgoIso = dayAgo.toISOString();
  const recent = gt(securityEvents.at, dayAgo);

  const [eventTypes, hourly, alertSeverities, topUsers, topIps, totals, suspicious] = await Promise.all([
    db.select({ type: securityEvents.type, n: count() }).from(securityEvents).where(recent).groupBy(securityEvents.type),
    db
      .select({
        hour: sql<string>`to_char(date_trunc('hour', ${securityEvents.at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
        type: securityEvents.type,
        n: count(),
      })
      .from(securityEvents)
      .where(recent)
      .groupBy(sql`1`, securityEvents.type),
    db
      .select({ severity: securityAlerts.severity, n: count() })
      .from(securityAlerts)
      .where(gt(securityAlerts.lastSeenAt, dayAgo))
      .groupBy(securityAlerts.severity),
    db
      .select({ userId: securityEvents.userId, username: users.username, n: count() })
      .from(securityEvents)
      .leftJoin(users, eq(users.id, securityEvents.userId))
      .where(and(recent, isNotNull(securityEvents.userId)))
      .groupBy(securityEvents.userId, users.username)
      .orderBy(desc(count()))
      .limit(10),
    db
      .select({ ip: securityEvents.ip, n: count() })
      .from(securityEvents)
      .where(and(recent, isNotNull(securityEvents.ip)))
      .groupBy(securityEvents.ip)
      .orderBy(desc(count()))
      .limit(10),
    db
      .select({
        alerts24h: sql<number>`count(*) filter (where ${securityAlerts.createdAt} > ${dayAgoIso}::timestamptz)::int`,
        unacknowledged: sql<number>`count(*) filter (where ${securityAlerts.acknowledgedAt} is null and ${securityAlerts.resolvedAt} is null)::int`,
        critical24h: sql<number>`count(*) filter (where ${securityAlerts.severity} = 'critical' and ${securityAlerts.createdAt} > ${dayAgoIso}::timestamptz)::int`,
        total: sql<number>`count(*)::int`,
      })
      .from(securityAlerts),
    db
      .select({ n: count() })
      .from(authSessions)
      .where(and(isNull(authSessions.revokedAt), isNotNull(authSessions.suspiciousAt))),
  ]);

  const byType = Object.fromEntries(eventTypes.map((e) => [e.type, e.n]));
  const totalEvents24h = eventTypes.reduce((sum, e) => sum + e.n, 0);
  const t = thresholds();
  return {
    generatedAt: now.toISOString(),
    monitoringStatus: getConfig().ENABLE_SESSION_MONITORING ? "enabled" : "disabled",
    monitoringStats: {
      eventsProcessed24h: totalEvents24h,
      alertsGenerated: totals[0]?.total ?? 0,
      suspiciousSessions: suspicious[0]?.n ?? 0,
    },
    alertThresholds: {
      rapidSessionCreationPerMinute: t.rapidSessionCreationPerMinute,
      maxConcurrentSessionsPerUser: t.maxConcurrentSessions,
      suspiciousIpChangesPerHour: t.suspiciousIpChangesPerHour,
      policyViolationsPerHour: t.policyViolationsPerHour,
      maxFailedLoginsPerIpPerHour: t.failedLoginsPerIpPerHour,
      unusualActivityHoursUtc: t.unusualHours,
    },
    recentActivity: {
      totalEvents24h,
      totalAlerts24h: totals[0]?.alerts24h ?? 0,
      eventTypes: byType,
      hourly: hourly.map((h) => ({ hour: h.hour, type: h.type, count: h.n })),
      alertSeverities: Object.fromEntries(alertSeverities.map((a) => [a.severity, a.n])),
      topActiveUsers: topUsers.map((u) => ({ userId: u.userId, username: u.username ?? "(deleted)", events: u.n })),
      topActiveIps: topIps.map((i) => ({ ip: i.ip, events: i.n })),
    },
    unacknowledgedAlerts: totals[0]?.unacknowledged ?? 0,
    criticalAlerts24h: totals[0]?.critical24h ?? 0,
  };
}

export type SecurityDashboard = Awaited<ReturnType<typeof securityDashboard>>;
