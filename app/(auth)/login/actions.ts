"use server";

import { redirect } from "next/navigation";
import { signInSchema } from "@/lib/auth/schemas";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";

export type SignInFormState = ActionState<"username" | "password" | "rememberMe" | "next">;

const GENERIC_ERROR = "Invalid username or password";

export async function signInAction(_previous: SignInFormState, formData: FormData): Promise<SignInFormState> {
  const form = parseForm(formData, signInSchema);
  if (!form.ok) return form.state;
  const { values } = form;

  const { now: at, facts } = await getRequestContext();
  let result;
  try {
    result = await signInWithPassword(getDb(), {
      username: form.data.username,
      password: form.data.password,
      rememberMe: form.data.rememberMe,
      previous: await readSessionCookie(),
      clientIp: facts.ip,
      userAgent: facts.userAgent,
      now: at,
    });
  } catch (error) {
    return failedAction("sign-in", error, "We could not sign you in just now. Please try again in a moment.", values);
  }
  if (!result.ok) return { message: result.throttled?.message ?? GENERIC_ERROR, values };

  await writeSessionCookie(sessionDataFor(result.session, result.token, result.user, result.override), at);
  redirect(safeNextPath(form.data.next));
}
