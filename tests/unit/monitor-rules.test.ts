import { describe, expect, it } from "vitest";
import { DEFAULT_THROTTLE, throttleDecision, throttleMessage } from "@/lib/auth/login-throttle";
import {
  DEFAULT_THRESHOLDS as t,
  excessiveConcurrentSessions,
  failedLoginsPerIp,
  rapidSessionCreation,
  repeatedPolicyViolations,
  suspiciousIpChanges,
  unusualHours,
} from "@/lib/monitor/rules";

describe("detection rules fire at their threshold and not one below", () => {
  it.each([
    ["rapid session creation (≥ 5/min, HIGH)", (n: number) => rapidSessionCreation("u1", n, t), 5, "high"],
    [
      "excessive concurrent sessions (≥ 1 sign-in beyond the cap/h, MEDIUM)",
      (n: number) => excessiveConcurrentSessions("u1", n, t),
      1,
      "medium",
    ],
    [
      "suspicious IP changes (≥ 3 networks/h, HIGH)",
      (n: number) =>
        suspiciousIpChanges(
          "u1",
          Array.from({ length: n }, (_, i) => `198.51.${100 + i}.7`),
          "subnet",
          t,
        ),
      3,
      "high",
    ],
    ["policy violations (≥ 5/h, HIGH)", (n: number) => repeatedPolicyViolations("u1", n, t), 5, "high"],
    ["failed logins per IP (≥ 20/h, HIGH)", (n: number) => failedLoginsPerIp("203.0.113.9", n, t), 20, "high"],
  ] as const)("%s", (_name, rule, threshold, severity) => {
    expect(rule(threshold - 1)).toBeNull();
    const finding = rule(threshold);
    expect(finding).toMatchObject({ severity });
    expect(finding?.subject).toMatch(/^(user:u1|ip:203\.0\.113\.9)$/);
    expect(finding?.windowMs).toBeGreaterThan(0);
  });

  it("suspicious IP changes count places as the session's IP binding compares them", () => {
    const natPool = ["203.0.113.100", "203.0.113.101", "203.0.113.102", "203.0.113.103"];
    expect(suspiciousIpChanges("u1", natPool, "subnet", t)).toBeNull();
    expect(suspiciousIpChanges("u1", natPool, "off", t)).toBeNull();
    expect(suspiciousIpChanges("u1", natPool, "exact", t)).toMatchObject({ details: { placeCount: 4, unit: "addresses" } });
    const v6 = ["2001:db8:1:1::1", "2001:db8:1:1::2", "2001:db8:1:1:ffff::9"];
    expect(suspiciousIpChanges("u1", v6, "subnet", t)).toBeNull();
    // Loopback is one place, whatever the binding; IPv4-mapped IPv6 is its IPv4 network.
    expect(suspiciousIpChanges("u1", ["127.0.0.1", "::1", "127.0.0.2"], "exact", t)).toBeNull();
    expect(suspiciousIpChanges("u1", ["::ffff:203.0.113.1", "203.0.113.2", "198.51.100.1"], "subnet", t)).toBeNull();
    expect(suspiciousIpChanges("u1", ["203.0.113.1", "198.51.100.1", "192.0.2.1"], "subnet", t)).toMatchObject({
      message: expect.stringMatching(
        /^Used from 3 different networks within one hour \(alerts at 3 or more\): 192\.0\.2\.\S+, 198\.51\.100\.\S+, 203\.0\.113\.\S+$/,
      ),
    });
  });

  it("unusual hours: night activity from a user with > 50 events of history, < 10 % of it at night", () => {
    expect(unusualHours("u1", 3, { total: 51, atNight: 5 }, t)).toMatchObject({ severity: "low", type: "unusual_activity_hours" });
    expect(unusualHours("u1", 3, { total: 50, atNight: 0 }, t)).toBeNull(); // not enough history
    expect(unusualHours("u1", 3, { total: 100, atNight: 10 }, t)).toBeNull(); // 10 % is normal for them
    expect(unusualHours("u1", 12, { total: 100, atNight: 0 }, t)).toBeNull(); // midday
    expect(unusualHours("u1", 22, { total: 100, atNight: 9 }, t)).not.toBeNull();
    expect(unusualHours("u1", 6, { total: 100, atNight: 0 }, t)).toBeNull();
  });
});

