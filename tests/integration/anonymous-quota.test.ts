import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { spendAnonymousQuota } from "@/lib/chat/anonymous-usage";
import { getDb } from "@/lib/db/client";
import { startAnonymousSession } from "@/lib/sessions/anonymous";
import { endSessions } from "@/lib/sessions/end-sessions";

const T0 = new Date("2026-11-23T09:00:00Z");
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const visitor = (ip: string) => ({ ip, userAgent: null, country: null });

async function refusal(work: Promise<unknown>): Promise<AppError | null> {
  try {
    await work;
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

describe("anonymous quotas per network", () => {
  it("three anonymous sessions at once per /24 network; other networks and ended or idle sessions do not count", async () => {
    for (const host of [1, 2, 3]) await startAnonymousSession(getDb(), visitor(`198.51.100.${host}`), T0);
    const fourth = await refusal(startAnonymousSession(getDb(), visitor("198.51.100.77"), at(1)));
    expect(fourth).toMatchObject({ status: 429, code: "rate_limited", headers: { "retry-after": "1800" } });
    expect(fourth?.message).toMatch(/^Three chats are already open from your network/);

    // Another network is another visitor; IPv6 is counted per /64.
    await startAnonymousSession(getDb(), visitor("198.51.101.1"), at(1));
    for (const host of [1, 2, 3]) await startAnonymousSession(getDb(), visitor(`2001:db8:5:5::${host}`), at(1));
    expect(await refusal(startAnonymousSession(getDb(), visitor("2001:db8:5:5:abcd::1"), at(1)))).toMatchObject({ status: 429 });

    // Past the anonymous idle limit (30 minutes) the first three are no longer open chats.
    expect(await refusal(startAnonymousSession(getDb(), visitor("198.51.100.78"), at(31)))).toBeNull();
  });

  it("an ended anonymous session frees its place at once", async () => {
    const sessions = [];
    for (const host of [1, 2, 3]) sessions.push((await startAnonymousSession(getDb(), visitor(`192.0.2.${host}`), T0)).session);
    expect(await refusal(startAnonymousSession(getDb(), visitor("192.0.2.9"), T0))).toMatchObject({ status: 429 });
    await endSessions(getDb(), { ids: [sessions[0]!.id] }, "logout", { now: T0 });
    expect(await refusal(startAnonymousSession(getDb(), visitor("192.0.2.9"), T0))).toBeNull();
  });

  it("ten chats and sixty messages an hour per network, each counted once and only when admitted", async () => {
    for (let i = 0; i < 10; i++) await spendAnonymousQuota(getDb(), `203.0.113.${i}`, "start_chat", at(i));
    expect(await refusal(spendAnonymousQuota(getDb(), "203.0.113.200", "start_chat", at(10)))).toMatchObject({
      status: 429,
      headers: { "retry-after": "3600" },
    });
    // A refused attempt is not counted: an hour after the first chat, one place is free again.
    expect(await refusal(spendAnonymousQuota(getDb(), "203.0.113.200", "start_chat", at(60.5)))).toBeNull();

    for (let i = 0; i < 60; i++) await spendAnonymousQuota(getDb(), "203.0.113.5", "send_message", at(i / 2));
    expect(await refusal(spendAnonymousQuota(getDb(), "203.0.113.6", "send_message", at(31)))).toMatchObject({ status: 429 });
    expect(await refusal(spendAnonymousQuota(getDb(), "198.18.0.1", "send_message", at(31)))).toBeNull();
  });
});
