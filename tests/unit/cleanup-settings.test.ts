import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import {
  applyCleanupPatch,
  cleanupSettingsPatchSchema,
  environmentCleanupSettings,
  patchBetween,
  settingChanges,
  storedPatch,
} from "@/lib/cleanup/settings";

const defaults = environmentCleanupSettings(parseConfig({ CLEANUP_SUSPICIOUS_SESSIONS: "false", SESSION_CLEANUP_INTERVAL: "600" }));

describe("cleanup settings (pure)", () => {
  it("the environment gives the defaults", () => {
    expect(defaults.intervalSeconds).toBe(600);
    expect(defaults.categories).toMatchObject({ suspicious: false, idle: true });
  });

  it("a patch changes only what it names; the stored patch is only what differs from the defaults", () => {
    const wanted = applyCleanupPatch(defaults, { categories: { idle: false, suspicious: false }, keepExpiredSessionsDays: 30 });
    expect(wanted.categories).toMatchObject({ idle: false, suspicious: false, expired: true });
    expect(wanted.intervalSeconds).toBe(600);
    expect(patchBetween(defaults, wanted)).toEqual({ categories: { idle: false }, keepExpiredSessionsDays: 30 });
    expect(patchBetween(defaults, defaults)).toEqual({});
    expect(applyCleanupPatch(defaults, patchBetween(defaults, wanted))).toEqual(wanted);
  });

  it("names each change with its old and new value", () => {
    const after = applyCleanupPatch(defaults, { categories: { suspicious: true }, intervalSeconds: 900 });
    expect(settingChanges(defaults, after)).toEqual([
      { setting: "categories.suspicious", from: false, to: true },
      { setting: "intervalSeconds", from: 600, to: 900 },
    ]);
  });

  it("refuses out-of-range values and unknown settings with a message a person can act on", () => {
    const problems = (value: unknown) => cleanupSettingsPatchSchema.safeParse(value).error?.issues.map((i) => i.message) ?? [];
    expect(problems({ intervalSeconds: 60 })).toEqual(["The interval must be at least 5 minutes (300 seconds)."]);
    expect(problems({ intervalSeconds: 100_000 })).toEqual(["The interval must be at most 24 hours (86,400 seconds)."]);
    expect(problems({ keepExpiredSessionsDays: -1 })).toEqual(["The retention cannot be negative."]);
    expect(problems({ categories: { idle: "no" } })).toEqual(["idle must be true or false"]);
    expect(problems({ categories: { everything: false } })).toHaveLength(1);
    expect(problems({ enforce: false })).toHaveLength(1);
  });

  it("a stored value of an older shape counts as no change rather than failing the cleanup", () => {
    expect(storedPatch({ intervalSeconds: "soon" })).toEqual({});
    expect(storedPatch(undefined)).toEqual({});
    expect(storedPatch({ intervalSeconds: 900 })).toEqual({ intervalSeconds: 900 });
  });
});
