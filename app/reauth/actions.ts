"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { confirmPassword } from "@/lib/auth/account";
import { stepUpSchema } from "@/lib/auth/schemas";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, requireUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { describeError } from "@/lib/http/describe-error";

export type StepUpState = { message?: string; fieldErrors?: { password?: string[] } };

export async function confirmPasswordAction(_previous: StepUpState, formData: FormData): Promise<StepUpState> {
  await requireUser();
  const current = await getCurrentSession();
  const data = await readSessionCookie();
  if (!current?.user || !data) redirect("/login");

  const parsed = stepUpSchema.safeParse({
    password: typeof formData.get("password") === "string" ? formData.get("password") : undefined,
    next: typeof formData.get("next") === "string" ? formData.get("next") : undefined,
  });
  if (!parsed.success) return { fieldErrors: { password: z.flattenError(parsed.error).fieldErrors.password } };

  const { now, facts } = await getRequestContext();
  let confirmed: Awaited<ReturnType<typeof confirmPassword>>;
  try {
    confirmed = await confirmPassword(
      getDb(),
      { userId: current.user.id, sessionId: current.session.id, ip: facts.ip, userAgent: facts.userAgent, now },
      parsed.data.password,
    );
  } catch (error) {
    console.error("step-up failed:", describeError(error));
    return { message: "We could not check your password just now. Please try again." };
  }
  if (typeof confirmed === "object") return { message: confirmed.throttled };
  if (!confirmed) return { message: "That password is not right. Please try again." };

  await writeSessionCookie({ ...data, authenticatedAt: now.getTime() }, now);
  redirect(safeNextPath(parsed.data.next, "/account"));
}
