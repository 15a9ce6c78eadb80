import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { runCleanup } from "@/lib/cleanup/run";
import { loadCleanupSettings, updateCleanupSettings } from "@/lib/cleanup/settings-store";
import { cleanupStatistics } from "@/lib/cleanup/stats";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { authSessions, cleanupSettings, securityEvents } from "@/lib/db/schema";
import { ago, insertSession, MIN, NOW } from "./cleanup-support";
import { makeUser } from "./support";

const actor = (userId: string) => ({ userId, ip: "198.51.100.7", userAgent: "test", now: NOW });

afterEach(async () => {
  await getDb().delete(cleanupSettings);
  delete process.env.CLEANUP_IDLE_SESSIONS;
  delete process.env.SESSION_CLEANUP_INTERVAL;
  resetConfigForTests();
});

async function changeEvents() {
  return getDb().select().from(securityEvents).where(eq(securityEvents.type, "cleanup_settings_changed")).orderBy(securityEvents.id);
}

describe("cleanup settings", () => {
  it("start as the environment's, change at run time with each change recorded, and go back to the defaults", async () => {
    process.env.SESSION_CLEANUP_INTERVAL = "1200";
    resetConfigForTests();
    const admin = await makeUser("admin");
    const initial = await loadCleanupSettings(getDb());
    expect(initial).toMatchObject({
      source: "environment",
      updatedAt: null,
      settings: { intervalSeconds: 1200, keepExpiredSessionsDays: 7 },
    });
    expect(Object.values(initial.settings.categories).every(Boolean)).toBe(true);

    const { state, changes } = await updateCleanupSettings(getDb(), { categories: { idle: false }, intervalSeconds: 900 }, actor(admin.id));
    expect(changes).toEqual([
      { setting: "categories.idle", from: true, to: false },
      { setting: "intervalSeconds", from: 1200, to: 900 },
    ]);
    expect(state).toMatchObject({
      source: "administrator",
      settings: { intervalSeconds: 900, categories: { idle: false, expired: true } },
    });
    // Only what differs from the environment is stored.
    const [row] = await getDb().select().from(cleanupSettings);
    expect(row?.settings).toEqual({ categories: { idle: false }, intervalSeconds: 900 });
    expect(row?.updatedBy).toBe(admin.id);

    // Saving the same again changes nothing and records nothing.
    expect((await updateCleanupSettings(getDb(), { intervalSeconds: 900 }, actor(admin.id))).changes).toEqual([]);
    // Setting a value back to the environment's removes it from the stored change.
    await updateCleanupSettings(getDb(), { intervalSeconds: 1200 }, actor(admin.id));
    expect((await getDb().select().from(cleanupSettings))[0]?.settings).toEqual({ categories: { idle: false } });

    const reset = await updateCleanupSettings(getDb(), "defaults", actor(admin.id));
    expect(reset.changes).toEqual([{ setting: "categories.idle", from: false, to: true }]);
    expect(reset.state.source).toBe("environment");
    expect(await getDb().select().from(cleanupSettings)).toEqual([]);

    const events = await changeEvents();
    expect(events.map((e) => e.details)).toEqual([
      { changes: changes, reset: false },
      { changes: [{ setting: "intervalSeconds", from: 900, to: 1200 }], reset: false },
      { changes: reset.changes, reset: true },
    ]);
    expect(events.every((e) => e.userId === admin.id && e.ip === "198.51.100.7")).toBe(true);
  });

  it("the environment stays the default under an administrator's change", async () => {
    const admin = await makeUser("admin");
    await updateCleanupSettings(getDb(), { keepExpiredSessionsDays: 30 }, actor(admin.id));
    process.env.CLEANUP_IDLE_SESSIONS = "false";
    resetConfigForTests();
    const { settings, defaults } = await loadCleanupSettings(getDb());
    expect(settings).toMatchObject({ keepExpiredSessionsDays: 30, categories: { idle: false } });
    expect(defaults).toMatchObject({ keepExpiredSessionsDays: 7, categories: { idle: false } });
  });

  it("a run follows the settings in force: a category switched off is left alone, and the statistics say so", async () => {
    const admin = await makeUser("admin");
    const idle = await insertSession({ kind: "anonymous", lastActivityAt: ago(31 * MIN) });
    await updateCleanupSettings(getDb(), { categories: { idle: false } }, actor(admin.id));

    const off = await runCleanup({ trigger: "manual", now: NOW });
    if ("skipped" in off) throw new Error("unexpectedly skipped");
    expect(off.counts.idle).toBe(0);
    const stats = await cleanupStatistics(getDb(), NOW);
    expect(stats.cleanupPolicies.idle).toBe(false);
    expect(stats.settings).toMatchObject({ source: "administrator", current: { categories: { idle: false } } });

    await updateCleanupSettings(getDb(), { categories: { idle: true } }, actor(admin.id));
    const on = await runCleanup({ trigger: "manual", now: NOW });
    if ("skipped" in on) throw new Error("unexpectedly skipped");
    expect(on.counts.idle).toBe(1);
    const [row] = await getDb()
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.id, idle.id), isNull(authSessions.revokedAt)));
    expect(row).toBeUndefined();
  });
});
