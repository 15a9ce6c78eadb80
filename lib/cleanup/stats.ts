import "server-only";
import { desc, isNotNull, sql } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { cleanupRuns } from "@/lib/db/schema";
import { loadCleanupSettings } from "./settings-store";
import { nextScheduledCleanup } from "./schedule";
import { HOUR_MS } from "@/lib/time";

/** Cleanup statistics from the cleanup_runs record (so every instance reports the same). */
export async function cleanupStatistics(db: Queryable, now: Date) {
  const config = getConfig();
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
  const [totals] = await db
    .select({
      cleanups: sql<number>`count(*) filter (where ${cleanupRuns.finishedAt} is not null)::int`,
      sessionsCleaned: sql<number>`coalesce(sum(${cleanupRuns.totalCleaned}), 0)::int`,
      errors: sql<number>`count(*) filter (where ${cleanupRuns.error} is not null)::int`,
      running: sql<number>`count(*) filter (where ${cleanupRuns.finishedAt} is null and ${cleanupRuns.startedAt} > ${hourAgo}::timestamptz)::int`,
    })
    .from(cleanupRuns);
  const [last] = await db.select().from(cleanupRuns).where(isNotNull(cleanupRuns.finishedAt)).orderBy(desc(cleanupRuns.startedAt)).limit(1);
  const { settings, defaults, source, updatedAt } = await loadCleanupSettings(db);
  return {
    serviceStatus: (totals?.running ?? 0) > 0 ? "running" : "idle",
    scheduler: config.CLEANUP_SCHEDULER ? "interval" : "external cron",
    cleanupIntervalSeconds: settings.intervalSeconds,
    cleanupPolicies: {
      ...settings.categories,
      keepExpiredSessionsDays: settings.keepExpiredSessionsDays,
      maxAnonymousSessions: config.MAX_ANONYMOUS_SESSIONS,
    },
    // Where the settings come from, and the environment's values a reset goes back to.
    settings: { current: settings, source, updatedAt, defaults },
    statistics: { totalCleanups: totals?.cleanups ?? 0, sessionsCleaned: totals?.sessionsCleaned ?? 0, cleanupErrors: totals?.errors ?? 0 },
    lastCleanup: last
      ? {
          runId: last.id,
          trigger: last.trigger,
          startedAt: last.startedAt.toISOString(),
          finishedAt: last.finishedAt?.toISOString() ?? null,
          durationMs: last.durationMs,
          counts: last.counts,
          totalCleaned: last.totalCleaned,
          error: last.error,
        }
      : null,
    // The interval's next tick on this instance (real time: timers do not follow a test clock); null with a cron.
    nextCleanupDue: nextScheduledCleanup()?.toISOString() ?? null,
  };
}
