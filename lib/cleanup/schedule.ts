import { getConfig } from "@/lib/config";
import { runCleanup } from "./run";
import { describeError } from "@/lib/log/describe-error";

/**
 * Self-hosted instances (and the embedded default) run the cleanup every SESSION_CLEANUP_INTERVAL seconds without
 * an external cron. The advisory lock in runCleanup keeps several instances (or cron + interval) from doing the
 * same work twice.
 */
const state = globalThis as unknown as { growbalCleanupTimer?: NodeJS.Timeout };

export function startCleanupScheduler(): void {
  const config = getConfig();
  if (state.growbalCleanupTimer || !config.CLEANUP_SCHEDULER || !config.DATABASE_URL) return;
  state.growbalCleanupTimer = setInterval(() => {
    runCleanup({ trigger: "interval" }).catch((error: unknown) => {
      console.error("scheduled cleanup failed:", describeError(error));
    });
  }, config.SESSION_CLEANUP_INTERVAL * 1000);
  state.growbalCleanupTimer.unref();
}
