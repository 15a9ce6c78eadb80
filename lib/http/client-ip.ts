/**
 * The client's IP address from X-Forwarded-For, trusting exactly `trustedProxyHops` proxies (each appends the
 * address it saw). Pure and edge-safe.
 *
 * With 0 hops there is no proxy: Next.js fills X-Forwarded-For from the socket only when the client sent none, so
 * the last entry is the socket address for honest clients. Anything before the trusted entries is client-supplied
 * and ignored.
 */
export function clientIpFromHeaders(headers: Headers, trustedProxyHops: number): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const index = trustedProxyHops === 0 ? entries.length - 1 : entries.length - trustedProxyHops;
  const candidate = index >= 0 ? entries[index] : undefined;
  return candidate ? normalizeIp(candidate) : null;
}

/** Strips an IPv4-mapped IPv6 prefix and IPv6 brackets/ports so equal addresses compare equal. */
export function normalizeIp(raw: string): string {
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed?.[1]) ip = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  if (ip.toLowerCase().startsWith("::ffff:") && ip.includes(".")) ip = ip.slice(7);
  return ip.toLowerCase();
}
