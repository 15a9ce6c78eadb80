import type { IncomingHttpHeaders } from "node:http";

/** Proxy headers a client could send to claim another address, host or scheme. */
const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/**
 * Makes the proxy headers of an incoming request say only what can be trusted, before Next.js sees them.
 * With no trusted proxy (hops 0) whatever the client sent is dropped and X-Forwarded-For becomes the socket's
 * address: Next.js itself only fills the header when it is absent, which let a client choose its own address.
 * With trusted proxies the header is theirs; `clientIpFromHeaders` reads the entry they appended.
 */
export function trustForwardedHeaders(headers: IncomingHttpHeaders, socketAddress: string | undefined, trustedProxyHops: number): void {
  if (trustedProxyHops === 0) {
    for (const name of FORWARDED_HEADERS) delete headers[name];
  }
  if (socketAddress && headers["x-forwarded-for"] === undefined) headers["x-forwarded-for"] = socketAddress;
}
