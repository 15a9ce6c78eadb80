import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { evaluate, violationLimitMinutes } from "@/lib/policies/evaluate";
import type { RequestFacts, SessionFacts, SessionKind, SessionPolicy, Violation } from "@/lib/policies/types";
import { userAgentFingerprint } from "@/lib/policies/user-agent";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

const CHROME_142 = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36";
const CHROME_142_PATCH = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.175 Safari/537.36";
const CHROME_143 = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.7499.40 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0";
const CHROME_142_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36";

function session(kind: SessionKind, overrides: Partial<SessionFacts> = {}): SessionFacts {
  return {
    kind,
    createdAt: T0,
    lastActivityAt: T0,
    authenticatedAt: kind === "anonymous" ? null : T0,
    rememberMe: false,
    ip: "203.0.113.10",
    userAgentFingerprint: userAgentFingerprint(CHROME_142),
    mfaPending: false,
    ...overrides,
  };
}

const sameRequest: RequestFacts = { ip: "203.0.113.10", userAgent: CHROME_142, country: null };

function verdict(
  s: SessionFacts,
  now: number,
  request: RequestFacts = sameRequest,
  policy: SessionPolicy = DEFAULT_POLICIES[s.kind],
): Violation | "ok" {
  const decision = evaluate(s, request, policy, now);
  return decision.ok ? "ok" : decision.violation;
}

describe("evaluate: time limits at their exact boundary and one millisecond past", () => {
  // [kind, rule, facts, limit in ms, expected violation]; each row keeps activity fresh except for the rule tested.
  const rows: [SessionKind, string, (limit: number) => { s: SessionFacts; at: number }, number, Violation][] = [];
  for (const kind of ["anonymous", "authenticated", "sso", "admin", "api"] as const) {
    const policy = DEFAULT_POLICIES[kind];
    rows.push([kind, "idle timeout", (limit) => ({ s: session(kind), at: T0 + limit }), policy.idleTimeoutMinutes * MIN, "idle_timeout"]);
    rows.push([
      kind,
      "absolute duration",
      (limit) => ({
        s: session(kind, { lastActivityAt: T0 + limit - MIN, authenticatedAt: kind === "anonymous" ? null : T0 + limit - MIN }),
        at: T0 + limit,
      }),
      policy.maxDurationMinutes * MIN,
      "absolute_timeout",
    ]);
    if (policy.forceReauthAfterMinutes !== null && policy.forceReauthAfterMinutes < policy.maxDurationMinutes) {
      rows.push([
        kind,
        "forced re-authentication",
        (limit) => ({ s: session(kind, { lastActivityAt: T0 + limit - MIN }), at: T0 + limit }),
        policy.forceReauthAfterMinutes * MIN,
        "reauth_required",
      ]);
    }
  }

  it.each(rows)("%s · %s: valid at the limit, violated 1 ms later", (kind, _rule, build, limit, expected) => {
    const exact = build(limit);
    expect(verdict(exact.s, exact.at)).toBe("ok");
    const past = build(limit);
    expect(verdict(past.s, past.at + 1)).toBe(expected);
  });

  it("checks the absolute limit before idleness", () => {
    expect(verdict(session("authenticated"), T0 + 9 * HOUR)).toBe("absolute_timeout");
  });

  it("forces re-authentication when the policy's re-auth period is shorter than a stretched lifetime", () => {
    const policy: SessionPolicy = { ...DEFAULT_POLICIES.authenticated, maxDurationMinutes: 48 * 60 };
    const s = session("authenticated", { lastActivityAt: T0 + 24 * HOUR });
    expect(verdict(s, T0 + 24 * HOUR, sameRequest, policy)).toBe("ok");
    expect(verdict(s, T0 + 24 * HOUR + 1, sameRequest, policy)).toBe("reauth_required");
  });
});

describe("evaluate: remember-me", () => {
  it("lives 30 days with a 7-day idle limit instead of the 8 h rule", () => {
    const s = session("authenticated", { rememberMe: true, lastActivityAt: T0 + 9 * HOUR });
    expect(verdict(s, T0 + 9 * HOUR)).toBe("ok");
    expect(verdict(session("authenticated", { rememberMe: true }), T0 + 7 * DAY)).toBe("ok");
    expect(verdict(session("authenticated", { rememberMe: true }), T0 + 7 * DAY + 1)).toBe("idle_timeout");
    const active = session("authenticated", { rememberMe: true, lastActivityAt: T0 + 30 * DAY - HOUR });
    expect(verdict(active, T0 + 30 * DAY)).toBe("ok");
    expect(verdict(active, T0 + 30 * DAY + 1)).toBe("absolute_timeout");
  });

  it("is not offered to administrators: their 2 h limit stands", () => {
    const s = session("admin", { rememberMe: true, lastActivityAt: T0 + 2 * HOUR });
    expect(verdict(s, T0 + 2 * HOUR + 1)).toBe("absolute_timeout");
  });
});

