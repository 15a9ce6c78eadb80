"use server";

import { z } from "zod";
import { findUserByUsername } from "@/lib/auth/users";
import { forceCleanupUser } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { getDb } from "@/lib/db/client";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import { requireAdmin, requireRecentAuth } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";
import { text } from "@/lib/validation/text";

export type ForceSignOutState = ActionState<"username" | "reason">;

const schema = z.object({
  username: text(undefined, "Enter the username.").trim().min(1, { message: "Enter the username." }).max(64),
  reason: text(undefined, "Say why (it is recorded).").trim().min(1, { message: "Say why (it is recorded)." }).max(500),
});

/** Force sign-out of a user, with a recorded reason (admin, recent sign-in). */
export async function forceSignOutAction(_previous: ForceSignOutState, formData: FormData): Promise<ForceSignOutState> {
  const admin = await requireAdmin();
  await requireRecentAuth("/admin/security");
  const form = parseForm(formData, schema);
  if (!form.ok) return form.state;
  try {
    const target = await findUserByUsername(getDb(), form.data.username);
    if (!target) return { fieldErrors: { username: [`No user named "${form.data.username}".`] }, values: form.values };
    const { now } = await getRequestContext();
    const ended = await forceCleanupUser(adhocCleanupContext("admin", now), {
      userId: target.id,
      note: form.data.reason,
      byUserId: admin.id,
    });
    return { ok: true, message: `Signed out ${target.username} everywhere (${ended} ${ended === 1 ? "session" : "sessions"}).` };
  } catch (error) {
    return failedAction(
      "force sign-out",
      error,
      "We could not sign that user out just now. Nothing was changed; please try again.",
      form.values,
    );
  }
}
