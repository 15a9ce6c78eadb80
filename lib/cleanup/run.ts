import { requestLog } from "@/lib/log/request-log";
import { metrics } from "@/lib/metrics/registry";
import { and, eq, gt, lte } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import { getDb, getSql, type Database } from "@/lib/db/client";
import { describeError } from "@/lib/log/describe-error";
import { loadCleanupSettings } from "./settings-store";
import { cleanupRuns, type cleanupTriggers } from "@/lib/db/schema";
import {
  cleanupAnonymousOverLimit,
  cleanupByPolicy,
  cleanupDuplicates,
  cleanupExpired,
  cleanupOrphaned,
  cleanupSuspicious,
  purgeEnded,
  purgeOldEvents,
  type CleanupContext,
} from "./categories";

/** One cleanup run: every enabled category, under a Postgres advisory lock, recorded in cleanup_runs. */

export type CleanupTrigger = (typeof cleanupTriggers)[number];
export const CLEANUP_LOCK_KEY = 0x636c6e75; // "clnu"
export const DEFAULT_BATCH_SIZE = 2000;

export type CleanupCounts = {
  expired: number;
  expiredChats: number;
  idle: number;
  policyViolations: number;
  orphaned: number;
  duplicates: number;
  suspicious: number;
  anonymousOverLimit: number;
  purged: number;
  /** Security events deleted past SECURITY_EVENTS_RETENTION_DAYS. */
  eventsPurged: number;
};

export type CleanupSummary = {
  runId: string;
  trigger: CleanupTrigger;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: CleanupCounts;
  /** Sessions ended (purged rows are reported apart: they had already ended). */
  totalCleaned: number;
  error: string | null;
};

export type CleanupResult = CleanupSummary | { skipped: "already running" | "ran recently" };

export async function runCleanup(options: {
  trigger: CleanupTrigger;
  /**
   * Skip when a run of this trigger started less than this long ago: the schedulers of several instances share
   * one interval, so only the first of them in each interval does the work.
   */
  notWithinMs?: number;
  now?: Date;
  db?: Database;
  batchSize?: number;
  onBatch?: (category: string, rows: number) => void;
}): Promise<CleanupResult> {
  const db = options.db ?? getDb();
  // The lock belongs to one connection: hold a reserved one for the whole run.
  const lockConnection = await getSql().reserve();
  try {
    const [lock] = await lockConnection<{ locked: boolean }[]>`select pg_try_advisory_lock(${CLEANUP_LOCK_KEY}) as locked`;
    if (!lock?.locked) return { skipped: "already running" };
    try {
      if (
        options.notWithinMs &&
        (await ranRecently(options.db ?? getDb(), options.trigger, options.now ?? new Date(), options.notWithinMs))
      ) {
        return { skipped: "ran recently" };
      }
      return await runLocked(db, options);
    } finally {
      await lockConnection`select pg_advisory_unlock(${CLEANUP_LOCK_KEY})`;
    }
  } finally {
    lockConnection.release();
  }
}

async function ranRecently(db: Database, trigger: CleanupTrigger, now: Date, withinMs: number): Promise<boolean> {
  const [recent] = await db
    .select({ id: cleanupRuns.id })
    .from(cleanupRuns)
    .where(
      and(eq(cleanupRuns.trigger, trigger), gt(cleanupRuns.startedAt, new Date(now.getTime() - withinMs)), lte(cleanupRuns.startedAt, now)),
    )
    .limit(1);
  return recent !== undefined;
}

async function runLocked(db: Database, options: Parameters<typeof runCleanup>[0]): Promise<CleanupSummary> {
  const config = getConfig();
  const now = options.now ?? new Date();
  const started = performance.now();
  const [run] = await db.insert(cleanupRuns).values({ trigger: options.trigger, startedAt: now }).returning({ id: cleanupRuns.id });
  if (!run) throw new Error("cleanup run insert returned no row");

  const ctx: CleanupContext = {
    db,
    now,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    trigger: options.trigger,
    settings: config.policySettings,
    onBatch: options.onBatch ?? (() => {}),
  };
  // The settings in force: the environment's, as an administrator may have changed them (lib/cleanup/settings.ts).
  const { settings } = await loadCleanupSettings(db);
  const on = settings.categories;
  // Policy-based categories follow the enforcement switch: with enforcement off, nothing is judged by policy.
  const enforce = config.policySettings.enforce;
  const counts: CleanupCounts = {
    expired: 0,
    expiredChats: 0,
    idle: 0,
    policyViolations: 0,
    orphaned: 0,
    duplicates: 0,
    suspicious: 0,
    anonymousOverLimit: 0,
    purged: 0,
    eventsPurged: 0,
  };
  let error: string | null = null;
  let stage = "start";
  try {
    stage = "expired";
    if (on.expired) {
      const expired = await cleanupExpired(ctx);
      counts.expired = expired.sessions;
      counts.expiredChats = expired.chats;
    }
    stage = "idle and policy violations";
    const byPolicy = await cleanupByPolicy(ctx, { idle: on.idle && enforce, policyViolations: on.policyViolations && enforce });
    counts.idle = byPolicy.idle;
    counts.policyViolations = byPolicy.policyViolations;
    stage = "orphaned";
    if (on.orphaned) counts.orphaned = await cleanupOrphaned(ctx);
    stage = "duplicates";
    if (on.duplicates && enforce) counts.duplicates = await cleanupDuplicates(ctx);
    stage = "suspicious";
    if (on.suspicious) counts.suspicious = await cleanupSuspicious(ctx);
    stage = "anonymous over limit";
    counts.anonymousOverLimit = await cleanupAnonymousOverLimit(ctx, config.MAX_ANONYMOUS_SESSIONS);
    stage = "purge";
    counts.purged = await purgeEnded(ctx, settings.keepExpiredSessionsDays);
    stage = "event retention";
    counts.eventsPurged = await purgeOldEvents(ctx, config.SECURITY_EVENTS_RETENTION_DAYS);
  } catch (failure) {
    // What was done stays done (each batch committed); the run records where it stopped.
    // Only the stage and the error's kind: driver messages carry SQL and parameters.
    error = `failed during ${stage}: ${describeError(failure)}`;
  }
  const durationMs = Math.round(performance.now() - started);
  const finishedAt = new Date(now.getTime() + durationMs);
  const totalCleaned =
    counts.expired +
    counts.idle +
    counts.policyViolations +
    counts.orphaned +
    counts.duplicates +
    counts.suspicious +
    counts.anonymousOverLimit;
  await db.update(cleanupRuns).set({ finishedAt, counts, totalCleaned, durationMs, error }).where(eq(cleanupRuns.id, run.id));
  for (const [category, rows] of Object.entries(counts)) if (rows > 0) metrics().cleanupRows.inc({ category }, rows);
  const outcome = { runId: run.id, trigger: options.trigger, durationMs, totalCleaned, counts };
  const logger = await requestLog();
  if (error) logger.error({ ...outcome, err: error }, "cleanup run failed");
  else logger.info(outcome, "cleanup run");
  return {
    runId: run.id,
    trigger: options.trigger,
    startedAt: now.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs,
    counts,
    totalCleaned,
    error,
  };
}

/** The context for one-off administrative cleanups (force sign-out, criteria). */
export function adhocCleanupContext(trigger: CleanupTrigger, now: Date): CleanupContext {
  return { db: getDb(), now, batchSize: DEFAULT_BATCH_SIZE, trigger, settings: getConfig().policySettings, onBatch: () => {} };
}
