import { networkOf } from "@/lib/policies/network";

/**
 * The client's IP address from X-Forwarded-For, trusting exactly `trustedProxyHops` proxies (each appends the
 * address it saw). Pure and edge-safe. Returns null unless the entry is a valid IPv4 or IPv6 address, so nothing
 * but an address is ever stored or compared.
 *
 * With 0 hops the server (scripts/serve.ts, `trustForwardedHeaders`) has replaced the header with the socket's
 * address, so its one entry is the peer. With N hops the entry the outermost trusted proxy appended is the N-th
 * from the right; anything before it is client-supplied and ignored.
 */
export function clientIpFromHeaders(headers: Headers, trustedProxyHops: number): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const index = entries.length - Math.max(1, trustedProxyHops);
  const candidate = index >= 0 ? entries[index] : undefined;
  if (!candidate) return null;
  const ip = normalizeIp(candidate);
  return networkOf(ip) === null ? null : ip;
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
