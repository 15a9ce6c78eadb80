import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_MAX_DAYS, accessTokenExpiry, accessTokenPolicy } from "@/lib/policies/access-token";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { evaluate } from "@/lib/policies/evaluate";
import { expiryAt, shouldExtend } from "@/lib/policies/limits";
import { DAY_MS, MINUTE_MS } from "@/lib/time";

const created = Date.parse("2026-12-03T10:00:00Z");
const facts = {
  kind: "api" as const,
  createdAt: created,
  lastActivityAt: created,
  authenticatedAt: created,
  rememberMe: false,
  ip: "198.51.100.1",
  userAgentFingerprint: null,
  mfaPending: false,
};
const request = { ip: "203.0.113.9", userAgent: "cron", country: null };

describe("personal access token policy", () => {
  const expiresAt = accessTokenExpiry(new Date(created), 30).getTime();
  const policy = accessTokenPolicy(DEFAULT_POLICIES.api, { createdAt: created, expiresAt });

  it("keeps the api policy's bindings but has no idle limit: a token unused for weeks still works", () => {
    expect(DEFAULT_POLICIES.api.idleTimeoutMinutes).toBeLessThan(60);
    expect(evaluate(facts, request, policy, created + 29 * DAY_MS)).toMatchObject({ ok: true });
    expect(policy.securityLevel).toBe(DEFAULT_POLICIES.api.securityLevel);
    expect(policy.ipBinding).toBe(DEFAULT_POLICIES.api.ipBinding);
  });

  it("ends at the token's own expiry, and nothing extends it", () => {
    expect(evaluate(facts, request, policy, expiresAt)).toMatchObject({ ok: true });
    expect(evaluate({ ...facts, lastActivityAt: expiresAt }, request, policy, expiresAt + MINUTE_MS)).toMatchObject({
      ok: false,
      violation: "absolute_timeout",
    });
    expect(shouldExtend(policy, facts, created + DAY_MS)).toBe(false);
    expect(expiryAt(policy, facts, created + DAY_MS)).toBe(expiresAt);
  });

  it("never lasts longer than 90 days", () => {
    expect(accessTokenExpiry(new Date(created), 365).getTime() - created).toBe(ACCESS_TOKEN_MAX_DAYS * DAY_MS);
  });
});
