"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { changePassword, signOutOtherSessions } from "@/lib/auth/account";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, requireRecentAuth } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import { createAccessTokenSchema } from "@/lib/auth/access-token-schemas";
import { createAccessToken, revokeAccessToken } from "@/lib/auth/personal-access-tokens";
import { unlinkIdentity } from "@/lib/sso/accounts";
import { notificationEmailSchema, setNotificationEmail } from "@/lib/auth/notification-email";

export type AccountActionState = ActionState<"current" | "password" | "confirm" | "returnTo">;
export type EmailActionState = ActionState<"email">;

/** Both operations are sensitive: they need a sign-in (or password confirmation) within the step-up window. */
async function sensitiveActor(returnTo = "/account") {
  const user = await requireRecentAuth(returnTo);
  const current = await getCurrentSession();
  if (!current) redirect("/login");
  const { now, facts } = await getRequestContext();
  return { user, userId: user.id, sessionId: current.session.id, policy: current.policy, ip: facts.ip, userAgent: facts.userAgent, now };
}

export async function changePasswordAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const actor = await sensitiveActor();
  const form = parseForm(formData, changePasswordSchema);
  if (!form.ok) return form.state;
  if (form.data.password.toLowerCase().includes(actor.user.username.toLowerCase())) {
    return { fieldErrors: { password: ["Your password must not contain your username."] } };
  }
  let changed: Awaited<ReturnType<typeof changePassword>>;
  try {
    changed = await changePassword(getDb(), actor, { current: form.data.current, next: form.data.password });
  } catch (error) {
    return failedAction("password change", error, "We could not change your password just now. Nothing was changed; please try again.");
  }
  if (!changed.ok) {
    if (changed.reason === "throttled") return { message: changed.message };
    if (changed.reason === "session_ended") redirect("/login");
    return { fieldErrors: { current: ["That is not your current password. Nothing was changed."] } };
  }
  const data = await readSessionCookie();
  await writeSessionCookie(sessionDataFor(changed.session, changed.token, actor.user, data?.ovr ?? null), actor.now);
  const ended = changed.otherSessionsEnded;
  return {
    ok: true,
    message: `Your password was changed. ${ended === 1 ? "1 other session was" : `${ended} other sessions were`} signed out.`,
  };
}

const signOutOthersSchema = z.object({ returnTo: z.string().max(2048).optional() });

export async function signOutOthersAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const form = parseForm(formData, signOutOthersSchema);
  const actor = await sensitiveActor(safeNextPath(form.ok ? form.data.returnTo : null, "/account"));
  try {
    const ended = await signOutOtherSessions(getDb(), actor);
    return {
      ok: true,
      message: ended === 0 ? "No other devices were signed in." : `Signed out ${ended} other ${ended === 1 ? "device" : "devices"}.`,
    };
  } catch (error) {
    return failedAction("sign out others", error, "We could not sign out your other devices just now. Please try again.");
  }
}

export type AccessTokenActionState = ActionState<"name" | "days" | "scope", { token: string; name: string }>;

/** Creates a personal access token; the token is handed back once, to be shown once. */
export async function createAccessTokenAction(_previous: AccessTokenActionState, formData: FormData): Promise<AccessTokenActionState> {
  const actor = await sensitiveActor();
  const form = parseForm(formData, createAccessTokenSchema);
  if (!form.ok) return form.state;
  try {
    const created = await createAccessToken(getDb(), actor, form.data);
    revalidatePath("/account");
    return {
      ok: true,
      result: { token: created.token, name: created.summary.name },
      message: `Token "${created.summary.name}" created. Copy it now: it will not be shown again.`,
    };
  } catch (error) {
    return failedAction("access token creation", error, "We could not create the token just now. Please try again.", form.values);
  }
}

const revokeAccessTokenSchema = z.object({ id: z.uuid("No such token.") });

export async function revokeAccessTokenAction(_previous: AccessTokenActionState, formData: FormData): Promise<AccessTokenActionState> {
  const actor = await sensitiveActor();
  const form = parseForm(formData, revokeAccessTokenSchema);
  if (!form.ok) return { message: "No such token." };
  try {
    await revokeAccessToken(getDb(), actor, form.data.id);
    revalidatePath("/account");
    return { ok: true, message: "Token revoked: it stopped working at once." };
  } catch (error) {
    return failedAction("access token revocation", error, "We could not revoke the token just now. Please try again.");
  }
}

const unlinkSchema = z.object({ id: z.uuid("No such sign-in.") });

/** Removes a linked SSO account (refused when it is the only way left to sign in). */
export async function unlinkSsoAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const actor = await sensitiveActor();
  const form = parseForm(formData, unlinkSchema);
  if (!form.ok) return { message: "No such sign-in." };
  try {
    const result = await getDb().transaction((tx) => unlinkIdentity(tx, actor.userId, form.data.id, actor));
    if (!result.ok) return { message: result.message };
    revalidatePath("/account");
    return { ok: true, message: "Single sign-on unlinked: it no longer signs in to this account." };
  } catch (error) {
    return failedAction("sso unlink", error, "We could not unlink it just now. Please try again.");
  }
}

/** Sets or removes the address security notices are mailed to (a sensitive change: recent sign-in). */
export async function setNotificationEmailAction(_previous: EmailActionState, formData: FormData): Promise<EmailActionState> {
  const actor = await sensitiveActor();
  const form = parseForm(formData, notificationEmailSchema);
  if (!form.ok) return form.state;
  const email = form.data.email === "" ? null : form.data.email;
  try {
    const changed = await setNotificationEmail(getDb(), { ...actor, username: actor.user.username }, email);
    revalidatePath("/account");
    if (!changed) return { ok: true, message: "Nothing changed.", values: form.values };
    return {
      ok: true,
      message: email ? `Security notices will be mailed to ${email}.` : "Removed: security notices are no longer mailed.",
      values: form.values,
    };
  } catch (error) {
    return failedAction(
      "notification email change",
      error,
      "We could not save that address just now. Nothing was changed; please try again.",
      form.values,
    );
  }
}
