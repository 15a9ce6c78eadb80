"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { changePassword, signOutOtherSessions } from "@/lib/auth/account";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, hasRecentAuthentication, requireUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { describeError } from "@/lib/http/describe-error";

export type AccountActionState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: { password?: string[]; confirm?: string[] };
};

/** Both operations are sensitive: they need a sign-in (or password confirmation) within 15 minutes. */
async function sensitiveActor(returnTo = "/account") {
  await requireUser();
  if (!(await hasRecentAuthentication())) redirect(`/reauth?next=${encodeURIComponent(returnTo)}`);
  const current = await getCurrentSession();
  if (!current?.user) redirect("/login");
  const { now, facts } = await getRequestContext();
  return { userId: current.user.id, username: current.user.username, sessionId: current.session.id, ip: facts.ip, userAgent: facts.userAgent, now };
}

export async function changePasswordAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const actor = await sensitiveActor();
  const parsed = changePasswordSchema.safeParse({
    password: typeof formData.get("password") === "string" ? formData.get("password") : "",
    confirm: typeof formData.get("confirm") === "string" ? formData.get("confirm") : "",
  });
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return { fieldErrors: { password: errors.password, confirm: errors.confirm } };
  }
  if (parsed.data.password.toLowerCase().includes(actor.username.toLowerCase())) {
    return { fieldErrors: { password: ["Your password must not contain your username."] } };
  }
  try {
    const ended = await changePassword(getDb(), actor, parsed.data.password);
    return { ok: true, message: `Your password was changed. ${ended === 1 ? "1 other session was" : `${ended} other sessions were`} signed out.` };
  } catch (error) {
    console.error("password change failed:", describeError(error));
    return { message: "We could not change your password just now. Nothing was changed; please try again." };
  }
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
