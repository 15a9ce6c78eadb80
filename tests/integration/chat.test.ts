import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { OfflineAssistant, type Assistant } from "@/lib/chat/assistant";
import {
  adoptAnonymousChats,
  findOrCreateChat,
  getOwnedChat,
  isChatExpired,
  listUserChats,
  userChatStats,
  type ChatOwner,
} from "@/lib/chat/chat-sessions";
import { exchange } from "@/lib/chat/exchange";
import { listMessages } from "@/lib/chat/messages";
import { createPool, getDb } from "@/lib/db/client";
import { chatMessages, chatSessions } from "@/lib/db/schema";
import { loadDashboard } from "@/lib/dashboard/load-dashboard";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { startAnonymousSession } from "@/lib/sessions/anonymous";
import { createAuthSession } from "@/lib/sessions/store";
import { sessionDataFor } from "@/lib/sessions/session-cookie";
import { makeUser } from "./support";

const T0 = new Date("2026-11-23T09:00:00Z");
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const offline = new OfflineAssistant();

async function userOwner() {
  const user = await makeUser();
  const { session } = await createAuthSession(getDb(), {
    userId: user.id,
    kind: "authenticated",
    policy: DEFAULT_POLICIES.authenticated,
    rememberMe: false,
    clientIp: null,
    userAgent: null,
    now: T0,
  });
  return { user, owner: { kind: "user", userId: user.id, authSessionId: session.id } as ChatOwner };
}

describe("chat sessions", () => {
  it("reuses the live chat on the same country and service, otherwise starts one", async () => {
    const { owner } = await userOwner();
    const first = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: T0 });
    const again = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: at(1) });
    const other = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "banking" }, { rememberMe: false, now: at(1) });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, chat: { id: first.chat.id } });
    expect(other.created).toBe(true);
    expect(first.chat.expiresAt.getTime()).toBe(at(8).getTime());
    // Past its 8 hours the old chat is not reused.
    const later = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: at(9) });
    expect(later.chat.id).not.toBe(first.chat.id);
  });

  it("lives 30 days with remember-me", async () => {
    const { owner } = await userOwner();
    const { chat } = await findOrCreateChat(getDb(), owner, { country: "SA", serviceType: "legal" }, { rememberMe: true, now: T0 });
    expect(chat.expiresAt.getTime()).toBe(at(24 * 30).getTime());
    expect(isChatExpired(chat, at(24 * 30))).toBe(false);
    expect(isChatExpired(chat, new Date(at(24 * 30).getTime() + 1))).toBe(true);
  });

  it("shows a chat only to its owner", async () => {
    const { owner } = await userOwner();
    const { owner: stranger } = await userOwner();
    const { chat } = await findOrCreateChat(getDb(), owner, { country: "DE", serviceType: "banking" }, { rememberMe: false, now: T0 });
    expect(await getOwnedChat(getDb(), owner, chat.id)).not.toBeNull();
    expect(await getOwnedChat(getDb(), stranger, chat.id)).toBeNull();
    expect(await getOwnedChat(getDb(), { kind: "anonymous", authSessionId: chat.ownerAuthSessionId! }, chat.id)).toBeNull();
  });

  it("moves an anonymous visitor's chats to the account they sign in to, replacing the anonymous session", async () => {
    const user = await makeUser();
    const anonymous = await startAnonymousSession(getDb(), { ip: "203.0.113.1", userAgent: null, country: null }, T0);
    const owner: ChatOwner = { kind: "anonymous", authSessionId: anonymous.session.id };
    const { chat } = await findOrCreateChat(
      getDb(),
      owner,
      { country: "AE", serviceType: "company-formation" },
      { rememberMe: false, now: T0 },
    );
    const result = await signInWithPassword(getDb(), {
      username: user.username,
      password: user.password,
      rememberMe: false,
      previous: sessionDataFor(anonymous.session, anonymous.token, null, null),
      clientIp: "203.0.113.1",
      userAgent: null,
      now: at(0.1),
    });
    if (!result.ok) throw new Error("expected success");
    expect(await getOwnedChat(getDb(), { kind: "user", userId: user.id, authSessionId: result.session.id }, chat.id)).not.toBeNull();
    expect(await getOwnedChat(getDb(), owner, chat.id)).toBeNull();
    expect(await adoptAnonymousChats(getDb(), anonymous.session.id, user.id)).toBe(0);
  });

  it("lists a user's chats newest first with message counts and stats that match the rows", async () => {
    const { user, owner } = await userOwner();
    const a = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: T0 });
    const b = await findOrCreateChat(getDb(), owner, { country: "SA", serviceType: "tax" }, { rememberMe: false, now: at(1) });
    const c = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "banking" }, { rememberMe: false, now: at(2) });
    await exchange(getDb(), { chat: a.chat, content: "How do I register for VAT?", now: at(3), assistant: offline });
    await exchange(getDb(), { chat: a.chat, content: "And the deadlines?", now: at(3.5), assistant: offline });
    await exchange(getDb(), { chat: b.chat, content: "Hello", now: at(1.5), assistant: offline });

    const chats = await listUserChats(getDb(), user.id, { now: at(9.5) });
    // Ordered by last activity; a and b (started at 0 h and 1 h) are past their 8 hours at 9.5 h, c is not.
    expect(chats.map((x) => [x.id, x.messageCount, x.expired])).toEqual([
      [a.chat.id, 4, true],
      [c.chat.id, 0, false],
      [b.chat.id, 2, true],
    ]);
    expect((await listUserChats(getDb(), user.id, { now: at(9.5), activeOnly: true })).map((x) => x.id)).toEqual([c.chat.id]);
    expect(await listUserChats(getDb(), user.id, { now: at(9.5), limit: 1 })).toHaveLength(1);
    expect(await userChatStats(getDb(), user.id, at(9.5))).toEqual({ activeSessions: 1, totalMessages: 6, countriesExplored: 2 });
    expect(await userChatStats(getDb(), user.id, at(4))).toEqual({ activeSessions: 3, totalMessages: 6, countriesExplored: 2 });
  });

  it("keeps each chat's message count equal to its rows, even when messages arrive at once", async () => {
    const { owner } = await userOwner();
    const { chat } = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: T0 });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => exchange(getDb(), { chat, content: `Question ${i}`, now: at(1), assistant: offline })),
    );
    const rows = await getDb().select().from(chatMessages).where(eq(chatMessages.chatSessionId, chat.id));
    const [counted] = await getDb().select({ n: chatSessions.messageCount }).from(chatSessions).where(eq(chatSessions.id, chat.id));
    expect(rows).toHaveLength(16);
    expect(counted?.n).toBe(16);
  });

  it("loads the dashboard with the same number of queries for a long history as for a short one", async () => {
    const queriesFor = async (chats: number) => {
      const { user, owner } = await userOwner();
      for (let i = 0; i < chats; i++) {
        const { chat } = await findOrCreateChat(
          getDb(),
          owner,
          { country: "AE", serviceType: `service-${i}` },
          { rememberMe: false, now: T0 },
        );
        await exchange(getDb(), { chat, content: "Hello", now: at(0.5), assistant: offline });
      }
      let queries = 0;
      const counting = createPool(process.env.DATABASE_URL!, { max: 2, onQuery: () => queries++ });
      try {
        const loaded = await loadDashboard(counting.db, { userId: user.id, authSessionId: owner.authSessionId, now: at(1) });
        expect(loaded.stats.totalMessages).toBe(chats * 2);
        expect(loaded.chats).toHaveLength(Math.min(chats, 20));
      } finally {
        await counting.sql.end();
      }
      return queries;
    };
    const short = await queriesFor(1);
    expect(short).toBeGreaterThan(0);
    expect(await queriesFor(30)).toBe(short);
  });
});

