import { route } from "@/lib/http/route";
import { listDevices } from "@/lib/sessions/devices";

/** GET /api/session/me/sessions: the signed-in user's live sessions ("signed-in devices"). */
export const GET = route({ auth: "user" }, async ({ db, user, session, now }) => ({
  sessions: await listDevices(db, user.id, session.id, now),
}));
