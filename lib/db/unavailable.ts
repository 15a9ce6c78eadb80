/**
 * Whether an error means the database cannot be reached or cannot answer right now (refused, reset, timed out,
 * shutting down, out of connections, statement timeout) rather than a bug: such failures are answered with 503 and
 * Retry-After. drizzle wraps the driver's error, so its `cause` is looked at too.
 */
import { NOT_ANSWERING } from "./answer-deadline";

const UNAVAILABLE_CODES = new Set([
  NOT_ANSWERING, // our client-side deadline: a frozen server (see answer-deadline.ts)
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "57014", // query_canceled (statement timeout)
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
