import { getConfig } from "@/lib/config";
import { onShutdown } from "@/lib/lifecycle/shutdown-hooks";
import { describeError } from "@/lib/log/describe-error";
import { runCleanup } from "./run";
import { log } from "@/lib/log/logger";

/**
 * Self-hosted instances (and the embedded default) run the cleanup every SESSION_CLEANUP_INTERVAL seconds without
 * an external cron. The advisory lock in runCleanup keeps several instances (or cron + interval) from doing the
 * same work twice. On shutdown the interval stops and a run in progress finishes before the pool closes.
 */
const state = globalThis as unknown as {
  growbalCleanupTimer?: NodeJS.Timeout;
  growbalCleanupRun?: Promise<unknown>;
  /** When this instance's interval started: its ticks fall on whole intervals after it. */
  growbalCleanupSince?: number;
};

export function startCleanupScheduler(): void {
  const config = getConfig();
  if (state.growbalCleanupTimer || !config.CLEANUP_SCHEDULER || !config.DATABASE_URL) return;
  state.growbalCleanupTimer = setInterval(() => {
    if (state.growbalCleanupRun) return; // the previous run is still going
    // Every instance's timer fires; the first in each interval runs, the others find its record and skip.
    const intervalMs = config.SESSION_CLEANUP_INTERVAL * 1000;
    state.growbalCleanupRun = runCleanup({ trigger: "interval", notWithinMs: intervalMs * 0.9 })
      .catch((error: unknown) => log().error({ err: describeError(error) }, "scheduled cleanup failed"))
      .finally(() => (state.growbalCleanupRun = undefined));
  }, config.SESSION_CLEANUP_INTERVAL * 1000);
  state.growbalCleanupTimer.unref();
  state.growbalCleanupSince = Date.now();
  onShutdown("cleanup interval", "work", stopCleanupScheduler);
}

/** This instance's next scheduled tick, or null when no interval runs here (an external cron calls the cleanup). */
export function nextScheduledCleanup(): Date | null {
  if (!state.growbalCleanupTimer || state.growbalCleanupSince === undefined) return null;
  return new Date(nextTickAfter(state.growbalCleanupSince, getConfig().SESSION_CLEANUP_INTERVAL * 1000, Date.now()));
}

/** The first tick of an interval started at `since` that is later than `now`. */
export function nextTickAfter(since: number, intervalMs: number, now: number): number {
  return since + (Math.floor(Math.max(0, now - since) / intervalMs) + 1) * intervalMs;
}

export async function stopCleanupScheduler(): Promise<void> {
  clearInterval(state.growbalCleanupTimer);
  state.growbalCleanupTimer = undefined;
  state.growbalCleanupSince = undefined;
  await state.growbalCleanupRun;
}
