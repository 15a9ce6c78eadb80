import { getConfig } from "@/lib/config";

/**
 * Brute-force protection for sign-in, decided from failure counts in sliding windows (pure; the counts come from
 * security_events). A (username, IP) pair locks after `pairMaxFailures` failures, an IP after `ipMaxFailures`
 * failures across usernames; before the pair lock, each further failure doubles a short wait. An account is never
 * locked for everyone: the same user from another address still signs in.
 */

export type ThrottleLimits = {
  pairMaxFailures: number;
  ipMaxFailures: number;
  lockMs: number;
  /** Failures allowed before back-off starts. */
  backoffAfter: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
};

export const DEFAULT_THROTTLE: ThrottleLimits = {
  pairMaxFailures: 10,
  ipMaxFailures: 20,
  lockMs: 15 * 60_000,
  backoffAfter: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
};

/** The configured limits (MAX_FAILED_LOGINS_PER_IP, LOGIN_PAIR_MAX_FAILURES, LOGIN_LOCK_MINUTES). */
export function throttleLimits(): ThrottleLimits {
  const config = getConfig();
  return {
    ...DEFAULT_THROTTLE,
    pairMaxFailures: config.LOGIN_PAIR_MAX_FAILURES,
    ipMaxFailures: config.MAX_FAILED_LOGINS_PER_IP,
    lockMs: config.LOGIN_LOCK_MINUTES * 60_000,
  };
}

export type FailureWindow = {
  /** Failures for this username from this IP since the pair's last success, within the lock period. */
  pairFailures: number;
  pairLastFailureAt: number | null;
  /** Failures from this IP, any username, within the last hour. */
  ipFailures: number;
  ipLastFailureAt: number | null;
};

export type ThrottleDecision = { allowed: true } | { allowed: false; reason: "pair_locked" | "ip_locked" | "backoff"; retryAfterMs: number };

export function throttleDecision(window: FailureWindow, limits: ThrottleLimits, now: number): ThrottleDecision {
  if (window.ipLastFailureAt !== null && window.ipFailures >= limits.ipMaxFailures) {
    const until = window.ipLastFailureAt + limits.lockMs;
    if (until > now) return { allowed: false, reason: "ip_locked", retryAfterMs: until - now };
  }
  if (window.pairLastFailureAt !== null) {
    if (window.pairFailures >= limits.pairMaxFailures) {
      const until = window.pairLastFailureAt + limits.lockMs;
      if (until > now) return { allowed: false, reason: "pair_locked", retryAfterMs: until - now };
    } else if (window.pairFailures >= limits.backoffAfter) {
      const wait = Math.min(limits.backoffBaseMs * 2 ** (window.pairFailures - limits.backoffAfter), limits.backoffMaxMs);
      const until = window.pairLastFailureAt + wait;
      if (until > now) return { allowed: false, reason: "backoff", retryAfterMs: until - now };
    }
  }
  return { allowed: true };
}

export function throttleMessage(decision: Extract<ThrottleDecision, { allowed: false }>): string {
  const seconds = Math.ceil(decision.retryAfterMs / 1000);
  if (decision.reason === "backoff") return `Too many attempts. Please wait ${seconds} second${seconds === 1 ? "" : "s"} and try again.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed sign-in attempts. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
