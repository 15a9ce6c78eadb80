/**
 * TRUSTED_PROXY_HOPS=0 while requests arrive carrying X-Forwarded-For: almost always a reverse proxy nobody told us
 * about. Every client then appears with the proxy's address, so one address's failed sign-ins lock everybody out.
 * The server notes it (once in the log) and /admin/security shows it until the setting is fixed.
 *
 * Kept on globalThis: the server script notes it, the Next.js bundle (same process) reads it.
 */
export type ProxyWarning = { firstSeenAt: Date; requests: number };

const KEY = Symbol.for("growbal.proxyWarning");
const store = globalThis as unknown as { [KEY]?: ProxyWarning };

export const PROXY_WARNING_MESSAGE =
  "Requests arrive with X-Forwarded-For, but TRUSTED_PROXY_HOPS is 0: if a reverse proxy is in front, every visitor " +
  "appears with its address and sign-in throttling treats them as one. Set TRUSTED_PROXY_HOPS to the number of proxies.";

/** Called for each request with the proxy headers as the client sent them; true the first time. */
export function noteForwardedHeaders(
  headers: Record<string, string | string[] | undefined>,
  trustedProxyHops: number,
  now = new Date(),
): boolean {
  if (trustedProxyHops !== 0 || headers["x-forwarded-for"] === undefined) return false;
  const current = store[KEY];
  if (current) {
    current.requests += 1;
    return false;
  }
  store[KEY] = { firstSeenAt: now, requests: 1 };
  return true;
}

export function proxyWarning(): ProxyWarning | null {
  return store[KEY] ?? null;
}
