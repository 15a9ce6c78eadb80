import { z } from "zod";

/**
 * API tokens: `gbt_<session id>.<token>`, sent as `Authorization: Bearer …`. The session id lets the lookup use the
 * primary key; the token is the same 256-bit secret a cookie holds, stored only as its SHA-256. Edge-safe (pure).
 */

const PREFIX = "gbt_";
const partsSchema = z.object({ sid: z.uuid(), token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

export function formatApiToken(sessionId: string, token: string): string {
  return `${PREFIX}${sessionId}.${token}`;
}

/** The session id and token in a bearer token, or null when it is not one of ours. */
export function parseApiToken(raw: string): { sid: string; token: string } | null {
  if (!raw.startsWith(PREFIX) || raw.length > 200) return null;
  const [sid, token, extra] = raw.slice(PREFIX.length).split(".");
  if (extra !== undefined) return null;
  const parsed = partsSchema.safeParse({ sid, token });
  return parsed.success ? parsed.data : null;
}

/** The bearer credential of a request's headers, if it sends one (any scheme other than Bearer is not ours). */
export function bearerTokenOf(headers: Headers): string | null {
  const match = /^Bearer ([^\s]+)$/.exec(headers.get("authorization") ?? "");
  return match ? match[1]! : null;
}
