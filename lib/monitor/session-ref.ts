import { createHmac } from "node:crypto";
import { getConfig } from "@/lib/config";

/**
 * A keyed hash of an auth session id: lets events and logs correlate one session without ever containing an
 * identifier that could be looked up or replayed.
 */
export function sessionRef(sessionId: string): string {
  const key = getConfig().SESSION_SECRET?.[0] ?? "growbal-session-ref";
  return createHmac("sha256", key).update(`session-ref:${sessionId}`).digest("hex").slice(0, 32);
}
