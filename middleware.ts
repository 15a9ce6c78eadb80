import { NextResponse, type NextRequest } from "next/server";
import { requestTime } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import { evaluate } from "@/lib/policies/evaluate";
import { jsonError } from "@/lib/http/errors";
import { isExpectedHost } from "@/lib/http/expected-host";
import { checkPageSubmission, submissionProblemPage } from "@/lib/http/page-submission";
import { REQUEST_ID_HEADER, requestIdFor } from "@/lib/log/request-id";
import { hardLimit } from "@/lib/policies/limits";
import { resolvePolicy } from "@/lib/policies/resolve";
import { allowedWhileOwed, SECOND_FACTOR_MESSAGE, secondFactorUrl } from "@/lib/policies/second-factor";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/lib/security/headers";
import { cookieAttributes, cookieSettings, endedCookieName, sealSession, unsealSession } from "@/lib/sessions/cookie";
import { loginUrlForEnding, parseEndedCookie } from "@/lib/sessions/end-reasons";
import { bearerTokenOf } from "@/lib/sessions/api-token";
import { requestFactsFrom, sessionFactsFromCookie } from "@/lib/sessions/facts";
import { MINUTE_MS } from "@/lib/time";

/**
 * Edge middleware: the fast, I/O-free gate. It unseals the cookie and runs the pure policy engine on the cookie's
 * facts; a violation is handed to a Node route that re-checks it against the database and ends the session. The
 * data access layer (lib/sessions/dal.ts) re-checks every request and is the authority.
 * Kept as `middleware.ts` (edge) on purpose: Next 16's `proxy.ts` would run on Node.
 */

/** Need a signed-in user. */
const USER_PAGES = ["/dashboard", "/admin", "/account", "/reauth", "/login/verify"];
const USER_APIS = ["/api/session/"];
/** Need a session of any kind: anonymous visitors may chat. */
const SESSION_PAGES = ["/chat"];
const SESSION_APIS = ["/api/chat/"];
const VIOLATION_ROUTE = "/api/session/violation";
/** Where a script gets an API token: no session yet, so middleware lets it through to its own checks. */
const TOKEN_ROUTE = "/api/session/token";
const HEALTH_ROUTE = "/api/health";
/** Headers only middleware may set: whatever a client sends under these names is dropped. */
const INTERNAL_HEADERS = ["x-growbal-violation", "x-growbal-return-to", "x-growbal-path", "x-nonce"];
const COOKIE_REFRESH_MS = MINUTE_MS;

function startsWithSegment(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
}

/** A browser request from another site: by Sec-Fetch-Site, or an Origin whose host is not ours. */
function isCrossSite(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== (request.headers.get("x-forwarded-host") ?? request.headers.get("host"));
  } catch {
    return true;
  }
}

