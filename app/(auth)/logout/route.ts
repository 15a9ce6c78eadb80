import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { redirectTo } from "@/lib/http/redirect";
import { getRequestContext } from "@/lib/sessions/request-context";
import { clearSessionCookie, readSessionCookie } from "@/lib/sessions/session-cookie";
import { endSessions } from "@/lib/sessions/end-sessions";
import { findLiveSession } from "@/lib/sessions/store";

/** POST /logout: revokes the auth session server-side, then clears the cookie. */
export async function POST(request: NextRequest) {
  // Defence in depth beside SameSite=Lax: a cross-site form cannot sign people out.
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && host && new URL(origin).host !== host) {
    return jsonError(403, "forbidden", "Cross-site sign-out refused.");
  }

  const data = await readSessionCookie();
  if (data) {
    const { now: at, facts } = await getRequestContext();
    const db = getDb();
    await db.transaction(async (tx) => {
      const live = await findLiveSession(tx, data.sid, data.token, at);
      if (!live) return;
      await endSessions(tx, { ids: [live.session.id] }, "logout", { now: at, ip: facts.ip, userAgent: facts.userAgent });
    });
  }
  await clearSessionCookie();
  return redirectTo("/login?reason=signed_out");
}
