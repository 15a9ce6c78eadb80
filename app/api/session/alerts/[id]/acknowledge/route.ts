import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { route } from "@/lib/http/route";
import { alertJson, usernamesOf } from "@/lib/monitor/alert-json";
import { acknowledgeAlert } from "@/lib/monitor/alerts";

/** POST /api/session/alerts/{id}/acknowledge (admin, recent sign-in). */
export const POST = route(
  {
    auth: "admin",
    stepUp: true,
    params: z.object({ id: z.uuid() }),
    notFound: "No such alert.",
    doc: { summary: "Acknowledge an alert", response: { description: "The alert, acknowledged." } },
  },
  async ({ db, user, params, now }) => {
    const alert = await acknowledgeAlert(db, { id: params.id, byUserId: user.id, now });
    if (!alert) throw AppError.notFound("No such alert.");
    return alertJson(alert, await usernamesOf(db, [alert]));
  },
);
