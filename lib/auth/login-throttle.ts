import { getConfig } from "@/lib/config";
import { MINUTE_MS } from "@/lib/time";

/**
 * Brute-force protection for sign-in, decided from failure counts in sliding windows (pure; the counts come from
 * security_events). A (username, IP) pair locks after `pairMaxFailures` failures, an IP after `ipMaxFailures`
 * failures across usernames; before the pair lock, each further failure doubles a short wait.
 *
 * A guess spread over many addresses is slowed per account: past `accountDelayAfter` failures in an hour, attempts
 * from networks the account has not signed in from must wait a delay that doubles with each failure. It is a
 * delay, never a lock, and networks the owner used before are exempt, so an attacker cannot lock the owner out.
 */

export type ThrottleLimits = {
  pairMaxFailures: number;
  ipMaxFailures: number;
  lockMs: number;
  /** Failures allowed before back-off starts. */
  backoffAfter: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Failures for one account in an hour, from any addresses, before its progressive delay starts. */
  accountDelayAfter: number;
  accountDelayBaseMs: number;
  accountDelayMaxMs: number;
};

export const DEFAULT_THROTTLE: ThrottleLimits = {
  pairMaxFailures: 10,
  ipMaxFailures: 20,
  lockMs: 15 * MINUTE_MS,
  backoffAfter: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: MINUTE_MS,
  accountDelayAfter: 20,
  accountDelayBaseMs: 1000,
  accountDelayMaxMs: MINUTE_MS,
};

/** The configured limits (MAX_FAILED_LOGINS_PER_IP, LOGIN_PAIR_MAX_FAILURES, LOGIN_LOCK_MINUTES). */
export function throttleLimits(): ThrottleLimits {
  const config = getConfig();
  return {
    ...DEFAULT_THROTTLE,
    pairMaxFailures: config.LOGIN_PAIR_MAX_FAILURES,
    ipMaxFailures: config.MAX_FAILED_LOGINS_PER_IP,
    lockMs: config.LOGIN_LOCK_MINUTES * MINUTE_MS,
  };
}

export type FailureWindow = {
  /** Failures for this username from this IP since the pair's last success, within the lock period. */
  pairFailures: number;
  pairLastFailureAt: number | null;
  /** Failures from this IP, any username, within the last hour. */
  ipFailures: number;
  ipLastFailureAt: number | null;
  /** Failures for this username from any address within the last hour. */
  accountFailures: number;
  accountLastFailureAt: number | null;
  /** Whether the account signed in successfully from this network before (exempt from the account delay). */
  familiarNetwork: boolean;
};

export type ThrottleDecision =
  { allowed: true } | { allowed: false; reason: "pair_locked" | "ip_locked" | "backoff" | "account_delay"; retryAfterMs: number };

/** The account's delay after `failures` failures in the hour, or 0 below the threshold. */
export function accountDelayMs(failures: number, limits: ThrottleLimits): number {
  if (failures < limits.accountDelayAfter) return 0;
  return Math.min(limits.accountDelayBaseMs * 2 ** (failures - limits.accountDelayAfter), limits.accountDelayMaxMs);
}

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
  if (!window.familiarNetwork && window.accountLastFailureAt !== null) {
    const until = window.accountLastFailureAt + accountDelayMs(window.accountFailures, limits);
    if (until > now) return { allowed: false, reason: "account_delay", retryAfterMs: until - now };
  }
  return { allowed: true };
}

export function throttleMessage(decision: Extract<ThrottleDecision, { allowed: false }>): string {
  const seconds = Math.ceil(decision.retryAfterMs / 1000);
  if (decision.reason === "backoff") return `Too many attempts. Please wait ${seconds} second${seconds === 1 ? "" : "s"} and try again.`;
  if (decision.reason === "account_delay") {
    return `Too many failed sign-in attempts for this account. Please wait ${seconds} second${seconds === 1 ? "" : "s"} and try again.`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed sign-in attempts. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
