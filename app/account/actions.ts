"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { changePassword, signOutOtherSessions } from "@/lib/auth/account";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, hasRecentAuthentication, requireUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { describeError } from "@/lib/http/describe-error";

export type AccountActionState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: { current?: string[]; password?: string[]; confirm?: string[] };
};

/** Both operations are sensitive: they need a sign-in (or password confirmation) within 15 minutes. */
async function sensitiveActor(returnTo = "/account") {
  await requireUser();
  if (!(await hasRecentAuthentication())) redirect(`/reauth?next=${encodeURIComponent(returnTo)}`);
  const current = await getCurrentSession();
  if (!current?.user) redirect("/login");
  const { now, facts } = await getRequestContext();
  return { user: current.user, userId: current.user.id, sessionId: current.session.id, policy: current.policy, ip: facts.ip, userAgent: facts.userAgent, now };
}

export async function changePasswordAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const actor = await sensitiveActor();
  const text = (name: string) => (typeof formData.get(name) === "string" ? formData.get(name) : "");
  const parsed = changePasswordSchema.safeParse({ current: text("current"), password: text("password"), confirm: text("confirm") });
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return { fieldErrors: { current: errors.current, password: errors.password, confirm: errors.confirm } };
  }
  if (parsed.data.password.toLowerCase().includes(actor.user.username.toLowerCase())) {
    return { fieldErrors: { password: ["Your password must not contain your username."] } };
  }
  let changed: Awaited<ReturnType<typeof changePassword>>;
  try {
    changed = await changePassword(getDb(), actor, { current: parsed.data.current, next: parsed.data.password });
  } catch (error) {
    console.error("password change failed:", describeError(error));
    return { message: "We could not change your password just now. Nothing was changed; please try again." };
  }
  if (!changed.ok) {
    if (changed.reason === "throttled") return { message: changed.message };
    if (changed.reason === "session_ended") redirect("/login");
    return { fieldErrors: { current: ["That is not your current password. Nothing was changed."] } };
  }
  const data = await readSessionCookie();
  await writeSessionCookie(sessionDataFor(changed.session, changed.token, actor.user, data?.ovr ?? null), actor.now);
  const ended = changed.otherSessionsEnded;
  return { ok: true, message: `Your password was changed. ${ended === 1 ? "1 other session was" : `${ended} other sessions were`} signed out.` };
}

export async function signOutOthersAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const returnTo = safeNextPath(typeof formData.get("returnTo") === "string" ? String(formData.get("returnTo")) : null, "/account");
  const actor = await sensitiveActor(returnTo);
  try {
    const ended = await signOutOtherSessions(getDb(), actor);
    return { ok: true, message: ended === 0 ? "No other devices were signed in." : `Signed out ${ended} other ${ended === 1 ? "device" : "devices"}.` };
  } catch (error) {
    console.error("sign out others failed:", describeError(error));
    return { message: "We could not sign out your other devices just now. Please try again." };
  }
}
