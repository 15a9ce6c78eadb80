"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  adminCreateUser,
  adminEndSession,
  adminResetSecondFactors,
  adminResetPassword,
  adminSetDisabled,
  adminSetRole,
  adminUnlock,
} from "@/lib/admin/user-admin";
import { newPasswordSchema, roleSchema, usernameSchema } from "@/lib/auth/schemas";
import { findUserById, UserError } from "@/lib/auth/users";
import { forceCleanupUser } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { getDb } from "@/lib/db/client";
import type { User } from "@/lib/db/schema";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import { requireAdmin, requireRecentAuth, type CurrentUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { text } from "@/lib/validation/text";

export type UserFormState = ActionState<"username" | "password" | "role">;
export type UserActionState = ActionState<"password" | "role" | "reason">;

const NOTHING_CHANGED = "That did not work, and nothing was changed. Please try again.";

/** Every account change: an administrator who signed in within the step-up window, on a user that exists. */
async function authorize(userId: string): Promise<{ admin: CurrentUser; target: User | null; now: Date }> {
  const admin = await requireAdmin();
  await requireRecentAuth(`/admin/users/${userId}`);
  const id = z.uuid().safeParse(userId);
  const target = id.success ? ((await findUserById(getDb(), id.data)) ?? null) : null;
  return { admin, target, now: (await getRequestContext()).now };
}

function done(userId: string, message: string): UserActionState {
  revalidatePath(`/admin/users/${userId}`);
  revalidatePath("/admin/users");
  return { ok: true, message };
}

const createSchema = z.object({ username: usernameSchema, password: newPasswordSchema, role: roleSchema });

export async function createUserAction(_previous: UserFormState, formData: FormData): Promise<UserFormState> {
  const admin = await requireAdmin();
  await requireRecentAuth("/admin/users");
  const form = parseForm(formData, createSchema);
  if (!form.ok) return form.state;
  try {
    const user = await adminCreateUser(getDb(), admin, form.data, (await getRequestContext()).now);
    revalidatePath("/admin/users");
    return { ok: true, message: `Created ${user.role === "admin" ? "administrator" : "user"} ${user.username}.` };
  } catch (error) {
    if (error instanceof UserError) return { fieldErrors: { username: [error.message] }, values: form.values };
    return failedAction("create user", error, NOTHING_CHANGED, form.values);
  }
}

export async function setDisabledAction(userId: string, disabled: boolean, _previous: UserActionState): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  if (!target) return { message: "No such user." };
  if (disabled && target.id === admin.id) return { message: "You cannot disable your own account." };
  try {
    const ended = await adminSetDisabled(getDb(), admin, target, disabled, now);
    return done(
      userId,
      disabled ? `Disabled ${target.username}; ${ended} ${ended === 1 ? "session" : "sessions"} ended.` : `Enabled ${target.username}.`,
    );
  } catch (error) {
    return failedAction("disable user", error, NOTHING_CHANGED);
  }
}

export async function setRoleAction(userId: string, _previous: UserActionState, formData: FormData): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  const form = parseForm(formData, z.object({ role: roleSchema }));
  if (!form.ok) return form.state;
  if (!target) return { message: "No such user." };
  if (target.id === admin.id) return { message: "You cannot change your own role: ask another administrator." };
  if (target.role === form.data.role)
    return { message: `${target.username} is already ${form.data.role === "admin" ? "an administrator" : "a user"}.` };
  try {
    await adminSetRole(getDb(), admin, target, form.data.role, now);
    return done(
      userId,
      `${target.username} is now ${form.data.role === "admin" ? "an administrator" : "a user"}; their sessions were ended.`,
    );
  } catch (error) {
    return failedAction("change role", error, NOTHING_CHANGED);
  }
}

export async function resetPasswordAction(userId: string, _previous: UserActionState, formData: FormData): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  const form = parseForm(formData, z.object({ password: newPasswordSchema }));
  if (!form.ok) return form.state;
  if (!target) return { message: "No such user." };
  try {
    const ended = await adminResetPassword(getDb(), admin, target, form.data.password, now);
    return done(
      userId,
      `New password set for ${target.username}; ${ended} ${ended === 1 ? "session" : "sessions"} ended. Give it to them safely.`,
    );
  } catch (error) {
    if (error instanceof UserError) return { fieldErrors: { password: [error.message] } };
    return failedAction("reset password", error, NOTHING_CHANGED);
  }
}

export async function resetSecondFactorsAction(userId: string, _previous: UserActionState): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  if (!target) return { message: "No such user." };
  if (target.id === admin.id) return { message: "You cannot reset your own second factors here: ask another administrator." };
  if (!target.mfaEnabledAt) return { message: `${target.username} has no second factor to reset.` };
  try {
    const ended = await adminResetSecondFactors(getDb(), admin, target, now);
    return done(
      userId,
      `Two-step verification reset for ${target.username}; ${ended} ${ended === 1 ? "session" : "sessions"} ended. They set it up again at their next sign-in.`,
    );
  } catch (error) {
    return failedAction("reset second factors", error, NOTHING_CHANGED);
  }
}

export async function unlockAction(userId: string, _previous: UserActionState): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  if (!target) return { message: "No such user." };
  try {
    await adminUnlock(getDb(), admin, target, now);
    return done(userId, `Sign-in locks for ${target.username} lifted.`);
  } catch (error) {
    return failedAction("unlock user", error, NOTHING_CHANGED);
  }
}

export async function endSessionAction(userId: string, sessionId: string, _previous: UserActionState): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  if (!target) return { message: "No such user." };
  const id = z.uuid().safeParse(sessionId);
  try {
    const ended = id.success && (await adminEndSession(getDb(), admin, target, id.data, now));
    return ended ? done(userId, "Session ended.") : { message: "That session had already ended." };
  } catch (error) {
    return failedAction("end session", error, NOTHING_CHANGED);
  }
}

const reasonSchema = z.object({
  reason: text(undefined, "Say why (it is recorded).").trim().min(1, { message: "Say why (it is recorded)." }).max(500),
});

export async function endSessionsAction(userId: string, _previous: UserActionState, formData: FormData): Promise<UserActionState> {
  const { admin, target, now } = await authorize(userId);
  const form = parseForm(formData, reasonSchema);
  if (!form.ok) return form.state;
  if (!target) return { message: "No such user." };
  try {
    const ended = await forceCleanupUser(adhocCleanupContext("admin", now), {
      userId: target.id,
      note: form.data.reason,
      byUserId: admin.id,
    });
    return done(userId, `Signed ${target.username} out everywhere (${ended} ${ended === 1 ? "session" : "sessions"}).`);
  } catch (error) {
    return failedAction("end sessions", error, NOTHING_CHANGED, form.values);
  }
}
