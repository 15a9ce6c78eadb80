import { effectiveLimits } from "./limits";
import { violationMessage } from "./messages";
import { ipAllowed } from "./network";
import type { PolicyDecision, RequestFacts, SessionFacts, SessionPolicy, Violation } from "./types";
import { userAgentFingerprint } from "./user-agent";
import { MINUTE_MS } from "@/lib/time";

/**
 * Judges one request against a session policy. Pure and clock-free (`now` is injected), so the same rules run in
 * edge middleware with the cookie's facts and in the DAL with the database's. Limits are inclusive: a session
 * exactly at its limit is still valid; one millisecond later it is not.
 */
export function evaluate(session: SessionFacts, request: RequestFacts, policy: SessionPolicy, now: number): PolicyDecision {
  const limits = effectiveLimits(policy, session.rememberMe);
  const fail = (violation: Violation, limitMs?: number | null): PolicyDecision => ({
    ok: false,
    violation,
    message: violationMessage(violation, limitMs ? Math.round(limitMs / MINUTE_MS) : null),
  });

  if (now - session.createdAt > limits.maxDurationMs) return fail("absolute_timeout", limits.maxDurationMs);
  if (limits.reauthAfterMs !== null && now - (session.authenticatedAt ?? session.createdAt) > limits.reauthAfterMs) {
    return fail("reauth_required", limits.reauthAfterMs);
  }
  if (now - session.lastActivityAt > limits.idleTimeoutMs) return fail("idle_timeout", limits.idleTimeoutMs);

  // A bound session recorded its address and browser at sign-in; a request that withholds them (the client
  // decides whether to send a User-Agent) fails the binding rather than skipping it.
  if (policy.ipBinding !== "off" && session.ip && (!request.ip || !ipAllowed(policy.ipBinding, session.ip, request.ip)))
    return fail("ip_changed");
  if (policy.userAgentBinding && session.userAgentFingerprint) {
    if (!request.userAgent || userAgentFingerprint(request.userAgent) !== session.userAgentFingerprint) return fail("user_agent_changed");
  }
  // Country rules fail closed: a restricted account needs a known, allowed country.
  if (policy.allowedCountries !== null && (!request.country || !policy.allowedCountries.includes(request.country))) {
    return fail("country_not_allowed");
  }
  // Last, because it holds the session rather than ending it: any rule above still ends a session that owes its
  // second factor. Whether one is owed (policy or enrolled factor) is decided by second-factor.ts.
  if (session.mfaPending) return fail("mfa_pending");
  return { ok: true };
}

/** The limit (in minutes) a violation refers to, for the sign-in page's explanation. */
export function violationLimitMinutes(violation: Violation, policy: SessionPolicy, rememberMe: boolean): number | null {
  const limits = effectiveLimits(policy, rememberMe);
  switch (violation) {
    case "idle_timeout":
      return limits.idleTimeoutMs / MINUTE_MS;
    case "absolute_timeout":
      return limits.maxDurationMs / MINUTE_MS;
    case "reauth_required":
      return limits.reauthAfterMs === null ? null : limits.reauthAfterMs / MINUTE_MS;
    default:
      return null;
  }
}
