import { isLoopbackHost } from "@/lib/config";

/**
 * Whether a request was addressed to the configured origin (APP_URL). A request for another Host is refused, so
 * links and redirects are never built from a name the client chose, and nothing silently assumes localhost.
 * A localhost origin accepts every loopback name on the same port (localhost, 127.0.0.1, [::1]). Pure, edge-safe.
 */
export function isExpectedHost(headers: Headers, appOrigin: string, trustedProxyHops: number): boolean {
  const forwarded = trustedProxyHops > 0 ? headers.get("x-forwarded-host")?.split(",").at(-1)?.trim() : undefined;
  const host = forwarded || headers.get("host");
  if (!host) return false;
  let requested: URL;
  try {
    requested = new URL(`http://${host}`);
  } catch {
    return false;
  }
  const expected = new URL(appOrigin);
  const port = (url: URL, fallback: string) => url.port || fallback;
  const expectedPort = port(expected, expected.protocol === "https:" ? "443" : "80");
  if (isLoopbackHost(expected.hostname)) {
    // Behind no proxy the Host carries the real port; a missing one means the default.
    return isLoopbackHost(requested.hostname) && port(requested, "80") === expectedPort;
  }
  return requested.hostname === expected.hostname && (requested.port === "" || requested.port === expectedPort);
}
