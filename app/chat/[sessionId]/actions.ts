"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getAssistant } from "@/lib/chat/assistant";
import { isChatExpired } from "@/lib/chat/chat-sessions";
import { exchange } from "@/lib/chat/exchange";
import { messageSchema } from "@/lib/chat/schemas";
import { getDb } from "@/lib/db/client";
import { getRequestContext } from "@/lib/sessions/request-context";
import { loadOwnedChat } from "./load-chat";

export type SendMessageState = { error?: string; draft?: string; sentAt?: number };

/** Sending without JavaScript (the page streams replies through /api/chat/{id}/messages when it can). */
export async function sendMessageAction(chatId: string, _previous: SendMessageState, formData: FormData): Promise<SendMessageState> {
  const { chat } = await loadOwnedChat(chatId);
  const draft = typeof formData.get("content") === "string" ? String(formData.get("content")) : "";
  const parsed = messageSchema.safeParse({ content: draft });
  if (!parsed.success) return { error: z.flattenError(parsed.error).fieldErrors.content?.[0], draft };
  const { now } = await getRequestContext();
  if (isChatExpired(chat, now)) return { error: "This chat session has expired. Start a new session to continue.", draft };
  const result = await exchange(getDb(), { chat, content: parsed.data.content, now, assistant: getAssistant() });
  revalidatePath(`/chat/${chat.id}`);
  return result.error ? { error: result.error } : { sentAt: now.getTime() };
}
