import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { route } from "@/lib/http/route";
import { policyPatchSchema } from "@/lib/policies/resolve";
import { clearOverride, setOverride } from "@/lib/sessions/policy-overrides";
import { text } from "@/lib/validation/text";

/** PUT/DELETE /api/session/policies/overrides/{userId}: an administrator sets or clears a user's policy override. */

const params = z.object({ userId: z.uuid() });
// An empty override would change nothing yet leave a row behind: clearing is DELETE.
const bodySchema = z
  .object({
    policy: policyPatchSchema.refine((patch) => Object.keys(patch).length > 0, {
      message: "Give at least one setting to override (to remove the override, use DELETE).",
    }),
    reason: text().trim().max(500).optional(),
  })
  .strict();

export const PUT = route(
  {
    auth: "admin",
    stepUp: true,
    params,
    body: bodySchema,
    notFound: "No such user.",
    doc: {
      summary: "Set a user's policy override",
      description: "Changes chosen settings of the user's session policy (their live sessions are judged by it from the next request).",
      requestExample: { policy: { idleTimeoutMinutes: 15, ipBinding: "exact" }, reason: "Handles payroll" },
      response: { description: "The override as stored." },
    },
  },
  async ({ db, user, params, body, now, facts }) => {
    const saved = await setOverride(db, {
      userId: params.userId,
      policy: body.policy,
      reason: body.reason ?? null,
      by: { userId: user.id, ip: facts.ip, userAgent: facts.userAgent, now },
    });
    if (!saved) throw AppError.notFound("No such user.");
    return { userId: saved.userId, policy: saved.policy, reason: saved.reason, updatedAt: saved.updatedAt.toISOString() };
  },
);

export const DELETE = route(
  {
    auth: "admin",
    stepUp: true,
    params,
    notFound: "No such user.",
    doc: { summary: "Clear a user's policy override", response: { description: "Cleared." } },
  },
  async ({ db, user, params, now, facts }) => {
    const cleared = await clearOverride(db, {
      userId: params.userId,
      by: { userId: user.id, ip: facts.ip, userAgent: facts.userAgent, now },
    });
    if (!cleared) throw AppError.notFound("That user has no policy override.");
    return { userId: params.userId, cleared: true };
  },
);
