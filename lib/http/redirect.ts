/**
 * A redirect with a relative Location. Route handlers see the server's own host name in `request.url` (not the one
 * the browser used), so an absolute URL built from it could send people to another origin — and their cookies
 * would not follow.
 */
export function redirectTo(path: string, status: 301 | 302 | 303 | 307 | 308 = 303): Response {
  if (!path.startsWith("/") || path.startsWith("//")) throw new Error("redirectTo takes a same-origin path");
  return new Response(null, { status, headers: { Location: path, "Cache-Control": "no-store" } });
}
