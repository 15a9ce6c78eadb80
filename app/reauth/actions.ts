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
