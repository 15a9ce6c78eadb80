import { and, eq, gte, inArray, isNotNull, isNull, like, sql } from "drizzle-orm";
import { CHAT_LIFETIME_MS } from "../../lib/chat/chat-sessions";
import type { Database } from "../../lib/db/client";
import { authSessions, chatMessages, chatSessions, policyOverrides } from "../../lib/db/schema";
import { policyPatchSchema, resolvePolicy, type PolicySettings } from "../../lib/policies/resolve";
import type { SessionKind } from "../../lib/policies/types";
import type { VirtualUser } from "./virtual-user";

/**
 * What the database holds after the run, against what the clients were told:
 * - every message acknowledged to a client is stored exactly once; one the app said it did not save (a 4xx, or a
 *   stream ending with the turn-failed marker) is absent; one the client could not judge is there at most once;
 *   no load message exists that no client sent;
 * - each chat holds as many replies as its clients received whole (plus at most one per unclear exchange);
 * - every chat a client was sent to belongs to that client's user, lives no longer than a chat may, and no user
 *   has two live chats on one country and service (the app reuses them);
 * - every user's live auth sessions are within their policy: no more than maxConcurrentSessions, none expiring
 *   later than the policy's absolute lifetime allows, and a client still signed in has a live session.
 */

export type LoadUserRow = { id: string; username: string };
export type Verification = { facts: string[]; failures: string[] };

const MINUTE_MS = 60_000;

