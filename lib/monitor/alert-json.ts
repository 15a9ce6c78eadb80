import "server-only";
import type { SecurityAlert } from "@/lib/db/schema";

/** An alert as the APIs return it. */
export function alertJson(alert: SecurityAlert) {
  return {
    id: alert.id,
    type: alert.type,
    severity: alert.severity,
    subject: alert.subject,
    message: alert.message,
    details: alert.details,
    occurrences: alert.occurrences,
    createdAt: alert.createdAt.toISOString(),
    lastSeenAt: alert.lastSeenAt.toISOString(),
    acknowledged: alert.acknowledgedAt !== null,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
    resolved: alert.resolvedAt !== null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    resolvedBy: alert.resolvedBy,
    resolutionNotes: alert.resolutionNotes,
    falsePositive: alert.falsePositive,
  };
}

export type AlertJson = ReturnType<typeof alertJson>;
