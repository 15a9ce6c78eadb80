/**
 * Every request carries an id in `x-request-id`: the one a trusted proxy sent, or one made here. It is returned in
 * the response header and written on every log line about the request, so a person's "reference" finds them.
 * Edge-safe (middleware uses it): no Node APIs.
 */
export const REQUEST_ID_HEADER = "x-request-id";

/** What an id from elsewhere may look like: short, printable, no spaces (it lands in logs and headers). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{8,128}$/;

export function isAcceptableRequestId(value: string | null | undefined): value is string {
  return typeof value === "string" && ACCEPTABLE_ID.test(value);
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The proxy's id when the proxy is trusted and its id is acceptable; a new one otherwise. */
export function requestIdFor(incoming: string | null | undefined, trustIncoming: boolean): string {
  return trustIncoming && isAcceptableRequestId(incoming) ? incoming : newRequestId();
}
