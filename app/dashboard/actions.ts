"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { parseForm } from "@/lib/forms/action-state";
import { reviewNewDevice } from "@/lib/monitor/new-device-notices";
import { requireUser } from "@/lib/sessions/dal";
import { getRequestContext } from "@/lib/sessions/request-context";

const reviewSchema = z.object({ ref: z.string().regex(/^[0-9a-f]{32}$/), verdict: z.enum(["mine", "not_me"]) });

/** The new-device notice's two buttons. "This wasn't me" ends that session and sends the person to change their password. */
export async function reviewNewDeviceAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const form = parseForm(formData, reviewSchema);
  if (!form.ok) redirect("/dashboard");
  const { now } = await getRequestContext();
  const ended = await reviewNewDevice(getDb(), { userId: user.id, ref: form.data.ref, verdict: form.data.verdict, now });
  revalidatePath("/dashboard");
  // Say what happened: that session was ended now, or had already ended (signed out, expired) before the click.
  if (form.data.verdict === "not_me") redirect(`/account?notice=${ended ? "not_me" : "not_me_already_ended"}`);
}
