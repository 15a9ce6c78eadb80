"use server";

import { revalidatePath } from "next/cache";
import { getAssistant } from "@/lib/chat/assistant";
import { isChatExpired } from "@/lib/chat/chat-sessions";
import { spendAnonymousQuota } from "@/lib/chat/anonymous-usage";
import { exchange } from "@/lib/chat/exchange";
import { messageSchema } from "@/lib/chat/schemas";
import { getDb } from "@/lib/db/client";
import { failedAction, parseForm, type ActionState } from "@/lib/forms/action-state";
import { getRequestContext } from "@/lib/sessions/request-context";
import { loadOwnedChat } from "./load-chat";

export type SendMessageState = ActionState<"content"> & { sentAt?: number };

/** Sending without JavaScript (the page streams replies through /api/chat/{id}/messages when it can). */
export async function sendMessageAction(chatId: string, _previous: SendMessageState, formData: FormData): Promise<SendMessageState> {
  const { chat, current } = await loadOwnedChat(chatId);
  const form = parseForm(formData, messageSchema);
  if (!form.ok) return form.state;
  const { now, facts } = await getRequestContext();
  if (isChatExpired(chat, now)) return { message: "This chat session has expired. Start a new session to continue.", values: form.values };
  try {
    if (!current.user) await spendAnonymousQuota(getDb(), facts.ip, "send_message", now);
    const result = await exchange(getDb(), { chat, content: form.data.content, now, assistant: getAssistant() });
    revalidatePath(`/chat/${chat.id}`);
    return result.error ? { message: result.error } : { ok: true, sentAt: now.getTime() };
  } catch (error) {
    return failedAction("chat turn", error, "Something went wrong on our side. Your message is still here; please try again.", form.values);
  }
}
