import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { now } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import type { AuthSession, UserRole } from "@/lib/db/schema";
import { jsonError } from "@/lib/http/errors";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { readSessionCookie } from "./session-cookie";
import { findLiveSession } from "./store";

/**
 * The data access layer: the authority on who is signed in. Every protected page, server action and route
 * handler calls it. It trusts nothing but the sealed cookie *and* the database row behind it.
 */

export type CurrentUser = { id: string; username: string; role: UserRole };
export type CurrentSession = { session: AuthSession; user: CurrentUser | null };

/** The live auth session of this request (anonymous or signed in), or null. One query per request. */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const data = await readSessionCookie();
  if (!data) return null;
  const live = await findLiveSession(getDb(), data.sid, data.token, now());
  if (!live) return null;
  const user = live.user ? { id: live.user.id, username: live.user.username, role: live.user.role } : null;
  return { session: live.session, user };
});

export async function getOptionalUser(): Promise<CurrentUser | null> {
  return (await getCurrentSession())?.user ?? null;
}

/** The path of the current page, for the sign-in return trip (set by middleware; only a hint). */
async function currentPath(): Promise<string> {
  return safeNextPath((await headers()).get("x-growbal-path"), "/dashboard");
}

/** For pages and server actions: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getOptionalUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(await currentPath())}`);
  return user;
}

/** For admin pages: non-admins get a 404, so admin pages do not even admit they exist. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") notFound();
  return user;
}

export type ApiAuth = { ok: true; user: CurrentUser; session: AuthSession } | { ok: false; response: Response };

/** For route handlers: the user, or a 401 JSON response. */
export async function authenticateApi(): Promise<ApiAuth> {
  const current = await getCurrentSession();
  if (!current?.user) return { ok: false, response: jsonError(401, "unauthorized", "Sign in to continue.") };
  return { ok: true, user: current.user, session: current.session };
}

/** For admin route handlers: 401 when signed out, 403 when not an administrator. */
export async function authenticateAdminApi(): Promise<ApiAuth> {
  const auth = await authenticateApi();
  if (auth.ok && auth.user.role !== "admin") {
    return { ok: false, response: jsonError(403, "forbidden", "Administrator access is required.") };
  }
  return auth;
}
