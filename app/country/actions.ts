"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { findOrCreateChat } from "@/lib/chat/chat-sessions";
import { startChatSchema } from "@/lib/chat/schemas";
import { getDb } from "@/lib/db/client";
import { startAnonymousSession } from "@/lib/sessions/anonymous";
import { chatOwnerOf, getCurrentSession, type CurrentSession } from "@/lib/sessions/dal";
import { policyFor } from "@/lib/sessions/guard";
import { getRequestContext } from "@/lib/sessions/request-context";
import { sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { describeError } from "@/lib/http/describe-error";

export type StartChatState = {
  message?: string;
  fieldErrors?: { country?: string[]; serviceType?: string[] };
  values?: { country: string; serviceType: string };
};

function field(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** "Start chat": reuses the visitor's live chat on the same country and service, or starts one. */
export async function startChatAction(_previous: StartChatState, formData: FormData): Promise<StartChatState> {
  const values = { country: field(formData, "country"), serviceType: field(formData, "serviceType") };
  const parsed = startChatSchema.safeParse(values);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return { fieldErrors: { country: errors.country, serviceType: errors.serviceType }, values };
  }

  const { now, facts } = await getRequestContext();
  let chatId: string;
  try {
    let current: CurrentSession | null = await getCurrentSession();
    if (!current) {
      // Visitors may chat before signing in: they get an anonymous session that owns the chat.
      const { session, token } = await startAnonymousSession(getDb(), facts, now);
      await writeSessionCookie(sessionDataFor(session, token, null, null), now);
      current = { session, user: null, policy: policyFor("anonymous", null) };
    }
    const { chat } = await findOrCreateChat(getDb(), chatOwnerOf(current), parsed.data, { rememberMe: current.session.rememberMe, now });
    chatId = chat.id;
  } catch (error) {
    console.error("start chat failed:", describeError(error));
    return { message: "We could not start the chat just now. Please try again.", values };
  }
  redirect(`/chat/${chatId}`);
}
