"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signInSchema } from "@/lib/auth/schemas";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db/client";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getRequestContext } from "@/lib/sessions/request-context";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { describeError } from "@/lib/http/describe-error";

export type SignInFormState = {
  message?: string;
  fieldErrors?: { username?: string[]; password?: string[] };
  /** Echoed back so a failed attempt loses nothing but the password. */
  values?: { username: string; rememberMe: boolean };
};

const GENERIC_ERROR = "Invalid username or password";

function field(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
}

export async function signInAction(_previous: SignInFormState, formData: FormData): Promise<SignInFormState> {
  const values = { username: (field(formData, "username") ?? "").slice(0, 64), rememberMe: field(formData, "rememberMe") === "on" };
  const parsed = signInSchema.safeParse({
    username: field(formData, "username"),
    password: field(formData, "password"),
    rememberMe: field(formData, "rememberMe"),
    next: field(formData, "next"),
  });
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return { fieldErrors: { username: errors.username, password: errors.password }, values };
  }

  const { now: at, facts } = await getRequestContext();
  let result;
  try {
    result = await signInWithPassword(getDb(), {
      username: parsed.data.username,
      password: parsed.data.password,
      rememberMe: parsed.data.rememberMe,
      previous: await readSessionCookie(),
      clientIp: facts.ip,
      userAgent: facts.userAgent,
      now: at,
    });
  } catch (error) {
    console.error("sign-in failed:", describeError(error));
    return { message: "We could not sign you in just now. Please try again in a moment.", values };
  }
  if (!result.ok) return { message: result.throttled?.message ?? GENERIC_ERROR, values };

  await writeSessionCookie(sessionDataFor(result.session, result.token, result.user, result.override), at);
  redirect(safeNextPath(parsed.data.next));
}
