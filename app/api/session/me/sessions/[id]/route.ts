import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { route } from "@/lib/http/route";
import { assertRecentAuthentication } from "@/lib/sessions/dal";
import { endSessions } from "@/lib/sessions/end-sessions";
import { clearSessionCookie } from "@/lib/sessions/session-cookie";

/** DELETE /api/session/me/sessions/{id}: ends one of the user's own sessions (another user's id is a 404). */
export const DELETE = route(
  {
    auth: "user",
    params: z.object({ id: z.uuid() }),
    notFound: "No such session.",
    doc: {
      summary: "End one of your sessions",
      description:
        "Ending this very session signs out; ending another device needs a sign-in within the last 15 minutes (403 `reauth_required`).",
      response: { description: "Ended.", example: { id: "3f0c5d3e-8a51-4c1e-9f57-2f8e0a9b7c11", revoked: true, current: false } },
    },
  },
  async ({ db, user, current: currentSession, session, params, now, facts }) => {
    const current = params.id === session.id;
    // Ending your own current session is signing out; ending another device is a sensitive operation.
    if (!current) await assertRecentAuthentication(currentSession);
    const ended = await db.transaction((tx) =>
      endSessions(tx, { ids: [params.id], userId: user.id }, "revoked_by_user", { now, ip: facts.ip, userAgent: facts.userAgent }),
    );
    if (ended.length === 0) throw AppError.notFound("No such session.");
    if (current) await clearSessionCookie();
    return { id: params.id, revoked: true, current };
  },
);
