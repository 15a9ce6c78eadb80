import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { ChatOwner } from "@/lib/chat/chat-sessions";
import { getDb } from "@/lib/db/client";
import type { AuthSession, UserRole } from "@/lib/db/schema";
import { AppError } from "@/lib/app-error";
import type { SessionPolicy } from "@/lib/policies/types";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { checkSession, type GuardOutcome } from "./guard";
import { getRequestContext } from "./request-context";
import { clearSessionCookie, clearSessionCookieFor, readEndedCookie, readSessionCookie } from "./session-cookie";
import { loginUrlForEnding, loginUrlForViolation } from "./end-reasons";
import { MINUTE_MS } from "@/lib/time";
import { bearerTokenOf, parseApiToken } from "./api-token";
import { ACCESS_TOKEN_METHOD } from "@/lib/policies/access-token";
import { accessTokenScopeOf } from "@/lib/auth/personal-access-tokens";
import { SECOND_FACTOR_MESSAGE, secondFactorUrl, type SecondFactorStep } from "@/lib/policies/second-factor";

/**
 * The data access layer: the authority on who is signed in. Every protected page, server action and route
 * handler calls it. It trusts nothing but the sealed cookie *and* the database row behind it, judged by the
 * session policy with database truth (middleware is only the fast path).
 */

export type CurrentUser = { id: string; username: string; role: UserRole; mustChangePassword: boolean; hasSecondFactor: boolean };
export type CurrentSession = {
  session: AuthSession;
  user: CurrentUser | null;
  policy: SessionPolicy;
  /** The second-factor step the session still owes; null once verified (or when none is owed). */
  secondFactor: SecondFactorStep | null;
};

/** Step-up window for sensitive operations (password change, sign out everywhere, admin actions). */
export const STEP_UP_WINDOW_MS = 15 * MINUTE_MS;

/**
 * This request's credential. Pages and server actions read the session cookie only; route handlers (through
 * `requireApiSession`) also take an API token (`Authorization: Bearer`), which wins when present. Each only ever
 * opens its own kind of session: a token an `api` session, a cookie any other, so neither can stand in for the other.
 * Which one to read is the caller's to say, never a request header's.
 */
async function readCredential(via: CredentialSource): Promise<{ sid: string; token: string; via: "bearer" | "cookie" } | null> {
  const bearer = via === "api" ? bearerTokenOf(await headers()) : null;
  if (bearer !== null) {
    const parsed = parseApiToken(bearer);
    return parsed ? { ...parsed, via: "bearer" } : null;
  }
  const cookie = await readSessionCookie();
  return cookie ? { sid: cookie.sid, token: cookie.token, via: "cookie" } : null;
}

/** `browser`: pages and server actions (cookie only); `api`: route handlers (bearer token or cookie). */
type CredentialSource = "browser" | "api";

/** The policy verdict on this request's session, computed once per request (and credential source). */
const outcomeFor = cache(async (via: CredentialSource): Promise<GuardOutcome> => {
  const credential = await readCredential(via);
  if (!credential) return { status: "none" };
  const { now, facts } = await getRequestContext();
  const outcome = await checkSession(getDb(), credential, facts, now);
  if (outcome.status === "ok" && (outcome.live.session.kind === "api") !== (credential.via === "bearer")) return { status: "none" };
  if (outcome.status !== "ok" && credential.via === "cookie") {
    // Server actions and route handlers may clear the dead cookie (remembering why it died); server components
    // cannot, and need not.
    const cleared =
      outcome.status === "violation"
        ? clearSessionCookieFor(outcome.violation, outcome.limitMinutes)
        : outcome.status === "ended"
          ? clearSessionCookieFor(outcome.reason, null)
          : clearSessionCookie();
    await cleared.catch(() => undefined);
  }
  return outcome;
});

const getOutcome = () => outcomeFor("browser");

/** The live auth session of this request, whether or not it still owes its second factor. */
const getLiveSession = cache(async (via: CredentialSource = "browser"): Promise<CurrentSession | null> => {
  const outcome = await outcomeFor(via);
  if (outcome.status !== "ok") return null;
  const { session, user } = outcome.live;
  return {
    session,
    policy: outcome.policy,
    secondFactor: outcome.secondFactor,
    user: user
      ? {
          id: user.id,
          username: user.username,
          role: user.role,
          mustChangePassword: user.passwordChangeRequired,
          hasSecondFactor: user.mfaEnabledAt !== null,
        }
      : null,
  };
});

