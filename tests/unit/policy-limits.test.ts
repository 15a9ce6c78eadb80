import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { expiryAt, extensionFor, hardLimit, shouldExtend } from "@/lib/policies/limits";
import { formatDuration } from "@/lib/policies/messages";
import { ipAllowed, networkOf } from "@/lib/policies/network";
import { allPolicies, policyPatchSchema, resolvePolicy, type PolicySettings } from "@/lib/policies/resolve";
import { policySummary } from "@/lib/policies/summary";
import { describeUserAgent, userAgentFingerprint } from "@/lib/policies/user-agent";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const settings: PolicySettings = { enforce: true, defaultSecurityLevel: "medium", maxConcurrentSessionsPerUser: 5, patches: {} };
const fresh = { createdAt: T0, authenticatedAt: T0, rememberMe: false };

describe("extension", () => {
  it("is a quarter of the maximum duration, at most 2 hours", () => {
    expect(extensionFor(DEFAULT_POLICIES.authenticated, false)).toBe(2 * HOUR); // 8 h / 4
    expect(extensionFor(DEFAULT_POLICIES.sso, false)).toBe(1 * HOUR); // 4 h / 4
    expect(extensionFor(DEFAULT_POLICIES.anonymous, false)).toBe(30 * MIN); // 2 h / 4
    expect(extensionFor(DEFAULT_POLICIES.authenticated, true)).toBe(2 * HOUR); // capped
  });

  it("slides expires_at but never past the absolute limit", () => {
    const policy = DEFAULT_POLICIES.authenticated;
    expect(expiryAt(policy, fresh, T0)).toBe(T0 + 2 * HOUR);
    expect(expiryAt(policy, fresh, T0 + 5 * HOUR)).toBe(T0 + 7 * HOUR);
    expect(expiryAt(policy, fresh, T0 + 7 * HOUR)).toBe(T0 + 8 * HOUR);
    // Remember-me slides by its 7-day idle window, inside 30 days.
    expect(expiryAt(policy, { ...fresh, rememberMe: true }, T0)).toBe(T0 + 7 * 24 * HOUR);
    expect(expiryAt(policy, { ...fresh, rememberMe: true }, T0 + 29 * 24 * HOUR)).toBe(T0 + 30 * 24 * HOUR);
  });

  it("never passes the re-authentication limit", () => {
    const policy = { ...DEFAULT_POLICIES.authenticated, maxDurationMinutes: 48 * 60, forceReauthAfterMinutes: 3 * 60 };
    expect(hardLimit(policy, fresh)).toBe(T0 + 3 * HOUR);
    expect(expiryAt(policy, fresh, T0 + 2 * HOUR)).toBe(T0 + 3 * HOUR);
  });

  it("keeps the hard limit for policies that do not extend", () => {
    expect(expiryAt(DEFAULT_POLICIES.admin, fresh, T0 + HOUR)).toBe(T0 + 2 * HOUR);
    expect(shouldExtend(DEFAULT_POLICIES.admin, fresh, T0 + HOUR)).toBe(false);
  });

  it("does not extend on sensitive operations at high or critical levels", () => {
    const high = { ...DEFAULT_POLICIES.authenticated, securityLevel: "high" as const };
    expect(shouldExtend(DEFAULT_POLICIES.authenticated, fresh, T0 + HOUR, "sensitive_operation")).toBe(true);
    expect(shouldExtend(high, fresh, T0 + HOUR, "request")).toBe(true);
    expect(shouldExtend(high, fresh, T0 + HOUR, "sensitive_operation")).toBe(false);
    expect(shouldExtend({ ...high, securityLevel: "critical" }, fresh, T0 + HOUR, "sensitive_operation")).toBe(false);
  });

  it("does not extend past the hard limit", () => {
    expect(shouldExtend(DEFAULT_POLICIES.authenticated, fresh, T0 + 8 * HOUR - 1)).toBe(true);
    expect(shouldExtend(DEFAULT_POLICIES.authenticated, fresh, T0 + 8 * HOUR)).toBe(false);
  });
});

