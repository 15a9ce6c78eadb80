import { AppError } from "@/lib/app-error";
import { redirectTo } from "@/lib/http/redirect";
import { route } from "@/lib/http/route";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { loginUrlForEnding, loginUrlForViolation } from "@/lib/sessions/end-reasons";
import { checkSession, type GuardOutcome } from "@/lib/sessions/guard";
import {
  clearSessionCookie,
  clearSessionCookieFor,
  readSessionCookie,
  sessionDataFor,
  writeSessionCookie,
} from "@/lib/sessions/session-cookie";

/**
 * Where middleware hands a request whose cookie broke a session policy. The cookie's verdict is only a hint:
 * this re-checks against the database, and only a confirmed violation ends the session (revoked with the
 * violation as reason, a `policy_violation` event, the cookie cleared). Reachable only through middleware, which
 * overwrites the hand-over headers; calling it directly ends nothing that is not really in violation.
 */
const handle = route(
  {
    auth: "public",
    doc: {
      summary: "Middleware's policy-violation hand-over (internal)",
      description:
        "Not for clients: middleware rewrites a request here when the cookie breaks a policy; it re-checks against the database.",
      internal: true,
      response: { description: "A redirect back (the database disagreed) or to sign-in; for API paths, 401 `session_ended`." },
    },
  },
  async ({ request, db, now, facts }) => {
    const returnTo = safeNextPath(request.headers.get("x-growbal-return-to"), "/dashboard");
    const isApi = returnTo.startsWith("/api/");
    const data = await readSessionCookie();
    const outcome: GuardOutcome = data ? await checkSession(db, data, facts, now, { touch: false }) : { status: "none" };

    if (outcome.status === "ok" && data) {
      // The database disagrees with the cookie (an override changed, activity the cookie missed): refresh it, go on.
      const { session, user, override } = outcome.live;
      await writeSessionCookie(sessionDataFor(session, data.token, user, override, outcome.secondFactor), now);
      return redirectTo(returnTo, 307);
    }

    if (outcome.status === "violation") {
      await clearSessionCookieFor(outcome.violation, outcome.limitMinutes);
      if (isApi) throw new AppError("session_ended", outcome.message, 401, {}, outcome.violation);
      return redirectTo(loginUrlForViolation(outcome.violation, outcome.limitMinutes, returnTo));
    }
    if (outcome.status === "ended") {
      await clearSessionCookieFor(outcome.reason, null);
      if (isApi) throw new AppError("session_ended", outcome.message, 401, {}, outcome.reason);
      return redirectTo(loginUrlForEnding(outcome.reason, null, returnTo));
    }
    await clearSessionCookie();
    if (isApi) throw new AppError("unauthorized", "Sign in to continue.", 401);
    return redirectTo(`/login?reason=session_ended&next=${encodeURIComponent(returnTo)}`);
  },
);

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
