import { effectiveLimits } from "@/lib/policies/limits";
import type { SessionFacts, SessionPolicy } from "@/lib/policies/types";

export type StaleReason = "idle_timeout" | "absolute_timeout" | "reauth_required";

/**
 * What the policy engine can judge about a session without a request: its absolute lifetime and forced
 * re-authentication (the "policy violations" category) and idleness (the "idle" category). Same limits and the
 * same inclusive boundaries as `evaluate`. Pure.
 */
export function staleReason(
  session: Pick<SessionFacts, "createdAt" | "lastActivityAt" | "authenticatedAt" | "rememberMe">,
  policy: SessionPolicy,
  now: number,
  categories: { idle: boolean; policyViolations: boolean },
): StaleReason | null {
  const limits = effectiveLimits(policy, session.rememberMe);
  if (categories.policyViolations) {
    if (now - session.createdAt > limits.maxDurationMs) return "absolute_timeout";
    if (limits.reauthAfterMs !== null && now - (session.authenticatedAt ?? session.createdAt) > limits.reauthAfterMs)
      return "reauth_required";
  }
  if (categories.idle && now - session.lastActivityAt > limits.idleTimeoutMs) return "idle_timeout";
  return null;
}
