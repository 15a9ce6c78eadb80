import { NextResponse } from "next/server";
import { AppError } from "@/lib/app-error";
import { providerLogoutUrl } from "@/lib/sso/provider";
import { redirectTo } from "@/lib/http/redirect";
import { route } from "@/lib/http/route";
import { clearSessionCookie, readSessionCookie } from "@/lib/sessions/session-cookie";
import { endSessions } from "@/lib/sessions/end-sessions";
import { findLiveSession } from "@/lib/sessions/store";

/** POST /logout: revokes the auth session server-side, then clears the cookie. */
export const POST = route({ auth: "public" }, async ({ request, db, now, facts }) => {
  // Defence in depth beside SameSite=Lax: a cross-site form cannot sign people out.
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && host && new URL(origin).host !== host) throw AppError.forbidden("Cross-site sign-out refused.");

  const data = await readSessionCookie();
  let viaSso = false;
  if (data) {
    await db.transaction(async (tx) => {
      const live = await findLiveSession(tx, data.sid, data.token, now);
      if (live) await endSessions(tx, { ids: [live.session.id] }, "logout", { now, ip: facts.ip, userAgent: facts.userAgent });
      viaSso = Boolean(live?.session.ssoIdentityId);
    });
  }
  await clearSessionCookie();
  // Signed in through the provider: sign out there too when it offers RP-initiated logout (it comes back here).
  const providerLogout = viaSso ? await providerLogoutUrl("/login?reason=signed_out") : null;
  return providerLogout ? NextResponse.redirect(providerLogout, 303) : redirectTo("/login?reason=signed_out");
});
