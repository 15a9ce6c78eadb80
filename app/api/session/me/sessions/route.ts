import { route } from "@/lib/http/route";
import { listDevices } from "@/lib/sessions/devices";

/** GET /api/session/me/sessions: the signed-in user's live sessions ("signed-in devices"). */
export const GET = route(
  {
    auth: "user",
    doc: {
      summary: "Signed-in devices",
      description: "The account's live sessions (API tokens included, personal access tokens not), `current` marking this one.",
      response: { description: "The devices, most recently active first." },
    },
  },
  async ({ db, user, session, now }) => ({ sessions: await listDevices(db, user.id, session.id, now) }),
);
