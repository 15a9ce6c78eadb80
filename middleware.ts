import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@/lib/config";
import { cookieSettings, unsealSession } from "@/lib/sessions/cookie";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/lib/security/headers";

/**
 * Edge middleware: the optimistic, I/O-free gate. It only unseals the cookie; the data access layer
 * (lib/sessions/dal.ts) re-checks every request against the database and is the authority.
 * Kept as `middleware.ts` (edge) on purpose: Next 16's `proxy.ts` would run on Node.
 */

const PROTECTED_PAGES = ["/dashboard", "/chat", "/admin"];
const PROTECTED_APIS = ["/api/session/"];

function startsWithSegment(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
}

export async function middleware(request: NextRequest) {
  const config = getConfig();
  const { pathname, search } = request.nextUrl;
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { development: config.NODE_ENV === "development", https: config.secureCookies });
  const headers = securityHeaders(csp, { production: config.NODE_ENV === "production", https: config.secureCookies });
  const withHeaders = (response: NextResponse) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  const isApi = PROTECTED_APIS.some((p) => startsWithSegment(pathname, p));
  const isPage = PROTECTED_PAGES.some((p) => startsWithSegment(pathname, p));
  if (isApi || isPage) {
    const settings = cookieSettings(config);
    const session = await unsealSession(request.cookies.get(settings.name)?.value, settings);
    if (!session?.uid) {
      if (isApi) {
        return withHeaders(
          NextResponse.json({ error: { code: "unauthorized", message: "Sign in to continue." } }, { status: 401 }),
        );
      }
      const login = new URL("/login", request.url);
      login.searchParams.set("next", pathname + search);
      return withHeaders(NextResponse.redirect(login, 303));
    }
  }

  const requestHeaders = new Headers(request.headers);
  // Next.js reads the nonce from the request's CSP header and puts it on its scripts.
  requestHeaders.set("Content-Security-Policy", csp);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("x-growbal-path", pathname + search);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }));
}

export const config = {
  matcher: [
    // Everything except static assets; server actions are POSTs to page paths, so they pass through here too.
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt|.*\\.(?:png|jpg|jpeg|gif|svg|webp|ico|css|js|map)$).*)",
  ],
};
