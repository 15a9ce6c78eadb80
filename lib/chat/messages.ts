import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { chatMessages, chatSessions, type ChatMessage } from "@/lib/db/schema";

export async function listMessages(db: Queryable, chatId: string): Promise<ChatMessage[]> {
  return db
    .select()
    .from(chatMessages)
    .where(eq(chatMessages.chatSessionId, chatId))
    .orderBy(asc(chatMessages.createdAt), asc(chatMessages.id));
}

/** Appends a message, marks the chat active and counts the message, atomically. */
export async function addMessage(
  db: Queryable,
  chatId: string,
  role: ChatMessage["role"],
  content: string,
  now: Date,
): Promise<ChatMessage> {
  return db.transaction(async (tx) => {
    const [message] = await tx.insert(chatMessages).values({ chatSessionId: chatId, role, content, createdAt: now }).returning();
    await tx
      .update(chatSessions)
      .set({ lastActivityAt: now, messageCount: sql`${chatSessions.messageCount} + 1` })
      .where(eq(chatSessions.id, chatId));
    if (!message) throw new Error("message insert returned no row");
    return message;
  });
}
