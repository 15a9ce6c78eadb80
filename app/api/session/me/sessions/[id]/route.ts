import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { endSessions } from "@/lib/sessions/end-sessions";
import { authenticateApi, hasRecentAuthentication } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { clearSessionCookie } from "@/lib/sessions/session-cookie";

/** DELETE /api/session/me/sessions/{id}: ends one of the user's own sessions (another user's id is a 404). */
export async function DELETE(_request: NextRequest, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateApi();
  if (!auth.ok) return auth.response;
  const id = z.uuid().safeParse((await context.params).id);
  if (!id.success) return jsonError(404, "not_found", "No such session.");
  // Ending your own current session is signing out; ending another device is a sensitive operation.
  if (id.data !== auth.session.id && !(await hasRecentAuthentication())) {
    return jsonError(403, "reauth_required", "Confirm your password to sign out another device.");
  }
  const { now, facts } = await getRequestContext();
  const ended = await getDb().transaction((tx) =>
    endSessions(tx, { ids: [id.data], userId: auth.user.id }, "revoked_by_user", { now, ip: facts.ip, userAgent: facts.userAgent }),
  );
  if (ended.length === 0) return jsonError(404, "not_found", "No such session.");
  if (id.data === auth.session.id) await clearSessionCookie();
  return NextResponse.json({ id: id.data, revoked: true, current: id.data === auth.session.id });
}
