import { getConfig } from "@/lib/config";
import { onShutdown } from "@/lib/lifecycle/shutdown-hooks";
import { describeError } from "@/lib/log/describe-error";
import { runCleanup } from "./run";

/**
 * Self-hosted instances (and the embedded default) run the cleanup every SESSION_CLEANUP_INTERVAL seconds without
 * an external cron. The advisory lock in runCleanup keeps several instances (or cron + interval) from doing the
 * same work twice. On shutdown the interval stops and a run in progress finishes before the pool closes.
 */
const state = globalThis as unknown as { growbalCleanupTimer?: NodeJS.Timeout; growbalCleanupRun?: Promise<unknown> };

export function startCleanupScheduler(): void {
  const config = getConfig();
  if (state.growbalCleanupTimer || !config.CLEANUP_SCHEDULER || !config.DATABASE_URL) return;
  state.growbalCleanupTimer = setInterval(() => {
    if (state.growbalCleanupRun) return; // the previous run is still going
    // Every instance's timer fires; the first in each interval runs, the others find its record and skip.
    const intervalMs = config.SESSION_CLEANUP_INTERVAL * 1000;
    state.growbalCleanupRun = runCleanup({ trigger: "interval", notWithinMs: intervalMs * 0.9 })
      .catch((error: unknown) => console.error("scheduled cleanup failed:", describeError(error)))
      .finally(() => (state.growbalCleanupRun = undefined));
  }, config.SESSION_CLEANUP_INTERVAL * 1000);
  state.growbalCleanupTimer.unref();
  onShutdown("cleanup interval", "work", stopCleanupScheduler);
}

export async function stopCleanupScheduler(): Promise<void> {
  clearInterval(state.growbalCleanupTimer);
  state.growbalCleanupTimer = undefined;
  await state.growbalCleanupRun;
}