describe("evaluate: IP binding", () => {
  const at = T0 + MIN;
  it.each([
    ["authenticated", "203.0.113.99", "ok"], // same /24: subnet binding
    ["authenticated", "198.51.100.10", "ip_changed"],
    ["admin", "203.0.113.11", "ip_changed"], // exact binding
    ["admin", "203.0.113.10", "ok"],
    ["anonymous", "198.51.100.10", "ok"], // binding off
    ["api", "198.51.100.10", "ok"],
  ] as const)("%s session from %s → %s", (kind, ip, expected) => {
    expect(verdict(session(kind), at, { ...sameRequest, ip })).toBe(expected);
  });

  it("compares IPv6 by /64 under subnet binding", () => {
    const s = session("authenticated", { ip: "2001:db8:1:2::10" });
    expect(verdict(s, at, { ...sameRequest, ip: "2001:db8:1:2:ffff::1" })).toBe("ok");
    expect(verdict(s, at, { ...sameRequest, ip: "2001:db8:1:3::10" })).toBe("ip_changed");
  });

  it("a session that recorded no address cannot be bound, but a request that withholds one fails the binding", () => {
    expect(verdict(session("admin", { ip: null }), at, { ...sameRequest, ip: "198.51.100.1" })).toBe("ok");
    expect(verdict(session("admin"), at, { ...sameRequest, ip: null })).toBe("ip_changed");
    expect(verdict(session("anonymous"), at, { ...sameRequest, ip: null })).toBe("ok");
  });
});

describe("evaluate: user-agent binding", () => {
  const at = T0 + MIN;
  it("ignores minor-version and build updates", () => {
    expect(verdict(session("admin"), at, { ...sameRequest, userAgent: CHROME_142_PATCH })).toBe("ok");
  });
  it.each([
    ["a major version change", CHROME_143],
    ["another browser", FIREFOX],
    ["another operating system", CHROME_142_WINDOWS],
  ])("signs out an admin session on %s", (_label, userAgent) => {
    expect(verdict(session("admin"), at, { ...sameRequest, userAgent })).toBe("user_agent_changed");
  });
  it("fails the binding when the request sends no User-Agent at all", () => {
    expect(verdict(session("admin"), at, { ...sameRequest, userAgent: null })).toBe("user_agent_changed");
    expect(verdict(session("authenticated"), at, { ...sameRequest, userAgent: null })).toBe("ok");
  });
  it("does not bind plain signed-in sessions (their policy has no UA rule)", () => {
    expect(verdict(session("authenticated"), at, { ...sameRequest, userAgent: FIREFOX })).toBe("ok");
  });
  it("binds SSO sessions", () => {
    expect(verdict(session("sso"), at, { ...sameRequest, userAgent: FIREFOX })).toBe("user_agent_changed");
  });
});

describe("evaluate: countries and MFA", () => {
  const restricted: SessionPolicy = { ...DEFAULT_POLICIES.authenticated, allowedCountries: ["AE", "SA"] };
  const at = T0 + MIN;
  it.each([
    ["AE", "ok"],
    ["DE", "country_not_allowed"],
    [null, "country_not_allowed"], // fails closed when the country is unknown
  ] as const)("country %s → %s", (country, expected) => {
    expect(verdict(session("authenticated"), at, { ...sameRequest, country }, restricted)).toBe(expected);
  });

  it("holds a session whose second factor is still owed, after every rule that ends a session", () => {
    expect(verdict(session("admin", { mfaPending: true }), at)).toBe("mfa_pending");
    expect(verdict(session("authenticated", { mfaPending: true }), at)).toBe("mfa_pending");
    expect(verdict(session("admin", { mfaPending: true }), at, { ...sameRequest, ip: "198.51.100.9" })).toBe("ip_changed");
  });
});

describe("messages", () => {
  it("explains in plain words, naming the limit", () => {
    const decision = evaluate(session("authenticated"), sameRequest, DEFAULT_POLICIES.authenticated, T0 + 61 * MIN);
    expect(decision).toEqual({ ok: false, violation: "idle_timeout", message: "You were signed out after 60 minutes of inactivity." });
    const absolute = evaluate(
      session("authenticated", { lastActivityAt: T0 + 8 * HOUR }),
      sameRequest,
      DEFAULT_POLICIES.authenticated,
      T0 + 8 * HOUR + 1,
    );
    expect(absolute).toMatchObject({ message: "Your session reached its maximum length of 8 hours. Please sign in again." });
    expect(violationLimitMinutes("idle_timeout", DEFAULT_POLICIES.authenticated, true)).toBe(7 * 24 * 60);
    expect(violationLimitMinutes("ip_changed", DEFAULT_POLICIES.authenticated, false)).toBeNull();
  });
});
