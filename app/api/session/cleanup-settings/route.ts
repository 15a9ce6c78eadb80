import type { z } from "zod";
import { rearmCleanupInterval } from "@/lib/cleanup/schedule";
import { cleanupSettingsPatchSchema, type CleanupSettingsPatch } from "@/lib/cleanup/settings";
import { updateCleanupSettings } from "@/lib/cleanup/settings-store";
import { route, type RouteContext } from "@/lib/http/route";

/**
 * PATCH/DELETE /api/session/cleanup-settings (admin, recent sign-in): turn cleanup categories on or off, change the
 * interval and how long ended sessions are kept; DELETE goes back to the environment's values. Every change is
 * recorded as a `cleanup_settings_changed` event. This instance re-arms its interval at once; others at their next tick.
 */

const bodySchema = cleanupSettingsPatchSchema.refine((patch) => Object.keys(patch).length > 0, {
  message: "Give at least one setting to change (to go back to the defaults, use DELETE).",
});

/** Applies the change for the administrator, and moves this instance's interval when it changed. */
async function apply(
  context: RouteContext<"admin", undefined, undefined, z.ZodType | undefined>,
  change: CleanupSettingsPatch | "defaults",
) {
  const { db, user, facts, now } = context;
  const { state, changes } = await updateCleanupSettings(db, change, { userId: user.id, ip: facts.ip, userAgent: facts.userAgent, now });
  rearmCleanupInterval(state.settings.intervalSeconds);
  return { ...state, changes };
}

export const PATCH = route(
  {
    auth: "admin",
    stepUp: true,
    body: bodySchema,
    doc: {
      summary: "Change the cleanup settings",
      description: "Categories on or off, the interval (300–86,400 s) and the days ended sessions are kept (0–3,650).",
      requestExample: { categories: { idle: false }, intervalSeconds: 900, keepExpiredSessionsDays: 30 },
      response: { description: "The settings now in force and what changed." },
    },
  },
  (context) => apply(context, context.body),
);

export const DELETE = route(
  {
    auth: "admin",
    stepUp: true,
    doc: {
      summary: "Reset the cleanup settings to the environment's",
      response: { description: "The settings now in force and what changed." },
    },
  },
  (context) => apply(context, "defaults"),
);
