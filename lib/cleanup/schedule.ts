import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { onShutdown } from "@/lib/lifecycle/shutdown-hooks";
import { describeError } from "@/lib/log/describe-error";
import { log } from "@/lib/log/logger";
import { runCleanup } from "./run";
import { loadCleanupSettings } from "./settings-store";

/**
 * Self-hosted instances (and the embedded default) run the cleanup on an interval without an external cron. The
 * interval is SESSION_CLEANUP_INTERVAL unless an administrator changed it (lib/cleanup/settings.ts): this instance
 * re-arms at once (rearmCleanupInterval), the others when their next tick reads the new value. The advisory lock in
 * runCleanup keeps several instances (or cron + interval) from doing the same work twice. On shutdown the interval
 * stops and a run in progress finishes before the pool closes.
 */
const state = globalThis as unknown as {
  growbalCleanupTimer?: NodeJS.Timeout;
  growbalCleanupRun?: Promise<unknown>;
  /** When this instance's interval started: its ticks fall on whole intervals after it. */
  growbalCleanupSince?: number;
  growbalCleanupIntervalMs?: number;
};

export function startCleanupScheduler(): void {
  const config = getConfig();
  if (state.growbalCleanupTimer || !config.CLEANUP_SCHEDULER || !config.DATABASE_URL) return;
  setCleanupTimer(config.SESSION_CLEANUP_INTERVAL);
  onShutdown("cleanup interval", "work", stopCleanupScheduler);
  // An administrator's interval, if there is one, replaces the environment's from the start.
  void loadCleanupSettings(getDb()).then(
    ({ settings }) => rearmCleanupInterval(settings.intervalSeconds),
    () => undefined, // the database is not there yet: the first tick reads the settings again
  );
}

/** Moves this instance's running interval to `seconds`; nothing when none runs here (off, stopped, or a cron). */
export function rearmCleanupInterval(seconds: number): void {
  if (!state.growbalCleanupTimer || state.growbalCleanupIntervalMs === seconds * 1000) return;
  setCleanupTimer(seconds);
}

function setCleanupTimer(seconds: number): void {
  clearInterval(state.growbalCleanupTimer);
  state.growbalCleanupIntervalMs = seconds * 1000;
  state.growbalCleanupSince = Date.now();
  state.growbalCleanupTimer = setInterval(tick, state.growbalCleanupIntervalMs);
  state.growbalCleanupTimer.unref();
}

function tick(): void {
  if (state.growbalCleanupRun) return; // the previous run is still going
  state.growbalCleanupRun = (async () => {
    const { settings } = await loadCleanupSettings(getDb());
    const intervalMs = settings.intervalSeconds * 1000;
    // Every instance's timer fires; the first in each interval runs, the others find its record and skip.
    await runCleanup({ trigger: "interval", notWithinMs: intervalMs * 0.9 });
    rearmCleanupInterval(settings.intervalSeconds);
  })()
    .catch((error: unknown) => log().error({ err: describeError(error) }, "scheduled cleanup failed"))
    .finally(() => (state.growbalCleanupRun = undefined));
}

/** This instance's next scheduled tick, or null when no interval runs here (an external cron calls the cleanup). */
export function nextScheduledCleanup(): Date | null {
  if (!state.growbalCleanupTimer || state.growbalCleanupSince === undefined || !state.growbalCleanupIntervalMs) return null;
  return new Date(nextTickAfter(state.growbalCleanupSince, state.growbalCleanupIntervalMs, Date.now()));
}

/** The first tick of an interval started at `since` that is later than `now`. */
export function nextTickAfter(since: number, intervalMs: number, now: number): number {
  return since + (Math.floor(Math.max(0, now - since) / intervalMs) + 1) * intervalMs;
}

export async function stopCleanupScheduler(): Promise<void> {
  clearInterval(state.growbalCleanupTimer);
  state.growbalCleanupTimer = undefined;
  state.growbalCleanupIntervalMs = undefined;
  state.growbalCleanupSince = undefined;
  await state.growbalCleanupRun;
}
