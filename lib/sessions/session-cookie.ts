import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import type { AuthSession, User } from "@/lib/db/schema";
import { cookieAttributes, cookieSettings, sealSession, unsealSession, type SessionData } from "./cookie";

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
  };
}

/** Seals the session into the cookie; it lives exactly as long as the auth session row. */
export async function writeSessionCookie(data: SessionData, expiresAt: Date, now: Date): Promise<void> {
  const s = settings();
  const seconds = (expiresAt.getTime() - now.getTime()) / 1000;
  const sealed = await sealSession(data, s, seconds);
  const jar = await cookies();
  jar.set(s.name, sealed, cookieAttributes(s, seconds));
}

export async function clearSessionCookie(): Promise<void> {
  const s = settings();
  const jar = await cookies();
  jar.set(s.name, "", cookieAttributes(s, 0));
}
