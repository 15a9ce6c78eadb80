import "server-only";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import type { AuthSession, User } from "@/lib/db/schema";
import { hardLimit } from "@/lib/policies/limits";
import { resolvePolicy, type PolicyPatch } from "@/lib/policies/resolve";
import { userAgentFingerprint } from "@/lib/policies/user-agent";
import type { EndReason } from "@/lib/policies/types";
import type { SecondFactorStep } from "@/lib/policies/second-factor";
import { cookieAttributes, cookieSettings, endedCookieName, sealSession, unsealSession, type SessionData } from "./cookie";
import { endedCookieValue, parseEndedCookie } from "./end-reasons";

/** Reading and writing the session cookie from server actions, route handlers and server components. */

function settings() {
  return cookieSettings(getConfig());
}

export async function readSessionCookie(): Promise<SessionData | null> {
  const s = settings();
  const jar = await cookies();
  return unsealSession(jar.get(s.name)?.value, s);
}

export function sessionDataFor(
  session: AuthSession,
  token: string,
  user: Pick<User, "id" | "username" | "role"> | null,
  override: PolicyPatch | null,
  secondFactorOwed: SecondFactorStep | null = null,
): SessionData {
  return {
    sid: session.id,
    token,
    uid: user?.id ?? null,
    username: user?.username ?? null,
    role: user?.role ?? null,
    kind: session.kind,
    createdAt: session.createdAt.getTime(),
    lastActivityAt: session.lastActivityAt.getTime(),
    authenticatedAt: session.authenticatedAt?.getTime() ?? null,
    rememberMe: session.rememberMe,
    ip: session.clientIp,
    uaf: userAgentFingerprint(session.userAgent),
    ovr: override,
    mfa: secondFactorOwed,
  };
}

/**
 * Seals the session into the cookie. It lives until the session's hard limit (absolute lifetime or forced
 * re-authentication): the sliding `expires_at` and idle rules are judged on every request instead.
 */
export async function writeSessionCookie(data: SessionData, now: Date): Promise<void> {
  const s = settings();
  const policy = resolvePolicy(data.kind, getConfig().policySettings, data.ovr);
  const seconds = (hardLimit(policy, data) - now.getTime()) / 1000;
  const sealed = await sealSession(data, s, seconds);
  const jar = await cookies();
  jar.set(s.name, sealed, cookieAttributes(s, seconds));
  // A new session: whatever ended the previous one is no longer news.
  if (jar.has(endedCookieName(s))) jar.set(endedCookieName(s), "", cookieAttributes(s, 0));
}

export async function clearSessionCookie(): Promise<void> {
  const s = settings();
  const jar = await cookies();
  jar.set(s.name, "", cookieAttributes(s, 0));
}

/** How long a browser keeps saying why its session ended. */
const ENDED_COOKIE_SECONDS = 24 * 60 * 60;

/** Clears the session cookie and remembers why the session ended (see end-reasons.ts, `parseEndedCookie`). */
export async function clearSessionCookieFor(reason: EndReason, limitMinutes: number | null): Promise<void> {
  await clearSessionCookie();
  const s = settings();
  (await cookies()).set(endedCookieName(s), endedCookieValue(reason, limitMinutes), cookieAttributes(s, ENDED_COOKIE_SECONDS));
}

/** Why this browser's last session ended, if it still says. */
export async function readEndedCookie() {
  return parseEndedCookie((await cookies()).get(endedCookieName(settings()))?.value);
}
