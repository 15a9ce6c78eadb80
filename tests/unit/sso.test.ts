import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import { authenticatedAtFrom, domainAllowed, usernameCandidate } from "@/lib/sso/claims";
import { isSsoFailureReason, SSO_FAILURE_MESSAGES, ssoFailureReasons } from "@/lib/sso/failures";

function problems(env: Record<string, string>) {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable} ${p.message}`);
    throw error;
  }
  return [];
}

describe("SSO configuration", () => {
  const full = { SSO_ISSUER_URL: "https://login.example.com", SSO_CLIENT_ID: "growbal", SSO_CLIENT_SECRET: "s3cret-value" };

  it("is off unless issuer, client id and secret are all set, and names what is missing", () => {
    expect(parseConfig({}).sso).toBeNull();
    expect(problems({ SSO_ISSUER_URL: full.SSO_ISSUER_URL })).toEqual([
      "SSO_CLIENT_ID is required when SSO is configured (set all three, or none)",
      "SSO_CLIENT_SECRET is required when SSO is configured (set all three, or none)",
    ]);
    expect(parseConfig({ ...full, SSO_ALLOWED_DOMAINS: "Example.com, example.org" }).sso).toEqual({
      issuer: full.SSO_ISSUER_URL,
      clientId: "growbal",
      clientSecret: "s3cret-value",
      displayName: "SSO",
      allowedDomains: ["example.com", "example.org"],
      adminGroup: null,
    });
  });

  it("refuses a plain-http provider except on localhost, and a malformed domain list", () => {
    expect(problems({ ...full, SSO_ISSUER_URL: "http://login.example.com" })[0]).toMatch(/^SSO_ISSUER_URL must use https/);
    expect(problems({ ...full, SSO_ISSUER_URL: "http://127.0.0.1:4400" })).toEqual([]);
    expect(problems({ ...full, SSO_ALLOWED_DOMAINS: "example.com, not a domain" })[0]).toMatch(
      /^SSO_ALLOWED_DOMAINS must be a comma-separated list/,
    );
  });
});

describe("SSO claims", () => {
  it("dates the provider's authentication on this server's clock, whatever the provider's clock says", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    // The provider's clock is an hour behind; the person authenticated 10 minutes before the token was issued.
    const iat = now / 1000 - 3600;
    expect(authenticatedAtFrom({ iat, auth_time: iat - 600 }, now)).toBe(now - 600_000);
    // No auth_time: now. An auth_time after iat (a confused provider) is not in the future.
    expect(authenticatedAtFrom({ iat }, now)).toBe(now);
    expect(authenticatedAtFrom({ iat, auth_time: iat + 60 }, now)).toBe(now);
  });

  it("allows only the listed email domains, ignoring case", () => {
    expect(domainAllowed("ada@Example.COM", ["example.com"])).toBe(true);
    expect(domainAllowed("ada@example.com.evil.test", ["example.com"])).toBe(false);
    expect(domainAllowed("ada@sub.example.com", ["example.com"])).toBe(false);
    expect(domainAllowed("not-an-address", null)).toBe(false);
    expect(domainAllowed("ada@anything.test", null)).toBe(true);
  });

  it("makes a valid username from what the provider offers", () => {
    const valid = /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/;
    for (const claims of [
      { sub: "1", preferred_username: "Ada Lovelace" },
      { sub: "2", email: "josé.núñez@example.com" },
      { sub: "3", email: "_x@example.com" },
      { sub: "4" },
      { sub: "5", preferred_username: "a".repeat(80) },
    ]) {
      expect(usernameCandidate(claims)).toMatch(valid);
    }
    expect(usernameCandidate({ sub: "1", preferred_username: "Ada Lovelace" })).toBe("Ada-Lovelace");
  });

  it("has a message for every failure reason, and knows no other", () => {
    for (const reason of ssoFailureReasons) expect(SSO_FAILURE_MESSAGES[reason].length).toBeGreaterThan(10);
    expect(isSsoFailureReason("state_mismatch")).toBe(true);
    expect(isSsoFailureReason("<script>")).toBe(false);
  });
});
