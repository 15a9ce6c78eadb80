import "server-only";
import type { Queryable } from "@/lib/db/client";
import type { ChatMessage, ChatSession } from "@/lib/db/schema";
import type { Assistant } from "./assistant";
import { countryName } from "./countries";
import { addMessage, listMessages } from "./messages";
import { describeError } from "@/lib/log/describe-error";
import { requestLog } from "@/lib/log/request-log";

/** How much of the conversation the assistant sees. */
const HISTORY_LIMIT = 30;

export type ExchangeResult = { userMessage: ChatMessage; reply: ChatMessage | null; error: string | null };

/**
 * One turn: the person's message is saved first (so it is never lost), then the assistant's reply is produced —
 * piece by piece through `onChunk` — and saved whole. Only a failure to save the person's message is thrown;
 * anything after it leaves the saved message and says so in the result.
 */
export async function exchange(
  db: Queryable,
  input: { chat: ChatSession; content: string; now: Date; assistant: Assistant; onChunk?: (piece: string) => void; signal?: AbortSignal },
): Promise<ExchangeResult> {
  const { chat, assistant } = input;
  const userMessage = await addMessage(db, chat.id, "user", input.content, input.now);

  let text = "";
  try {
    const history = (await listMessages(db, chat.id)).slice(-HISTORY_LIMIT).map((m) => ({ role: m.role, content: m.content }));
    for await (const piece of assistant.reply(
      { countryName: countryName(chat.country), serviceType: chat.serviceType, history },
      input.signal,
    )) {
      text += piece;
      input.onChunk?.(piece);
    }
  } catch (error) {
    (await requestLog()).error({ err: describeError(error) }, "assistant failed");
    return {
      userMessage,
      reply: null,
      error: "The assistant could not answer just now. Your message is saved; please try again in a moment.",
    };
  }
  if (text.trim() === "") {
    return { userMessage, reply: null, error: "The assistant returned an empty answer. Your message is saved; please try again." };
  }
  try {
    const reply = await addMessage(db, chat.id, "assistant", text.trim(), input.now);
    return { userMessage, reply, error: null };
  } catch (error) {
    (await requestLog()).error({ err: describeError(error) }, "saving the reply failed");
    return { userMessage, reply: null, error: "The reply could not be saved. Your message is saved; please try again in a moment." };
  }
}
