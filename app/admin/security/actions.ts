"use server";

import { z } from "zod";
import { findUserByUsername } from "@/lib/auth/users";
import { forceCleanupUser } from "@/lib/cleanup/categories";
import { adhocCleanupContext } from "@/lib/cleanup/run";
import { getDb } from "@/lib/db/client";
import { hasRecentAuthentication, requireAdmin } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

export type ForceSignOutState = { ok?: boolean; message?: string; reauth?: boolean; values?: { username: string; reason: string } };

const schema = z.object({
  username: z.string().trim().min(1, { message: "Enter the username." }).max(64),
  reason: z.string().trim().min(1, { message: "Say why (it is recorded)." }).max(500),
});

/** Force sign-out of a user, with a recorded reason (admin, recent sign-in). */
export async function forceSignOutAction(_previous: ForceSignOutState, formData: FormData): Promise<ForceSignOutState> {
  const admin = await requireAdmin();
  const values = { username: String(formData.get("username") ?? ""), reason: String(formData.get("reason") ?? "") };
  if (!(await hasRecentAuthentication())) return { message: "Confirm your password first.", reauth: true, values };
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { message: parsed.error.issues.map((i) => i.message).join(" "), values };
  const target = await findUserByUsername(getDb(), parsed.data.username);
  if (!target) return { message: `No user named "${parsed.data.username}".`, values };
  const { now } = await getRequestContext();
  const ended = await forceCleanupUser(adhocCleanupContext("admin", now), { userId: target.id, note: parsed.data.reason, byUserId: admin.id });
  return { ok: true, message: `Signed out ${target.username} everywhere (${ended} ${ended === 1 ? "session" : "sessions"}).` };
}