/**
 * The live auth session of this request (anonymous or signed in), or null. A session still owing its second factor
 * is not one: nothing but the second-factor pages may act on it (see `getSessionOwingSecondFactor`).
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const live = await getLiveSession();
  return live && live.secondFactor === null ? live : null;
});

/** The signed-in session waiting for its second factor, for the pages where it is given or set up. */
export async function getSessionOwingSecondFactor(): Promise<
  (CurrentSession & { user: CurrentUser; secondFactor: SecondFactorStep }) | null
> {
  const live = await getLiveSession();
  if (!live?.user || live.secondFactor === null) return null;
  return { ...live, user: live.user, secondFactor: live.secondFactor };
}

/** Sends a session that owes its second factor to that step, returning here afterwards. */
async function redirectToSecondFactor(step: SecondFactorStep): Promise<never> {
  redirect(secondFactorUrl(step, await currentPath()));
}

export async function getOptionalUser(): Promise<CurrentUser | null> {
  return (await getCurrentSession())?.user ?? null;
}

/** The path of the current page, for the sign-in return trip (set by middleware; only a hint, re-validated). */
export async function currentPath(): Promise<string> {
  return safeNextPath((await headers()).get("x-growbal-path"), "/dashboard");
}

/** Sends the person to sign in, saying why their session ended whenever that is known. */
async function redirectToSignIn(): Promise<never> {
  const outcome = await getOutcome();
  const next = await currentPath();
  if (outcome.status === "violation") redirect(loginUrlForViolation(outcome.violation, outcome.limitMinutes, next));
  if (outcome.status === "ended") redirect(loginUrlForEnding(outcome.reason, null, next));
  const ended = await readEndedCookie();
  if (ended) redirect(loginUrlForEnding(ended.reason, ended.after, next));
  redirect(`/login?next=${encodeURIComponent(next)}`);
}

/** For pages and server actions: the signed-in user, or a redirect to the sign-in page (saying why). */
const PASSWORD_CHANGE_PAGES = new Set(["/account", "/reauth"]);

export async function requireUser(): Promise<CurrentUser> {
  const current = await getCurrentSession();
  if (!current?.user) {
    const owing = await getSessionOwingSecondFactor();
    if (owing) return redirectToSecondFactor(owing.secondFactor);
    return redirectToSignIn();
  }
  // A password an administrator chose is replaced first: every other page waits on the account page (and the
  // password confirmation it may ask for).
  if (current.user.mustChangePassword && !PASSWORD_CHANGE_PAGES.has(new URL(await currentPath(), "http://local").pathname)) {
    redirect("/account?notice=password_change_required");
  }
  return current.user;
}

/** For pages anonymous visitors may use too (chats): any live session, or a redirect to sign in. */
export async function requireSession(): Promise<CurrentSession> {
  const current = await getCurrentSession();
  if (current) return current;
  const owing = await getSessionOwingSecondFactor();
  if (owing) return redirectToSecondFactor(owing.secondFactor);
  return redirectToSignIn();
}

/** Who owns the chats this session may see. */
export function chatOwnerOf(current: CurrentSession): ChatOwner {
  return current.user
    ? { kind: "user", userId: current.user.id, authSessionId: current.session.id }
    : { kind: "anonymous", authSessionId: current.session.id };
}

/** For admin pages: non-admins get a 404, so admin pages do not even admit they exist. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") notFound();
  return user;
}

/** Whether this session's person proved who they are within the step-up window. API tokens never count as recent. */
function isRecentlyAuthenticated(current: CurrentSession | null, now: Date): boolean {
  const authenticatedAt = current?.session.authenticatedAt?.getTime();
  if (!authenticatedAt || current?.session.kind === "api") return false;
  return now.getTime() - authenticatedAt <= STEP_UP_WINDOW_MS;
}

/** Whether the person proved who they are within the step-up window. */
export async function hasRecentAuthentication(): Promise<boolean> {
  return isRecentlyAuthenticated(await getCurrentSession(), (await getRequestContext()).now);
}

