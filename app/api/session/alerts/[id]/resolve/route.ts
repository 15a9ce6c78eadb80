import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { route } from "@/lib/http/route";
import { alertJson, usernamesOf } from "@/lib/monitor/alert-json";
import { resolveAlert } from "@/lib/monitor/alerts";
import { text } from "@/lib/validation/text";

const bodySchema = z.object({ notes: text().trim().max(2000).optional(), falsePositive: z.boolean().optional() }).strict();

/**
 * POST /api/session/alerts/{id}/resolve `{ notes?, falsePositive? }` (admin, recent sign-in). A false positive lifts
 * the flags it put on the user's sessions and keeps the same alert from re-opening within its rule's window.
 */
export const POST = route(
  {
    auth: "admin",
    stepUp: true,
    params: z.object({ id: z.uuid() }),
    body: bodySchema,
    notFound: "No such alert.",
    doc: {
      summary: "Resolve an alert",
      description: "A false positive lifts the flags it put on the user's sessions and keeps it from re-opening within its rule's window.",
      requestExample: { notes: "Travelling; confirmed by phone.", falsePositive: true },
      response: { description: "The alert, resolved." },
    },
  },
  async ({ db, user, params, body, now }) => {
    const alert = await resolveAlert(db, {
      id: params.id,
      byUserId: user.id,
      notes: body.notes || null,
      falsePositive: body.falsePositive ?? false,
      now,
    });
    if (!alert) throw AppError.notFound("No such alert.");
    return alertJson(alert, await usernamesOf(db, [alert]));
  },
);