describe("a chat turn", () => {
  it("saves the message and the offline assistant's reply, which names the country and service", async () => {
    const { owner } = await userOwner();
    const { chat } = await findOrCreateChat(
      getDb(),
      owner,
      { country: "AE", serviceType: "company-formation" },
      { rememberMe: false, now: T0 },
    );
    const pieces: string[] = [];
    const result = await exchange(getDb(), {
      chat,
      content: "Where do I start?",
      now: T0,
      assistant: offline,
      onChunk: (p) => pieces.push(p),
    });
    expect(result.error).toBeNull();
    expect(pieces.length).toBeGreaterThan(5);
    expect(result.reply?.content).toBe(pieces.join("").trim());
    expect(result.reply?.content).toContain("United Arab Emirates");
    expect(result.reply?.content).toMatch(/company formation/i);
    expect((await listMessages(getDb(), chat.id)).map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("keeps the person's message when the assistant fails", async () => {
    const { owner } = await userOwner();
    const { chat } = await findOrCreateChat(getDb(), owner, { country: "AE", serviceType: "tax" }, { rememberMe: false, now: T0 });
    const broken: Assistant = {
      label: "broken",
      async *reply() {
        throw new Error("upstream down");
      },
    };
    const result = await exchange(getDb(), { chat, content: "Keep this", now: T0, assistant: broken });
    expect(result.reply).toBeNull();
    expect(result.error).toMatch(/Your message is saved/);
    const saved = await getDb().select().from(chatMessages).where(eq(chatMessages.chatSessionId, chat.id));
    expect(saved.map((m) => [m.role, m.content])).toEqual([["user", "Keep this"]]);
  });
});
