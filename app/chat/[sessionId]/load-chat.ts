import "server-only";
import { notFound } from "next/navigation";
import { getOwnedChat } from "@/lib/chat/chat-sessions";
import { chatIdSchema } from "@/lib/chat/schemas";
import { getDb } from "@/lib/db/client";
import { chatOwnerOf, requireSession } from "@/lib/sessions/dal";

/** The chat for a page or action: its owner's, or a 404 — another person's chat id looks exactly like a missing one. */
export async function loadOwnedChat(rawId: string) {
  const current = await requireSession();
  const id = chatIdSchema.safeParse(rawId);
  if (!id.success) notFound();
  const chat = await getOwnedChat(getDb(), chatOwnerOf(current), id.data);
  if (!chat) notFound();
  return { current, chat };
}