describe("networks", () => {
  it.each([
    ["203.0.113.77", "203.0.113.0/24"],
    ["::ffff:203.0.113.77", "203.0.113.0/24"],
    ["2001:db8:abcd:12::1", "2001:db8:abcd:12::/64"],
    ["2001:DB8:ABCD:0012:0000:0000:0000:0001", "2001:db8:abcd:12::/64"],
    ["::1", "loopback"],
    ["127.0.0.1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["not-an-ip", null],
    ["999.1.1.1", null],
  ])("%s is in %s", (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });

  it("binds exactly, by subnet or not at all", () => {
    expect(ipAllowed("exact", "::ffff:192.0.2.1", "192.0.2.1")).toBe(true);
    expect(ipAllowed("exact", "2001:db8::1", "2001:0db8:0:0::1")).toBe(true);
    expect(ipAllowed("exact", "192.0.2.1", "192.0.2.2")).toBe(false);
    expect(ipAllowed("subnet", "192.0.2.1", "192.0.2.254")).toBe(true);
    expect(ipAllowed("subnet", "192.0.2.1", "192.0.3.1")).toBe(false);
    expect(ipAllowed("subnet", "192.0.2.1", "garbage")).toBe(false);
    expect(ipAllowed("off", "192.0.2.1", "198.51.100.1")).toBe(true);
    // One machine's loopback addresses are one place.
    expect(ipAllowed("exact", "::1", "127.0.0.1")).toBe(true);
    expect(ipAllowed("exact", "::1", "192.0.2.1")).toBe(false);
  });
});

describe("user agents", () => {
  it("fingerprints browser family, major version and OS", () => {
    expect(
      userAgentFingerprint("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36"),
    ).toBe("chrome/142/linux");
    expect(
      userAgentFingerprint(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      ),
    ).toBe("safari/17/macos");
    expect(userAgentFingerprint(null)).toBeNull();
  });
  it("describes them for people", () => {
    expect(describeUserAgent("Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0")).toEqual({
      browser: "Firefox 145",
      os: "Linux",
    });
  });
});

describe("resolvePolicy", () => {
  it("starts from the defaults table of DESIGN.md", () => {
    const policies = allPolicies(settings);
    expect(
      Object.fromEntries(
        Object.entries(policies).map(([k, p]) => [
          k,
          [
            p.securityLevel,
            p.maxDurationMinutes / 60,
            p.idleTimeoutMinutes,
            p.maxConcurrentSessions,
            p.ipBinding !== "off",
            p.userAgentBinding,
            p.extendOnActivity,
            p.forceReauthAfterMinutes === null ? null : p.forceReauthAfterMinutes / 60,
            p.requireMfa,
          ],
        ]),
      ),
    ).toEqual({
      anonymous: ["low", 2, 30, 3, false, false, true, null, false],
      authenticated: ["medium", 8, 60, 5, true, false, true, 24, false],
      sso: ["medium", 4, 45, 3, true, true, true, 12, false],
      admin: ["high", 2, 15, 2, true, true, false, 4, true],
      api: ["high", 1, 30, 10, false, false, false, null, false],
    });
  });

  it("applies the environment, then the user's override", () => {
    const env: PolicySettings = { ...settings, maxConcurrentSessionsPerUser: 3, patches: { authenticated: { idleTimeoutMinutes: 20 } } };
    const policy = resolvePolicy("authenticated", env, { idleTimeoutMinutes: 10, ipBinding: "exact" });
    expect(policy).toMatchObject({ maxConcurrentSessions: 3, idleTimeoutMinutes: 10, ipBinding: "exact", maxDurationMinutes: 480 });
    expect(resolvePolicy("authenticated", env).idleTimeoutMinutes).toBe(20);
    expect(resolvePolicy("admin", env).maxConcurrentSessions).toBe(2);
  });

  it("validates overrides strictly", () => {
    expect(policyPatchSchema.safeParse({ idleTimeoutMinutes: 0 }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ allowedCountries: ["ae"] }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ name: "admin" }).success).toBe(false);
    expect(policyPatchSchema.safeParse({ allowedCountries: ["AE"], requireMfa: true }).success).toBe(true);
  });
});

describe("policySummary", () => {
  it("reports enforcement, level, every policy and the override count", () => {
    const summary = policySummary({ ...settings, enforce: false }, 2);
    expect(summary).toMatchObject({ enforcementEnabled: false, defaultSecurityLevel: "medium", userOverrides: 2 });
    expect(Object.keys(summary.policies)).toEqual(["anonymous", "authenticated", "sso", "admin", "api"]);
    expect(summary.policies.authenticated).toMatchObject({
      maxDurationHours: 8,
      idleTimeoutMinutes: 60,
      forceReauthHours: 24,
      ipBinding: "subnet",
      rememberMe: { maxDurationHours: 720, idleTimeoutHours: 168 },
    });
  });

  it("formats durations for people", () => {
    expect([
      formatDuration(60),
      formatDuration(15),
      formatDuration(480),
      formatDuration(1440),
      formatDuration(1440 * 30),
      formatDuration(1),
    ]).toEqual(["60 minutes", "15 minutes", "8 hours", "24 hours", "30 days", "1 minute"]);
  });
});
