import { describe, expect, it } from "vitest";
import { anonymousRefusal, countInWords } from "@/lib/chat/anonymous-quota";

const limits = { sessionsPerNetwork: 3, chatsPerHour: 10, messagesPerHour: 60 };
const fresh = { liveSessions: 0, chatsLastHour: 0, messagesLastHour: 0 };

describe("anonymous quotas per network", () => {
  it("admits a fourth visitor only when fewer than three anonymous chats are open from the network", () => {
    expect(anonymousRefusal("start_session", { ...fresh, liveSessions: 2 }, limits)).toBeNull();
    expect(anonymousRefusal("start_session", { ...fresh, liveSessions: 3 }, limits)).toBe(
      "Three chats are already open from your network without signing in, the most we allow. Sign in to start another, or go back to one of them.",
    );
    expect(anonymousRefusal("start_session", { ...fresh, liveSessions: 1 }, { ...limits, sessionsPerNetwork: 1 })).toMatch(
      /^One chat is already open .* go back to it\.$/,
    );
  });

  it("limits chats started per hour, for a new visitor and a returning one alike", () => {
    expect(anonymousRefusal("start_chat", { ...fresh, chatsLastHour: 9 }, limits)).toBeNull();
    expect(anonymousRefusal("start_chat", { ...fresh, chatsLastHour: 10 }, limits)).toMatch(
      /^Ten chats have been started from your network/,
    );
    expect(anonymousRefusal("start_session", { ...fresh, chatsLastHour: 10 }, limits)).toMatch(/^Ten chats/);
  });

  it("limits messages per hour and says the message is kept; other quotas do not block messages", () => {
    expect(anonymousRefusal("send_message", { ...fresh, messagesLastHour: 59, liveSessions: 9, chatsLastHour: 99 }, limits)).toBeNull();
    expect(anonymousRefusal("send_message", { ...fresh, messagesLastHour: 60 }, limits)).toBe(
      "You have reached 60 messages in an hour without signing in, the most we allow. Sign in to keep chatting; your message is still in the box.",
    );
  });

  it("writes small numbers as words", () => {
    expect([0, 1, 3, 10, 11, 1500].map(countInWords)).toEqual(["no", "one", "three", "ten", "11", "1,500"]);
  });
});