/** For sensitive pages and actions: a user who authenticated within the step-up window, or the re-enter-password page. */
export async function requireRecentAuth(returnTo?: string): Promise<CurrentUser> {
  const user = await requireUser();
  if (!(await hasRecentAuthentication())) {
    redirect(`/reauth?next=${encodeURIComponent(returnTo ?? (await currentPath()))}`);
  }
  return user;
}

/**
 * For the second-factor settings page and its actions: a session that must enrol right after its password (`owed`,
 * the only thing it may do), or a full session that authenticated within the step-up window (factors are
 * sensitive: a stolen cookie must not add its own passkey). A session owing verification goes to verify first.
 */
export async function requireSecondFactorManager(): Promise<{ current: CurrentSession & { user: CurrentUser }; owed: boolean }> {
  const owing = await getSessionOwingSecondFactor();
  if (owing?.secondFactor === "enrol") return { current: owing, owed: true };
  if (owing) return redirectToSecondFactor(owing.secondFactor);
  const user = await requireRecentAuth("/account/security");
  const current = await getCurrentSession();
  if (!current) return redirectToSignIn();
  return { current: { ...current, user }, owed: false };
}

/** The message for a sensitive action without a recent sign-in (the window comes from STEP_UP_WINDOW_MS). */
export const STEP_UP_MESSAGE = `Confirm your password to continue (this needs a sign-in within the last ${STEP_UP_WINDOW_MS / MINUTE_MS} minutes).`;

/**
 * For APIs: throws 403 `reauth_required` unless the person proved who they are within the step-up window. An API
 * token cannot: its sensitive operations are done in a browser.
 */
export async function assertRecentAuthentication(current: CurrentSession): Promise<void> {
  if (current.session.kind === "api") {
    throw new AppError("reauth_required", "This needs a browser session with a recent sign-in; API tokens cannot do it.", 403);
  }
  if (!isRecentlyAuthenticated(current, (await getRequestContext()).now)) throw new AppError("reauth_required", STEP_UP_MESSAGE, 403);
}

/**
 * Why there is no usable session, for an API: 401 `session_ended` with the reason (this request's session, or the
 * one this browser's ended cookie remembers), or `unauthorized`.
 */
async function noSessionError(fallback: string): Promise<AppError> {
  const outcome = await outcomeFor("api");
  if (outcome.status === "violation") return new AppError("session_ended", outcome.message, 401, {}, outcome.violation);
  if (outcome.status === "ended") return new AppError("session_ended", outcome.message, 401, {}, outcome.reason);
  const ended = outcome.status === "none" && bearerTokenOf(await headers()) === null ? await readEndedCookie() : null;
  if (ended) return new AppError("session_ended", ended.message, 401, {}, ended.reason);
  return new AppError("unauthorized", fallback, 401);
}

export type ApiLevel = "session" | "user" | "admin";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A read-only personal access token reads; changing anything takes a read-and-write one. */
async function assertTokenScope(current: CurrentSession, method: string): Promise<void> {
  if (current.session.authMethod !== ACCESS_TOKEN_METHOD || READ_METHODS.has(method.toUpperCase())) return;
  const scope = await accessTokenScopeOf(getDb(), current.session.id);
  if (scope !== "read_write") {
    throw new AppError("insufficient_scope", "This access token is read-only: create a read-and-write token to change anything.", 403);
  }
}

/**
 * For route handlers (through lib/http/route.ts): the session at the level asked for, from an API token or the
 * cookie, or an AppError — 401 when there is none (saying why when a policy ended it), 403 when the user is not an
 * administrator, when an API token asks for administration (administrators work in a browser, under the admin
 * policy's bindings) or when a read-only access token asks to change something.
 */
export async function requireApiSession(level: ApiLevel, method: string): Promise<CurrentSession> {
  const live = await getLiveSession("api");
  if (live?.secondFactor) throw new AppError("mfa_required", SECOND_FACTOR_MESSAGE[live.secondFactor], 403);
  if (!live) {
    throw await noSessionError(level === "session" ? "Your session has ended. Start again from the country page." : "Sign in to continue.");
  }
  if (level !== "session" && !live.user) throw await noSessionError("Sign in to continue.");
  if (level === "admin") {
    if (live.user?.role !== "admin") throw AppError.forbidden("Administrator access is required.");
    if (live.session.kind === "api") throw AppError.forbidden("Administration is not available to API tokens: use a browser session.");
  }
  await assertTokenScope(live, method);
  return live;
}