export async function middleware(request: NextRequest) {
  const config = getConfig();
  const { pathname, search } = request.nextUrl;
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { development: config.NODE_ENV === "development", https: config.secureCookies });
  const headers = securityHeaders(csp, { production: config.NODE_ENV === "production", https: config.secureCookies });
  // The server in front (scripts/serve.ts) or the platform's proxy has already settled the id; else one is made here.
  const requestId = requestIdFor(request.headers.get(REQUEST_ID_HEADER), true);
  const withHeaders = (response: NextResponse) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    response.headers.set(REQUEST_ID_HEADER, requestId);
    response.headers.set("Cache-Control", "private, no-store");
    return response;
  };

  // Only the configured origin is served (liveness probes excepted: they address the instance, not the site).
  if (pathname !== HEALTH_ROUTE && !isExpectedHost(request.headers, config.appOrigin, config.TRUSTED_PROXY_HOPS)) {
    return withHeaders(jsonError(421, "misdirected", `This server answers only for ${config.appOrigin}.`));
  }

  // Route handlers have no built-in origin check (server actions do): refuse cross-site state changes to them.
  // A request that carries only a bearer token (no cookie) has no ambient credential a forged request could ride on.
  const settings = cookieSettings(config);
  const bearerOnly = bearerTokenOf(request.headers) !== null && !request.cookies.has(settings.name);
  const unsafeMethod = !["GET", "HEAD", "OPTIONS"].includes(request.method);
  if (
    !bearerOnly &&
    unsafeMethod &&
    (pathname.startsWith("/api/") || pathname === "/logout") &&
    !pathname.startsWith("/api/cron/") &&
    isCrossSite(request)
  ) {
    return withHeaders(jsonError(403, "forbidden", "Cross-site request refused."));
  }

  // Form posts and server actions go to page paths: an oversized or damaged body gets a page, not Next's bare 500.
  if (unsafeMethod && !pathname.startsWith("/api/")) {
    const problem = await checkPageSubmission(request);
    if (problem) {
      const page = submissionProblemPage(problem, pathname, nonce, requestId);
      return withHeaders(new NextResponse(page, { status: problem.status, headers: { "content-type": "text/html; charset=utf-8" } }));
    }
  }

  const requestHeaders = new Headers(request.headers);
  for (const name of INTERNAL_HEADERS) requestHeaders.delete(name);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);

  const matches = (prefixes: string[]) => prefixes.some((p) => startsWithSegment(pathname, p));
  const userOnly = matches(USER_PAGES) || matches(USER_APIS);
  const isApi = matches(USER_APIS) || matches(SESSION_APIS);
  const isPage = matches(USER_PAGES) || matches(SESSION_PAGES);
  let refreshedCookie: { value: string; maxAge: number } | null = null;

  // Bearer requests and the token route are judged by the data access layer alone (the cookie gate is for browsers).
  if ((isApi || isPage) && !(bearerOnly && isApi) && !(pathname === TOKEN_ROUTE && request.method === "POST")) {
    const session = await unsealSession(request.cookies.get(settings.name)?.value, settings);
    if (session) {
      const now = requestTime(request.headers, config.testClock).getTime();
      const policy = resolvePolicy(session.kind, config.policySettings, session.ovr);
      let cookieLooksLive = true;
      if (config.policySettings.enforce && pathname !== VIOLATION_ROUTE) {
        const decision = evaluate(sessionFactsFromCookie(session), requestFactsFrom(request.headers, config), policy, now);
        // A session owing its second factor is held, not ended: it reaches that step's page and sign-out only.
        if (!decision.ok && decision.violation === "mfa_pending" && session.mfa) {
          if (!allowedWhileOwed(session.mfa, pathname)) {
            if (isApi) return withHeaders(jsonError(403, "mfa_required", SECOND_FACTOR_MESSAGE[session.mfa]));
            return withHeaders(NextResponse.redirect(new URL(secondFactorUrl(session.mfa, pathname + search), request.url), 303));
          }
        }
        cookieLooksLive = decision.ok || decision.violation === "mfa_pending";
        // Only what the cookie proves on its own is handed over here. Inactivity is not: the cookie's activity time
        // goes stale in clients that keep no cookies while the database knows they are active. APIs are judged by
        // the data access layer (an answer of 200 or a 401 in the error shape, never a redirect), and so are
        // server actions, which can redirect properly.
        const isServerAction = isPage && request.headers.has("next-action");
        if (!decision.ok && isPage && !isServerAction && decision.violation !== "idle_timeout" && decision.violation !== "mfa_pending") {
          requestHeaders.set("x-growbal-violation", decision.violation);
          requestHeaders.set("x-growbal-return-to", pathname + search);
          return withHeaders(NextResponse.rewrite(new URL(VIOLATION_ROUTE, request.url), { request: { headers: requestHeaders } }));
        }
      }
      // A cookie that looks idle is not refreshed: only the database may say the session is still active.
      if (cookieLooksLive && now - session.lastActivityAt >= COOKIE_REFRESH_MS) {
        const lifetime = (hardLimit(policy, session) - now) / 1000;
        if (lifetime > 0) {
          refreshedCookie = { value: await sealSession({ ...session, lastActivityAt: now }, settings, lifetime), maxAge: lifetime };
        }
      }
    }
    if (!session || (userOnly && !session.uid)) {
      // A browser whose session ended keeps hearing why (the ended cookie), not a bare "sign in".
      const ended = session ? null : parseEndedCookie(request.cookies.get(endedCookieName(settings))?.value);
      if (isApi) {
        return withHeaders(
          ended
            ? jsonError(401, "session_ended", ended.message, undefined, ended.reason)
            : jsonError(401, "unauthorized", "Sign in to continue."),
        );
      }
      const login = ended
        ? new URL(loginUrlForEnding(ended.reason, ended.after, pathname + search), request.url)
        : new URL(`/login?next=${encodeURIComponent(pathname + search)}`, request.url);
      return withHeaders(NextResponse.redirect(login, 303));
    }
  }

  // Next.js reads the nonce from the request's CSP header and puts it on its scripts.
  requestHeaders.set("Content-Security-Policy", csp);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("x-growbal-path", pathname + search);
  const response = withHeaders(NextResponse.next({ request: { headers: requestHeaders } }));
  if (refreshedCookie) {
    response.cookies.set(settings.name, refreshedCookie.value, cookieAttributes(settings, refreshedCookie.maxAge));
  }
  return response;
}

export const config = {
  matcher: [
    // Everything but Next's build output. Not "everything but paths that look like files": a dynamic page matches
    // such a path too (/admin/users/x.png), and every request must have the internal headers stripped and set here.
    "/((?!_next/static|_next/image).*)",
  ],
};
