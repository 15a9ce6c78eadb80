import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { findUserById } from "@/lib/auth/users";
import { forceCleanupUser } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { route } from "@/lib/http/route";
import { text } from "@/lib/validation/text";

const bodySchema = z
  .object({
    reason: text().trim().min(1).max(500).optional(),
    exceptSessionId: z.uuid().optional(),
  })
  .strict();

/** POST /api/session/force-cleanup/{userId} (admin, recent sign-in): ends every session of that user. */
export const POST = route(
  {
    auth: "admin",
    stepUp: true,
    params: z.object({ userId: z.uuid() }),
    body: bodySchema,
    notFound: "No such user.",
    doc: {
      summary: "End every session of a user",
      requestExample: { reason: "Reported a lost laptop" },
      response: { description: "How many sessions ended, and the reason recorded." },
    },
  },
  async ({ db, user, params, body, now }) => {
    const target = await findUserById(db, params.userId);
    if (!target) throw AppError.notFound("No such user.");
    const reason = body.reason ?? "administrative";
    const cleanedSessions = await forceCleanupUser(adhocCleanupContext("admin", now), {
      userId: target.id,
      note: reason,
      byUserId: user.id,
      exceptSessionId: body.exceptSessionId,
    });
    return { cleanedSessions, reason };
  },
);
