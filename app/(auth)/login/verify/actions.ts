"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { CeremonyOutcome, CeremonyStart } from "@/app/_components/passkey-ceremony";
import { completeSecondStep, type FactorProof } from "@/lib/auth/second-step";
import { getDb } from "@/lib/db/client";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import { passkeyAuthenticationOptions } from "@/lib/mfa/passkeys";
import { authenticationResponseSchema, parseCeremonyResponse } from "@/lib/mfa/schemas";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { requestActor } from "@/lib/sessions/actor";
import { getSessionOwingSecondFactor } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";

export type VerifyState = ActionState<"code" | "factor" | "next">;

/** The session waiting for its second factor, or the sign-in page when there is none (it expired or ended). */
async function owingVerification() {
  const owing = await getSessionOwingSecondFactor();
  if (!owing || owing.secondFactor !== "verify") redirect("/login?reason=mfa_expired");
  return owing;
}

async function finish(proof: FactorProof, nextRaw: string | undefined): Promise<VerifyState> {
  const owing = await owingVerification();
  const actor = await requestActor(owing);
  let result: Awaited<ReturnType<typeof completeSecondStep>>;
  try {
    result = await completeSecondStep(getDb(), actor, proof);
  } catch (error) {
    return failedAction("second step", error, "We could not check that just now. Please try again.");
  }
  if (!result.ok) {
    if (result.reason === "session_ended") redirect("/login?reason=mfa_expired");
    return { fieldErrors: { code: [result.message] } };
  }
  const data = await readSessionCookie();
  await writeSessionCookie(sessionDataFor(result.session, result.token, owing.user, data?.ovr ?? null), actor.now);
  const next = safeNextPath(nextRaw ?? null);
  // A recovery code spent: the person is told how many remain, where they can make new ones.
  if (result.recoveryCodesLeft !== null) redirect(`/account/security?notice=recovery_code_used&left=${result.recoveryCodesLeft}`);
  redirect(next);
}

const codeSchema = z.object({
  factor: z.enum(["totp", "recovery_code"]),
  code: z.string().trim().min(1, { message: "Enter the code." }).max(32, { message: "That code is too long." }),
  next: z.string().max(2048).optional(),
});

export async function verifyCodeAction(_previous: VerifyState, formData: FormData): Promise<VerifyState> {
  const form = parseForm(formData, codeSchema);
  if (!form.ok) return form.state;
  const state = await finish({ factor: form.data.factor, code: form.data.code }, form.data.next);
  return { ...state, values: { factor: form.data.factor } };
}

export async function passkeyOptionsAction(): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const owing = await owingVerification();
  const { now } = await getRequestContext();
  try {
    return { options: await passkeyAuthenticationOptions(getDb(), "second_factor", owing.user.id, now) };
  } catch (error) {
    return failedAction("passkey options", error, "Passkeys are not available just now. Please try again.");
  }
}

export async function passkeyVerifyAction(response: unknown, next: string): Promise<CeremonyOutcome> {
  const parsed = parseCeremonyResponse(authenticationResponseSchema, response);
  if (!parsed.ok) return { message: parsed.message };
  const state = await finish({ factor: "passkey", response: parsed.data }, next);
  return { message: state.fieldErrors?.code?.[0] ?? state.message };
}