export async function verifyDatabase(
  db: Database,
  input: { users: LoadUserRow[]; clients: VirtualUser[]; policySettings: PolicySettings },
): Promise<Verification> {
  const facts: string[] = [];
  const failures: string[] = [];
  const userIds = input.users.map((u) => u.id);
  const sent = input.clients.flatMap((c) => c.sent);

  // Messages, found by their unique text.
  const stored = await db
    .select({ content: chatMessages.content, n: sql<number>`count(*)::int` })
    .from(chatMessages)
    .where(and(eq(chatMessages.role, "user"), like(chatMessages.content, "load-u%")))
    .groupBy(chatMessages.content);
  const copies = new Map(stored.map((row) => [row.content, row.n]));
  const byOutcome = { acknowledged: 0, refused: 0, unknown: 0 };
  let confirmed = 0;
  for (const message of sent) {
    byOutcome[message.outcome] += 1;
    const n = copies.get(message.content) ?? 0;
    if (message.outcome === "acknowledged" && n === 1) confirmed += 1;
    else if (message.outcome === "acknowledged") failures.push(`acknowledged message stored ${n} times: "${message.content}"`);
    else if (message.outcome === "refused" && n !== 0)
      failures.push(`message the app said it did not save is stored ${n} times: "${message.content}"`);
    else if (message.outcome === "unknown" && n > 1) failures.push(`unclear message stored ${n} times: "${message.content}"`);
  }
  const sentTexts = new Set(sent.map((m) => m.content));
  for (const [content, n] of copies) if (!sentTexts.has(content)) failures.push(`stored ${n} times but never sent: "${content}"`);
  facts.push(
    `messages: ${sent.length} sent, ${byOutcome.acknowledged} acknowledged (200), ${confirmed} of them stored exactly once; ` +
      `${byOutcome.refused} refused, ${byOutcome.unknown} unclear`,
  );

  // Replies per chat, against the replies clients received whole.
  const chatIds = [...new Set(input.clients.flatMap((c) => [...c.chatIds]))];
  const replies = chatIds.length
    ? await db
        .select({ chatId: chatMessages.chatSessionId, n: sql<number>`count(*)::int` })
        .from(chatMessages)
        .where(and(inArray(chatMessages.chatSessionId, chatIds), eq(chatMessages.role, "assistant")))
        .groupBy(chatMessages.chatSessionId)
    : [];
  const storedReplies = new Map(replies.map((r) => [r.chatId, r.n]));
  const expectedReplies = new Map<string, { whole: number; unclear: number }>();
  for (const message of sent) {
    const entry = expectedReplies.get(message.chatId) ?? { whole: 0, unclear: 0 };
    if (message.replyComplete) entry.whole += 1;
    else if (message.outcome !== "refused") entry.unclear += 1;
    expectedReplies.set(message.chatId, entry);
  }
  let repliesOk = 0;
  for (const [chatId, { whole, unclear }] of expectedReplies) {
    const n = storedReplies.get(chatId) ?? 0;
    if (n < whole || n > whole + unclear)
      failures.push(`chat ${chatId}: ${n} replies stored, clients received ${whole} whole (+${unclear} unclear)`);
    else repliesOk += whole;
  }
  facts.push(`replies: ${repliesOk} received whole and stored once`);

  // Chats.
  const ownerOf = new Map(input.clients.flatMap((c) => [...c.chatIds].map((id) => [id, input.users[c.index]!.id] as const)));
  const chats = chatIds.length ? await db.select().from(chatSessions).where(inArray(chatSessions.id, chatIds)) : [];
  for (const chat of chats) {
    if (chat.userId !== ownerOf.get(chat.id))
      failures.push(`chat ${chat.id} belongs to ${chat.userId ?? "an anonymous visitor"}, not its client's user`);
    if (chat.expiresAt.getTime() - chat.createdAt.getTime() > CHAT_LIFETIME_MS)
      failures.push(`chat ${chat.id} lives longer than ${CHAT_LIFETIME_MS / 3_600_000} h`);
  }
  if (chats.length !== chatIds.length) failures.push(`${chatIds.length - chats.length} chats clients were sent to are missing`);
  const allChats = userIds.length
    ? await db
        .select({ n: sql<number>`count(*)::int` })
        .from(chatSessions)
        .where(inArray(chatSessions.userId, userIds))
    : [];
  const unclearStarts = input.clients.reduce((sum, c) => sum + c.unclearChatStarts, 0);
  const extra = (allChats[0]?.n ?? 0) - chats.length;
  if (extra > unclearStarts)
    failures.push(`${extra} chats exist that no client was sent to (only ${unclearStarts} chat starts were unclear)`);
  const duplicates = userIds.length
    ? await db
        .select({
          userId: chatSessions.userId,
          country: chatSessions.country,
          serviceType: chatSessions.serviceType,
          n: sql<number>`count(*)::int`,
        })
        .from(chatSessions)
        .where(and(inArray(chatSessions.userId, userIds), eq(chatSessions.isActive, true), gte(chatSessions.expiresAt, new Date())))
        .groupBy(chatSessions.userId, chatSessions.country, chatSessions.serviceType)
        .having(sql`count(*) > 1`)
    : [];
  for (const d of duplicates) failures.push(`user ${d.userId} has ${d.n} live chats on ${d.country} · ${d.serviceType}`);
  facts.push(
    `chats: ${chats.length} that clients were sent to, each owned by its client's user, within ${CHAT_LIFETIME_MS / 3_600_000} h, one live chat per topic`,
  );
  const miscounted = await messageCountsAgree(db, userIds);
  failures.push(...miscounted);
  if (miscounted.length === 0) facts.push(`chats: message_count equals the messages stored, in every chat of the run`);

  // Auth sessions against each user's policy.
  const now = new Date();
  const overrides = userIds.length ? await db.select().from(policyOverrides).where(inArray(policyOverrides.userId, userIds)) : [];
  const overrideOf = new Map(overrides.map((o) => [o.userId, policyPatchSchema.parse(o.policy)]));
  const live = userIds.length
    ? await db
        .select()
        .from(authSessions)
        .where(and(inArray(authSessions.userId, userIds), isNull(authSessions.revokedAt), gte(authSessions.expiresAt, now)))
    : [];
  const liveBy = new Map<string, typeof live>();
  for (const s of live) liveBy.set(s.userId!, [...(liveBy.get(s.userId!) ?? []), s]);
  let mostLive = 0;
  for (const [userId, sessions] of liveBy) {
    mostLive = Math.max(mostLive, sessions.length);
    for (const kind of new Set(sessions.map((s) => s.kind))) {
      const policy = resolvePolicy(kind as SessionKind, input.policySettings, overrideOf.get(userId) ?? null);
      const ofKind = sessions.filter((s) => s.kind === kind);
      if (ofKind.length > policy.maxConcurrentSessions) {
        failures.push(`user ${userId}: ${ofKind.length} live ${kind} sessions, policy allows ${policy.maxConcurrentSessions}`);
      }
      for (const s of ofKind) {
        const maxMinutes = s.rememberMe && policy.rememberMe ? policy.rememberMe.maxDurationMinutes : policy.maxDurationMinutes;
        if (s.expiresAt.getTime() - s.createdAt.getTime() > maxMinutes * MINUTE_MS) {
          failures.push(`session ${s.id} (${kind}) expires after its absolute limit of ${maxMinutes} min`);
        }
      }
    }
  }
  for (const client of input.clients) {
    const userId = input.users[client.index]!.id;
    if (client.signedIn && !liveBy.has(userId))
      failures.push(`${client.username} is still signed in on the client but has no live session`);
  }
  const ended = userIds.length
    ? await db
        .select({ reason: authSessions.revokeReason, n: sql<number>`count(*)::int` })
        .from(authSessions)
        .where(and(inArray(authSessions.userId, userIds), isNotNull(authSessions.revokedAt)))
        .groupBy(authSessions.revokeReason)
    : [];
  const anonymous = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(authSessions)
    .where(eq(authSessions.kind, "anonymous"));
  facts.push(
    `auth sessions: ${live.length} live for ${liveBy.size} users (at most ${mostLive} per user), within their policies; ` +
      `ended: ${ended.length ? ended.map((e) => `${e.reason}×${e.n}`).join(", ") : "none"}; anonymous: ${anonymous[0]?.n ?? 0}`,
  );
  return { facts, failures };
}

/** Each chat's kept message count (chat_sessions.message_count) equals the messages actually stored. */
async function messageCountsAgree(db: Database, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const wrong = await db
    .select({ id: chatSessions.id, kept: chatSessions.messageCount, actual: sql<number>`count(${chatMessages.id})::int` })
    .from(chatSessions)
    .leftJoin(chatMessages, eq(chatMessages.chatSessionId, chatSessions.id))
    .where(inArray(chatSessions.userId, userIds))
    .groupBy(chatSessions.id)
    .having(sql`${chatSessions.messageCount} <> count(${chatMessages.id})`);
  return wrong.map((w) => `chat ${w.id}: message_count says ${w.kept}, ${w.actual} messages stored`);
}
