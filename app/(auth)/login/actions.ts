"use server";

import { redirect } from "next/navigation";
import { signInSchema } from "@/lib/auth/schemas";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { signInWithPasskey } from "@/lib/auth/second-step";
import { passkeyAuthenticationOptions } from "@/lib/mfa/passkeys";
import { authenticationResponseSchema, parseCeremonyResponse } from "@/lib/mfa/schemas";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { CeremonyOutcome, CeremonyStart } from "@/app/_components/passkey-ceremony";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { secondFactorUrl } from "@/lib/policies/second-factor";
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

  await writeSessionCookie(sessionDataFor(result.session, result.token, result.user, result.override, result.secondFactor), at);
  const next = safeNextPath(form.data.next);
  // A second factor owed: its page first (it returns to `next`), and nothing else until then.
  redirect(result.secondFactor ? secondFactorUrl(result.secondFactor, next) : next);
}

/** Options for signing in with a passkey alone (any passkey registered here; it says whose it is). */
export async function passkeySignInOptionsAction(): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const { now } = await getRequestContext();
  try {
    return { options: await passkeyAuthenticationOptions(getDb(), "sign_in", null, now) };
  } catch (error) {
    return failedAction("passkey sign-in options", error, "Passkey sign-in is not available just now. Please use your password.");
  }
}

export async function passkeySignInAction(response: unknown, nextRaw: string | null): Promise<CeremonyOutcome> {
  const parsed = parseCeremonyResponse(authenticationResponseSchema, response);
  if (!parsed.ok) return { message: parsed.message };
  const { now, facts } = await getRequestContext();
  let result: Awaited<ReturnType<typeof signInWithPasskey>>;
  try {
    result = await signInWithPasskey(getDb(), {
      response: parsed.data,
      previous: await readSessionCookie(),
      ip: facts.ip,
      userAgent: facts.userAgent,
      now,
    });
  } catch (error) {
    return failedAction("passkey sign-in", error, "We could not sign you in just now. Please try again in a moment.");
  }
  if (!result.ok) return { message: result.message };
  await writeSessionCookie(sessionDataFor(result.session, result.token, result.user, result.override), now);
  redirect(safeNextPath(nextRaw));
}
