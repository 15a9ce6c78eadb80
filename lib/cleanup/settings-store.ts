import { eq } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Database, Queryable } from "@/lib/db/client";
import { cleanupSettings } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import {
  applyCleanupPatch,
  environmentCleanupSettings,
  patchBetween,
  settingChanges,
  storedPatch,
  type CleanupSettings,
  type CleanupSettingsPatch,
  type SettingChange,
} from "./settings";

/** The cleanup_settings row's one owner: read the settings in force, change them, go back to the defaults. */

export type CleanupSettingsState = {
  settings: CleanupSettings;
  defaults: CleanupSettings;
  /** "environment" while no administrator has changed anything. */
  source: "environment" | "administrator";
  updatedAt: string | null;
};

export type SettingsActor = { userId: string; ip: string | null; userAgent: string | null; now: Date };

export async function loadCleanupSettings(db: Queryable): Promise<CleanupSettingsState> {
  const defaults = environmentCleanupSettings(getConfig());
  const [row] = await db.select().from(cleanupSettings).where(eq(cleanupSettings.id, 1));
  const patch = storedPatch(row?.settings);
  const changed = Object.keys(patch).length > 0;
  return {
    settings: applyCleanupPatch(defaults, patch),
    defaults,
    source: changed ? "administrator" : "environment",
    updatedAt: changed && row ? row.updatedAt.toISOString() : null,
  };
}

/**
 * Applies an administrator's change and records it (one event naming each setting's old and new value, kept even
 * with monitoring off: it is the audit trail of who changed what). Returns the settings now in force and the changes.
 */
export async function updateCleanupSettings(
  db: Database,
  change: CleanupSettingsPatch | "defaults",
  by: SettingsActor,
): Promise<{ state: CleanupSettingsState; changes: SettingChange[] }> {
  return db.transaction(async (tx) => {
    // Two administrators saving at once: one after the other, each seeing what the other saved.
    const [row] = await tx.select().from(cleanupSettings).where(eq(cleanupSettings.id, 1)).for("update");
    const defaults = environmentCleanupSettings(getConfig());
    const before = applyCleanupPatch(defaults, storedPatch(row?.settings));
    const after = change === "defaults" ? defaults : applyCleanupPatch(before, change);
    const changes = settingChanges(before, after);
    const patch = patchBetween(defaults, after);
    if (Object.keys(patch).length === 0) await tx.delete(cleanupSettings).where(eq(cleanupSettings.id, 1));
    else {
      const values = { settings: patch, updatedBy: by.userId, updatedAt: by.now };
      await tx
        .insert(cleanupSettings)
        .values({ id: 1, ...values })
        .onConflictDoUpdate({ target: cleanupSettings.id, set: values });
    }
    if (changes.length > 0) {
      await recordEvent(
        tx,
        "cleanup_settings_changed",
        { userId: by.userId, ip: by.ip, userAgent: by.userAgent, at: by.now, details: { changes, reset: change === "defaults" } },
        { essential: true },
      );
    }
    const changed = Object.keys(patch).length > 0;
    return {
      state: {
        settings: after,
        defaults,
        source: changed ? "administrator" : "environment",
        updatedAt: changed ? by.now.toISOString() : null,
      },
      changes,
    };
  });
}
