"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { CeremonyOutcome, CeremonyStart } from "@/app/_components/passkey-ceremony";
import { getDb } from "@/lib/db/client";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import {
  addPasskey,
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removePasskeyFactor,
  removeTotpFactor,
  renamePasskeyFactor,
  type EnrolmentResult,
} from "@/lib/mfa/enrolment";
import { passkeyRegistrationOptions } from "@/lib/mfa/passkeys";
import { parseCeremonyResponse, passkeyNameSchema, registrationResponseSchema, totpCodeSchema } from "@/lib/mfa/schemas";
import { requestActor } from "@/lib/sessions/actor";
import { requireSecondFactorManager } from "@/lib/sessions/dal";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";

/** Recovery codes to show once, after the first factor or a regeneration. */
export type FactorState = ActionState<"code" | "name" | "passkeyId", { recoveryCodes: string[] | null }>;

async function manager() {
  const { current, owed } = await requireSecondFactorManager();
  return { current, owed, actor: await requestActor(current) };
}

/** An enrolment that completed an owed sign-in rotated the session: the cookie follows it. */
async function afterEnrolment(result: EnrolmentResult & { ok: true }, current: Awaited<ReturnType<typeof manager>>["current"], now: Date) {
  if (!result.rotated) return;
  const data = await readSessionCookie();
  await writeSessionCookie(sessionDataFor(result.rotated.session, result.rotated.token, current.user, data?.ovr ?? null), now);
}

const codeSchema = z.object({ code: totpCodeSchema });

export async function confirmTotpAction(_previous: FactorState, formData: FormData): Promise<FactorState> {
  const { current, owed, actor } = await manager();
  const form = parseForm(formData, codeSchema);
  if (!form.ok) return form.state;
  let result: EnrolmentResult;
  try {
    result = await confirmTotpEnrolment(getDb(), actor, form.data.code, owed);
  } catch (error) {
    return failedAction("totp enrolment", error, "We could not set up the authenticator app just now. Please try again.");
  }
  if (!result.ok) {
    if (result.sessionEnded) redirect("/login?reason=mfa_expired");
    return { fieldErrors: { code: [result.message] } };
  }
  await afterEnrolment(result, current, actor.now);
  return { ok: true, message: "Your authenticator app is set up.", result: { recoveryCodes: result.recoveryCodes } };
}

export async function passkeyRegistrationOptionsAction(): Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>> {
  const { current, actor } = await manager();
  try {
    return { options: await passkeyRegistrationOptions(getDb(), current.user, actor.now) };
  } catch (error) {
    return failedAction("passkey registration options", error, "Passkeys are not available just now. Please try again.");
  }
}

export async function registerPasskeyAction(
  response: unknown,
  name: string,
): Promise<CeremonyOutcome & { recoveryCodes?: string[] | null }> {
  const { current, owed, actor } = await manager();
  const parsedName = passkeyNameSchema.safeParse(name);
  if (!parsedName.success) return { message: parsedName.error.issues[0]?.message };
  const parsed = parseCeremonyResponse(registrationResponseSchema, response);
  if (!parsed.ok) return { message: parsed.message };
  let result: EnrolmentResult;
  try {
    result = await addPasskey(getDb(), actor, parsed.data, parsedName.data, owed);
  } catch (error) {
    return failedAction("passkey registration", error, "We could not add the passkey just now. Please try again.");
  }
  if (!result.ok) {
    if (result.sessionEnded) redirect("/login?reason=mfa_expired");
    return { message: result.message };
  }
  await afterEnrolment(result, current, actor.now);
  return { ok: true, message: `Passkey “${parsedName.data}” added.`, recoveryCodes: result.recoveryCodes };
}

const passkeyIdSchema = z.object({ passkeyId: z.uuid({ message: "Unknown passkey." }) });

export async function renamePasskeyAction(_previous: FactorState, formData: FormData): Promise<FactorState> {
  const { actor } = await manager();
  const form = parseForm(formData, passkeyIdSchema.extend({ name: passkeyNameSchema }));
  if (!form.ok) return form.state;
  try {
    const renamed = await renamePasskeyFactor(getDb(), actor, form.data.passkeyId, form.data.name);
    return renamed.ok ? { ok: true, message: "Renamed.", values: form.values } : { message: renamed.message };
  } catch (error) {
    return failedAction("passkey rename", error, "We could not rename the passkey just now. Please try again.", form.values);
  }
}

export async function removePasskeyAction(_previous: FactorState, formData: FormData): Promise<FactorState> {
  const { owed, actor } = await manager();
  if (owed) return { message: "Finish setting up two-step verification first." };
  const form = parseForm(formData, passkeyIdSchema);
  if (!form.ok) return form.state;
  try {
    const removed = await removePasskeyFactor(getDb(), actor, form.data.passkeyId);
    return removed.ok ? { ok: true, message: "Passkey removed." } : { message: removed.message };
  } catch (error) {
    return failedAction("passkey removal", error, "We could not remove the passkey just now. Please try again.");
  }
}

export async function removeTotpAction(_previous: FactorState): Promise<FactorState> {
  const { owed, actor } = await manager();
  if (owed) return { message: "Finish setting up two-step verification first." };
  try {
    const removed = await removeTotpFactor(getDb(), actor);
    return removed.ok ? { ok: true, message: "The authenticator app was removed." } : { message: removed.message };
  } catch (error) {
    return failedAction("totp removal", error, "We could not remove the authenticator app just now. Please try again.");
  }
}

export async function regenerateRecoveryCodesAction(_previous: FactorState): Promise<FactorState> {
  const { owed, actor } = await manager();
  if (owed) return { message: "Finish setting up two-step verification first." };
  try {
    const issued = await regenerateRecoveryCodes(getDb(), actor);
    if (!issued.ok) return { message: issued.message };
    return { ok: true, message: "New recovery codes are ready. The old ones no longer work.", result: { recoveryCodes: issued.codes } };
  } catch (error) {
    return failedAction("recovery codes", error, "We could not make new recovery codes just now. Please try again.");
  }
}