describe("sign-in throttle", () => {
  const now = 1_800_000_000_000;
  const none = {
    pairFailures: 0,
    pairLastFailureAt: null,
    ipFailures: 0,
    ipLastFailureAt: null,
    accountFailures: 0,
    accountLastFailureAt: null,
    familiarNetwork: false,
  };

  it("allows until back-off starts after 3 failures, then doubles the wait", () => {
    expect(throttleDecision({ ...none, pairFailures: 2, pairLastFailureAt: now }, DEFAULT_THROTTLE, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...none, pairFailures: 3, pairLastFailureAt: now }, DEFAULT_THROTTLE, now)).toEqual({
      allowed: false,
      reason: "backoff",
      retryAfterMs: 1000,
    });
    expect(throttleDecision({ ...none, pairFailures: 5, pairLastFailureAt: now }, DEFAULT_THROTTLE, now)).toEqual({
      allowed: false,
      reason: "backoff",
      retryAfterMs: 4000,
    });
    expect(throttleDecision({ ...none, pairFailures: 5, pairLastFailureAt: now - 4000 }, DEFAULT_THROTTLE, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...none, pairFailures: 9, pairLastFailureAt: now }, DEFAULT_THROTTLE, now)).toMatchObject({
      retryAfterMs: 60_000,
    });
  });

  it("locks the pair for 15 minutes at 10 failures", () => {
    const locked = throttleDecision({ ...none, pairFailures: 10, pairLastFailureAt: now }, DEFAULT_THROTTLE, now + 60_000);
    expect(locked).toEqual({ allowed: false, reason: "pair_locked", retryAfterMs: 14 * 60_000 });
    expect(throttleDecision({ ...none, pairFailures: 10, pairLastFailureAt: now }, DEFAULT_THROTTLE, now + 15 * 60_000)).toEqual({
      allowed: true,
    });
  });

  it("slows a distributed guess per account from unfamiliar networks, never from the owner's", () => {
    const attacked = { ...none, accountFailures: 19, accountLastFailureAt: now };
    expect(throttleDecision(attacked, DEFAULT_THROTTLE, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...attacked, accountFailures: 20 }, DEFAULT_THROTTLE, now)).toEqual({
      allowed: false,
      reason: "account_delay",
      retryAfterMs: 1000,
    });
    expect(throttleDecision({ ...attacked, accountFailures: 23 }, DEFAULT_THROTTLE, now)).toEqual({
      allowed: false,
      reason: "account_delay",
      retryAfterMs: 8000,
    });
    expect(throttleDecision({ ...attacked, accountFailures: 23 }, DEFAULT_THROTTLE, now + 8000)).toEqual({ allowed: true });
    // Capped: a delay, never a lock.
    expect(throttleDecision({ ...attacked, accountFailures: 500 }, DEFAULT_THROTTLE, now)).toMatchObject({ retryAfterMs: 60_000 });
    expect(throttleDecision({ ...attacked, accountFailures: 500, familiarNetwork: true }, DEFAULT_THROTTLE, now)).toEqual({
      allowed: true,
    });
    const decision = throttleDecision({ ...attacked, accountFailures: 24 }, DEFAULT_THROTTLE, now);
    if (decision.allowed) throw new Error("expected a delay");
    expect(throttleMessage(decision)).toBe("Too many failed sign-in attempts for this account. Please wait 16 seconds and try again.");
  });

  it("locks an address at its failure limit across usernames", () => {
    expect(throttleDecision({ ...none, ipFailures: 19, ipLastFailureAt: now }, DEFAULT_THROTTLE, now)).toEqual({ allowed: true });
    expect(throttleDecision({ ...none, ipFailures: 20, ipLastFailureAt: now }, DEFAULT_THROTTLE, now)).toMatchObject({
      allowed: false,
      reason: "ip_locked",
    });
  });

  it("explains itself in plain words", () => {
    expect(throttleMessage({ allowed: false, reason: "backoff", retryAfterMs: 4000 })).toBe(
      "Too many attempts. Please wait 4 seconds and try again.",
    );
    expect(throttleMessage({ allowed: false, reason: "pair_locked", retryAfterMs: 14 * 60_000 + 1 })).toBe(
      "Too many failed sign-in attempts. Please try again in 15 minutes.",
    );
  });
});

describe("bcrypt cost of a stored hash", () => {
  it("reads it, so sign-in can upgrade hashes made with another cost", async () => {
    const { hashCost } = await import("@/lib/auth/passwords");
    expect(hashCost("$2b$12$abcdefghijklmnopqrstuuKZ1b9Vsq5B7zkg3rjQ5lH2ZxWb5fK9G")).toBe(12);
    expect(hashCost("$2a$04$abcdefghijklmnopqrstuu")).toBe(4);
    expect(hashCost("not a hash")).toBeNull();
  });
});
