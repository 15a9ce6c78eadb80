import { z } from "zod";
import type { AppConfig } from "@/lib/config";

/**
 * What an administrator may change about the cleanup at run time (the seed's update_cleanup_policies and
 * set_cleanup_interval): each category on or off, the interval, and how long ended sessions are kept. The
 * environment gives the defaults; the stored patch holds only what differs from them. Pure: no I/O here.
 */
export const cleanupCategories = ["expired", "idle", "policyViolations", "orphaned", "duplicates", "suspicious"] as const;
export type CleanupCategory = (typeof cleanupCategories)[number];

export type CleanupSettings = {
  categories: Record<CleanupCategory, boolean>;
  intervalSeconds: number;
  keepExpiredSessionsDays: number;
};

export const INTERVAL_LIMITS = { min: 300, max: 86_400 } as const;
export const KEEP_DAYS_LIMITS = { min: 0, max: 3650 } as const;

const categoriesSchema = z
  .object(Object.fromEntries(cleanupCategories.map((c) => [c, z.boolean({ message: `${c} must be true or false` }).optional()])))
  .strict() as z.ZodType<Partial<Record<CleanupCategory, boolean>>>;

/** A change: any of the settings, the rest left as they are. */
export const cleanupSettingsPatchSchema = z
  .object({
    categories: categoriesSchema.optional(),
    intervalSeconds: z
      .number({ message: "The interval must be a number of seconds." })
      .int({ message: "The interval must be a whole number of seconds." })
      .min(INTERVAL_LIMITS.min, { message: "The interval must be at least 5 minutes (300 seconds)." })
      .max(INTERVAL_LIMITS.max, { message: "The interval must be at most 24 hours (86,400 seconds)." })
      .optional(),
    keepExpiredSessionsDays: z
      .number({ message: "The retention must be a number of days." })
      .int({ message: "The retention must be a whole number of days." })
      .min(KEEP_DAYS_LIMITS.min, { message: "The retention cannot be negative." })
      .max(KEEP_DAYS_LIMITS.max, { message: "The retention must be at most 3,650 days." })
      .optional(),
  })
  .strict();
export type CleanupSettingsPatch = z.output<typeof cleanupSettingsPatchSchema>;

export function environmentCleanupSettings(config: AppConfig): CleanupSettings {
  return {
    categories: {
      expired: config.CLEANUP_EXPIRED_SESSIONS,
      idle: config.CLEANUP_IDLE_SESSIONS,
      policyViolations: config.CLEANUP_POLICY_VIOLATIONS,
      orphaned: config.CLEANUP_ORPHANED_SESSIONS,
      duplicates: config.CLEANUP_DUPLICATE_SESSIONS,
      suspicious: config.CLEANUP_SUSPICIOUS_SESSIONS,
    },
    intervalSeconds: config.SESSION_CLEANUP_INTERVAL,
    keepExpiredSessionsDays: config.KEEP_EXPIRED_SESSIONS_DAYS,
  };
}

export function applyCleanupPatch(base: CleanupSettings, patch: CleanupSettingsPatch): CleanupSettings {
  return {
    categories: { ...base.categories, ...definedOnly(patch.categories ?? {}) },
    intervalSeconds: patch.intervalSeconds ?? base.intervalSeconds,
    keepExpiredSessionsDays: patch.keepExpiredSessionsDays ?? base.keepExpiredSessionsDays,
  };
}

/** The smallest patch that turns `defaults` into `wanted`: what is stored. */
export function patchBetween(defaults: CleanupSettings, wanted: CleanupSettings): CleanupSettingsPatch {
  const categories = Object.fromEntries(
    cleanupCategories.filter((c) => wanted.categories[c] !== defaults.categories[c]).map((c) => [c, wanted.categories[c]]),
  );
  return {
    ...(Object.keys(categories).length > 0 ? { categories } : {}),
    ...(wanted.intervalSeconds !== defaults.intervalSeconds ? { intervalSeconds: wanted.intervalSeconds } : {}),
    ...(wanted.keepExpiredSessionsDays !== defaults.keepExpiredSessionsDays
      ? { keepExpiredSessionsDays: wanted.keepExpiredSessionsDays }
      : {}),
  };
}

export type SettingChange = { setting: string; from: boolean | number; to: boolean | number };

/** What differs between two settings, named as an event records it ("categories.idle", "intervalSeconds"). */
export function settingChanges(before: CleanupSettings, after: CleanupSettings): SettingChange[] {
  const changes: SettingChange[] = cleanupCategories
    .filter((c) => before.categories[c] !== after.categories[c])
    .map((c) => ({ setting: `categories.${c}`, from: before.categories[c], to: after.categories[c] }));
  if (before.intervalSeconds !== after.intervalSeconds)
    changes.push({ setting: "intervalSeconds", from: before.intervalSeconds, to: after.intervalSeconds });
  if (before.keepExpiredSessionsDays !== after.keepExpiredSessionsDays)
    changes.push({ setting: "keepExpiredSessionsDays", from: before.keepExpiredSessionsDays, to: after.keepExpiredSessionsDays });
  return changes;
}

/** A stored patch read back: anything that no longer validates (an older shape) counts as no change. */
export function storedPatch(value: unknown): CleanupSettingsPatch {
  const parsed = cleanupSettingsPatchSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
