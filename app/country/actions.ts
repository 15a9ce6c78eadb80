"use server";

import { redirect } from "next/navigation";
import { findOrCreateChat } from "@/lib/chat/chat-sessions";
import { startChatSchema } from "@/lib/chat/schemas";
import { getDb } from "@/lib/db/client";
import { startAnonymousSession } from "@/lib/sessions/anonymous";
import { chatOwnerOf, getCurrentSession, type CurrentSession } from "@/lib/sessions/dal";
import { policyFor } from "@/lib/sessions/session-policy";
import { getRequestContext } from "@/lib/sessions/request-context";
import { sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";

export type StartChatState = ActionState<"country" | "serviceType">;

/** "Start chat": reuses the visitor's live chat on the same country and service, or starts one. */
export async function startChatAction(_previous: StartChatState, formData: FormData): Promise<StartChatState> {
  const form = parseForm(formData, startChatSchema);
  if (!form.ok) return form.state;

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
    const { chat } = await findOrCreateChat(getDb(), chatOwnerOf(current), form.data, { rememberMe: current.session.rememberMe, now });
    chatId = chat.id;
  } catch (error) {
    return failedAction("start chat", error, "We could not start the chat just now. Please try again.", form.values);
  }
  redirect(`/chat/${chatId}`);
}
