"use server";

import { redirect } from "next/navigation";
import { confirmPassword } from "@/lib/auth/account";
import { stepUpSchema } from "@/lib/auth/schemas";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, requireUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import { z } from "zod";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { CeremonyOutcome, CeremonyStart } from "@/app/_components/passkey-ceremony";
import { stepUpWithFactor, type FactorProof } from "@/lib/auth/second-step";
import { passkeyAuthenticationOptions } from "@/lib/mfa/passkeys";
import { authenticationResponseSchema, parseCeremonyResponse, totpCodeSchema } from "@/lib/mfa/schemas";
import { requestActor } from "@/lib/sessions/actor";

export type StepUpState = ActionState<"password" | "next">;

export async function confirmPasswordAction(_previous: StepUpState, formData: FormData): Promise<StepUpState> {
  await requireUser();
  const current = await getCurrentSession();
  const data = await readSessionCookie();
  if (!current?.user || !data) redirect("/login");

  const parsed = parseForm(formData, stepUpSchema);
  if (!parsed.ok) return parsed.state;

  const { now, facts } = await getRequestContext();
  let confirmed: Awaited<ReturnType<typeof confirmPassword>>;
  try {
    confirmed = await confirmPassword(
      getDb(),
      { userId: current.user.id, sessionId: current.session.id, policy: current.policy, ip: facts.ip, userAgent: facts.userAgent, now },
      parsed.data.password,
    );
  } catch (error) {
    return failedAction("step-up", error, "We could not check your password just now. Please try again.");
  }
  if (!confirmed.ok) {
    if (confirmed.reason === "throttled") return { message: confirmed.message };
    if (confirmed.reason === "session_ended") redirect("/login");
    return { message: "That password is not right. Please try again." };
  }

  // A new session from here on: the cookie is re-issued for it.
  await writeSessionCookie(sessionDataFor(confirmed.session, confirmed.token, current.user, data.ovr), now);
  redirect(safeNextPath(parsed.data.next, "/account"));
}

export type StepUpCodeState = ActionState<"code" | "next">;

/** Step-up with a second factor instead of the password: the same rotation, behind the second step's gate. */
async function stepUp(proof: Exclude<FactorProof, { factor: "recovery_code" }>, nextRaw: string | undefined): Promise<StepUpCodeState> {
  const user = await requireUser();
  const current = await getCurrentSession();
  const data = await readSessionCookie();
  if (!current || !data) redirect("/login");
  const actor = await requestActor({ ...current, user });
  let result: Awaited<ReturnType<typeof stepUpWithFactor>>;
  try {
    result = await stepUpWithFactor(getDb(), actor, proof);
  } catch (error) {
    return failedAction("step-up", error, "We could not check that just now. Please try again.");
  }
  if (!result.ok) {
    if (result.reason === "session_ended") redirect("/login");
    return { fieldErrors: { code: [result.message] } };
  }
  await writeSessionCookie(sessionDataFor(result.session, result.token, user, data.ovr), actor.now);
  redirect(safeNextPath(nextRaw ?? null, "/account"));
}

const codeSchema = z.object({
  code: totpCodeSchema,
  next: z.string().max(2048).optional(),
});

export async function confirmCodeAction(_previous: StepUpCodeState, formData: FormData): Promise<StepUpCodeState> {
  const form = parseForm(formData, codeSchema);
  if (!form.ok) return form.state;
  return stepUp({ factor: "totp", code: form.data.code }, form.data.next);
}

export async function stepUpPasskeyOptionsAction(): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const user = await requireUser();
  const { now } = await getRequestContext();
  try {
    return { options: await passkeyAuthenticationOptions(getDb(), "step_up", user.id, now) };
  } catch (error) {
    return failedAction("step-up passkey options", error, "Passkeys are not available just now. Please use your password.");
  }
}

export async function stepUpPasskeyAction(response: unknown, next: string): Promise<CeremonyOutcome> {
  const parsed = parseCeremonyResponse(authenticationResponseSchema, response);
  if (!parsed.ok) return { message: parsed.message };
  const state = await stepUp({ factor: "passkey", response: parsed.data }, next);
  return { message: state.fieldErrors?.code?.[0] ?? state.message };
}
