import type { SessionFacts, SessionPolicy } from "./types";
import { MINUTE_MS } from "@/lib/time";

const TWO_HOURS = 120 * MINUTE_MS;

/** The limits that apply to one session: remember-me sessions use their own lifetime where the policy offers it. */
export function effectiveLimits(policy: SessionPolicy, rememberMe: boolean) {
  const remembered = rememberMe && policy.rememberMe !== null;
  const lifetime = remembered ? policy.rememberMe! : policy;
  return {
    maxDurationMs: lifetime.maxDurationMinutes * MINUTE_MS,
    idleTimeoutMs: lifetime.idleTimeoutMinutes * MINUTE_MS,
    // A remembered session's absolute lifetime is its re-authentication point; step-up still guards sensitive
    // operations, so the 24 h rule does not cut a 30-day session short.
    reauthAfterMs: remembered || policy.forceReauthAfterMinutes === null ? null : policy.forceReauthAfterMinutes * MINUTE_MS,
    remembered,
  };
}

/** When the session must end whatever happens: the absolute limit, or the forced re-authentication point. */
export function hardLimit(policy: SessionPolicy, session: Pick<SessionFacts, "createdAt" | "authenticatedAt" | "rememberMe">): number {
  const limits = effectiveLimits(policy, session.rememberMe);
  const absolute = session.createdAt + limits.maxDurationMs;
  if (limits.reauthAfterMs === null) return absolute;
  return Math.min(absolute, (session.authenticatedAt ?? session.createdAt) + limits.reauthAfterMs);
}

/** How far activity slides the expiry: a quarter of the maximum duration, at most 2 hours. */
export function extensionFor(policy: SessionPolicy, rememberMe: boolean): number {
  return Math.min(effectiveLimits(policy, rememberMe).maxDurationMs / 4, TWO_HOURS);
}

/** Whether activity may push the session's expiry out (never on sensitive operations at high/critical levels). */
export function shouldExtend(
  policy: SessionPolicy,
  session: Pick<SessionFacts, "createdAt" | "authenticatedAt" | "rememberMe">,
  now: number,
  activity: "request" | "sensitive_operation" = "request",
): boolean {
  if (!policy.extendOnActivity) return false;
  if (activity === "sensitive_operation" && (policy.securityLevel === "high" || policy.securityLevel === "critical")) return false;
  return now < hardLimit(policy, session);
}

/**
 * The stored `expires_at`: when the session ends if nothing else happens. Extending policies slide it to
 * now + max(idle timeout, extension step); others keep the hard limit. Never past the absolute or re-auth limit.
 */
export function expiryAt(
  policy: SessionPolicy,
  session: Pick<SessionFacts, "createdAt" | "authenticatedAt" | "rememberMe">,
  now: number,
): number {
  const limit = hardLimit(policy, session);
  if (!policy.extendOnActivity) return limit;
  const { idleTimeoutMs } = effectiveLimits(policy, session.rememberMe);
  return Math.min(limit, now + Math.max(idleTimeoutMs, extensionFor(policy, session.rememberMe)));
}

/** When a session ends if nothing happens: at its idle limit (activity moves it) and its hard limit (nothing does). */
export function sessionDeadlines(
  policy: SessionPolicy,
  session: Pick<SessionFacts, "createdAt" | "authenticatedAt" | "rememberMe" | "lastActivityAt">,
): { idleAt: number; hardAt: number } {
  return { idleAt: session.lastActivityAt + effectiveLimits(policy, session.rememberMe).idleTimeoutMs, hardAt: hardLimit(policy, session) };
}
