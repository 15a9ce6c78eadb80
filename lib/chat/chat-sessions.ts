import { and, countDistinct, desc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { chatSessions, type ChatSession } from "@/lib/db/schema";
import { HOUR_MS } from "@/lib/time";

/** Chat sessions: one conversation about a country and a service, owned by a user or an anonymous visitor. */

export const CHAT_LIFETIME_MS = 8 * HOUR_MS;
export const REMEMBERED_CHAT_LIFETIME_MS = 30 * 24 * HOUR_MS;

/** Who may see a chat: a signed-in user, or the anonymous auth session that started it. */
export type ChatOwner = { kind: "user"; userId: string; authSessionId: string } | { kind: "anonymous"; authSessionId: string };

function ownedBy(owner: ChatOwner) {
  return owner.kind === "user"
    ? eq(chatSessions.userId, owner.userId)
    : and(isNull(chatSessions.userId), eq(chatSessions.ownerAuthSessionId, owner.authSessionId));
}

export function chatLifetimeMs(rememberMe: boolean): number {
  return rememberMe ? REMEMBERED_CHAT_LIFETIME_MS : CHAT_LIFETIME_MS;
}

export function isChatExpired(chat: Pick<ChatSession, "isActive" | "expiresAt">, now: Date): boolean {
  return !chat.isActive || chat.expiresAt.getTime() < now.getTime();
}

/**
 * "Start chat": the owner's newest live chat about the same country and service is reused; otherwise
 * a new one starts.
 */
export async function findOrCreateChat(
  db: Queryable,
  owner: ChatOwner,
  topic: { country: string; serviceType: string },
  options: { rememberMe: boolean; now: Date; beforeCreate?: () => Promise<void> },
): Promise<{ chat: ChatSession; created: boolean }> {
  const [existing] = await db
    .select()
    .from(chatSessions)
    .where(
      and(
        ownedBy(owner),
        eq(chatSessions.country, topic.country),
        eq(chatSessions.serviceType, topic.serviceType),
        eq(chatSessions.isActive, true),
        gte(chatSessions.expiresAt, options.now),
      ),
    )
    .orderBy(desc(chatSessions.lastActivityAt))
    .limit(1);
  if (existing) return { chat: existing, created: false };
  // Only a new chat counts against a quota: going back to an open one always works.
  await options.beforeCreate?.();
  const [chat] = await db
    .insert(chatSessions)
    .values({
      userId: owner.kind === "user" ? owner.userId : null,
      ownerAuthSessionId: owner.authSessionId,
      country: topic.country,
      serviceType: topic.serviceType,
      createdAt: options.now,
      lastActivityAt: options.now,
      expiresAt: new Date(options.now.getTime() + chatLifetimeMs(options.rememberMe)),
    })
    .returning();
  if (!chat) throw new Error("chat session insert returned no row");
  return { chat, created: true };
}

/** The chat if this owner may see it; null otherwise (callers answer 404, never 403). */
export async function getOwnedChat(db: Queryable, owner: ChatOwner, chatId: string): Promise<ChatSession | null> {
  const [chat] = await db
    .select()
    .from(chatSessions)
    .where(and(eq(chatSessions.id, chatId), ownedBy(owner)))
    .limit(1);
  return chat ?? null;
}

/** On sign-in: the anonymous visitor's chats become the user's, in the caller's transaction. */
export async function adoptAnonymousChats(db: Queryable, anonymousSessionId: string, userId: string): Promise<number> {
  const adopted = await db
    .update(chatSessions)
    .set({ userId })
    .where(and(eq(chatSessions.ownerAuthSessionId, anonymousSessionId), isNull(chatSessions.userId)))
    .returning({ id: chatSessions.id });
  return adopted.length;
}

/** A sign-in waiting for its second factor: the visitor's chats wait with the new session until it completes. */
export async function handOverAnonymousChats(db: Queryable, fromSessionId: string, toSessionId: string): Promise<number> {
  const moved = await db
    .update(chatSessions)
    .set({ ownerAuthSessionId: toSessionId })
    .where(and(eq(chatSessions.ownerAuthSessionId, fromSessionId), isNull(chatSessions.userId)))
    .returning({ id: chatSessions.id });
  return moved.length;
}

export type ChatSummary = ChatSession & { expired: boolean };

/** A user's chats, newest first, each with its message count (kept on the row) — one indexed query. */
export async function listUserChats(
  db: Queryable,
  userId: string,
  options: { activeOnly?: boolean; limit?: number; now: Date },
): Promise<ChatSummary[]> {
  const rows = await db
    .select()
    .from(chatSessions)
    .where(
      and(
        eq(chatSessions.userId, userId),
        options.activeOnly ? and(eq(chatSessions.isActive, true), gte(chatSessions.expiresAt, options.now)) : undefined,
      ),
    )
    .orderBy(desc(chatSessions.lastActivityAt), desc(chatSessions.id))
    .limit(options.limit ?? 20);
  return rows.map((chat) => ({ ...chat, expired: isChatExpired(chat, options.now) }));
}

export type UserChatStats = { activeSessions: number; totalMessages: number; countriesExplored: number };

/** The dashboard's stat cards, in one query over the user's chats (never their messages). */
export async function userChatStats(db: Queryable, userId: string, now: Date): Promise<UserChatStats> {
  const [row] = await db
    .select({
      activeSessions: sql<number>`count(*) filter (where ${chatSessions.isActive} and ${chatSessions.expiresAt} >= ${now.toISOString()}::timestamptz)::int`,
      totalMessages: sql<number>`coalesce(sum(${chatSessions.messageCount}), 0)::int`,
      countriesExplored: countDistinct(chatSessions.country),
    })
    .from(chatSessions)
    .where(eq(chatSessions.userId, userId));
  return {
    activeSessions: row?.activeSessions ?? 0,
    totalMessages: row?.totalMessages ?? 0,
    countriesExplored: row?.countriesExplored ?? 0,
  };
}
