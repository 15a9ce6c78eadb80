/**
 * Detection rules: pure functions over window counts (the counts come from indexed SQL in windows.ts). Each returns
 * a finding, or null below its threshold. Thresholds are inclusive ("≥ 5 per minute" fires at 5).
 */

import { placeOf } from "@/lib/policies/network";
import type { IpBinding } from "@/lib/policies/types";
import { HOUR_MS, MINUTE_MS } from "@/lib/time";

export type Severity = "low" | "medium" | "high" | "critical";

export type Finding = {
  type: string;
  severity: Severity;
  /** What the alert is about: "user:<id>" or "ip:<address>"; with `type`, the de-duplication key. */
  subject: string;
  message: string;
  details: Record<string, unknown>;
  /** The rule's window: a repeat within it bumps the open alert instead of raising a new one. */
  windowMs: number;
};

export type Thresholds = {
  rapidSessionCreationPerMinute: number;
  maxConcurrentSessions: number;
  /** Sign-ins beyond the cap (evictions) within the hour that raise "excessive concurrent sessions". */
  concurrentLimitEvictionsPerHour: number;
  suspiciousIpChangesPerHour: number;
  policyViolationsPerHour: number;
  failedLoginsPerIpPerHour: number;
  unusualHours: readonly number[];
  unusualHoursMinHistory: number;
  unusualHoursMaxShare: number;
};

export const DEFAULT_THRESHOLDS: Thresholds = {
  rapidSessionCreationPerMinute: 5,
  maxConcurrentSessions: 5,
  concurrentLimitEvictionsPerHour: 1,
  suspiciousIpChangesPerHour: 3,
  policyViolationsPerHour: 5,
  failedLoginsPerIpPerHour: 20,
  unusualHours: [22, 23, 0, 1, 2, 3, 4, 5],
  unusualHoursMinHistory: 50,
  unusualHoursMaxShare: 0.1,
};

export function rapidSessionCreation(userId: string, createdLastMinute: number, t: Thresholds): Finding | null {
  if (createdLastMinute < t.rapidSessionCreationPerMinute) return null;
  return {
    type: "rapid_session_creation",
    severity: "high",
    subject: `user:${userId}`,
    message: `${createdLastMinute} sessions created within one minute (alerts at ${t.rapidSessionCreationPerMinute} or more)`,
    details: { userId, sessionCount: createdLastMinute },
    windowMs: MINUTE_MS,
  };
}

/**
 * Sign-ins beyond the concurrent-session cap: each one ended the user's oldest session (an eviction). The cap keeps
 * live sessions at or below the limit, so what is worth telling is the attempts past it.
 */
export function excessiveConcurrentSessions(userId: string, evictionsLastHour: number, t: Thresholds): Finding | null {
  if (evictionsLastHour < t.concurrentLimitEvictionsPerHour) return null;
  return {
    type: "excessive_concurrent_sessions",
    severity: "medium",
    subject: `user:${userId}`,
    message: `${evictionsLastHour} sign-in${evictionsLastHour === 1 ? "" : "s"} beyond the limit of ${t.maxConcurrentSessions} sessions at once within one hour (the oldest sessions were ended)`,
    details: { userId, evictions: evictionsLastHour, limit: t.maxConcurrentSessions },
    windowMs: HOUR_MS,
  };
}

/**
 * Use from several places within the hour, where a place is what the session's IP binding compares (an address
 * under "exact", a /24 or /64 network otherwise): a move the binding accepts is not a change.
 */
export function suspiciousIpChanges(userId: string, addressesLastHour: string[], binding: IpBinding, t: Thresholds): Finding | null {
  const places = [...new Set(addressesLastHour.map((ip) => placeOf(binding, ip)))].sort();
  if (places.length < t.suspiciousIpChangesPerHour) return null;
  const unit = binding === "exact" ? "addresses" : "networks";
  return {
    type: "suspicious_ip_changes",
    severity: "high",
    subject: `user:${userId}`,
    message: `Used from ${places.length} different ${unit} within one hour (alerts at ${t.suspiciousIpChangesPerHour} or more): ${places.slice(0, 5).join(", ")}${places.length > 5 ? ", …" : ""}`,
    details: { userId, placeCount: places.length, unit, places: places.slice(0, 20), addresses: addressesLastHour.slice(0, 20) },
    windowMs: HOUR_MS,
  };
}

export function repeatedPolicyViolations(userId: string, violationsLastHour: number, t: Thresholds): Finding | null {
  if (violationsLastHour < t.policyViolationsPerHour) return null;
  return {
    type: "policy_violations",
    severity: "high",
    subject: `user:${userId}`,
    message: `${violationsLastHour} session policy violations within one hour (alerts at ${t.policyViolationsPerHour} or more)`,
    details: { userId, violationCount: violationsLastHour },
    windowMs: HOUR_MS,
  };
}

export function failedLoginsPerIp(ip: string, failuresLastHour: number, t: Thresholds): Finding | null {
  if (failuresLastHour < t.failedLoginsPerIpPerHour) return null;
  return {
    type: "failed_logins_per_ip",
    severity: "high",
    subject: `ip:${ip}`,
    message: `${failuresLastHour} failed sign-ins from ${ip} within one hour (alerts at ${t.failedLoginsPerIpPerHour} or more)`,
    details: { ip, failureCount: failuresLastHour },
    windowMs: HOUR_MS,
  };
}

/** A (username, address) pair locked after repeated wrong passwords: somebody is guessing this account's password. */
export function accountLocked(username: string, ip: string, failures: number): Finding {
  return {
    type: "account_locked",
    severity: "medium",
    subject: `account:${username}`,
    message: `Sign-in to "${username}" from ${ip} locked after ${failures} failed attempts`,
    details: { username, ip, failureCount: failures },
    windowMs: HOUR_MS,
  };
}

/**
 * Unusual hours: activity at night (22:00–05:59 UTC) from a user with more than 50 events of history,
 * less than 10 % of them at night.
 */
export function unusualHours(userId: string, hourUtc: number, history: { total: number; atNight: number }, t: Thresholds): Finding | null {
  if (!t.unusualHours.includes(hourUtc)) return null;
  if (history.total <= t.unusualHoursMinHistory) return null;
  if (history.atNight / history.total >= t.unusualHoursMaxShare) return null;
  return {
    type: "unusual_activity_hours",
    severity: "low",
    subject: `user:${userId}`,
    message: `Active at an unusual hour (${String(hourUtc).padStart(2, "0")}:00 UTC)`,
    details: {
      userId,
      hour: hourUtc,
      historyEvents: history.total,
      nightShare: Math.round((history.atNight / history.total) * 1000) / 1000,
    },
    windowMs: 24 * HOUR_MS,
  };
}

/**
 * The second step locked after repeated wrong codes or passkeys: whoever tried knew the password (the second step is
 * only reached with it), so the password should be changed.
 */
export function secondFactorLocked(userId: string, failures: number): Finding {
  return {
    type: "second_factor_locked",
    severity: "high",
    subject: `user:${userId}`,
    message: `Two-step verification locked after ${failures} wrong codes: someone who knows the password is trying to get past the second step`,
    details: { userId, failureCount: failures },
    windowMs: HOUR_MS,
  };
}

/** A passkey signed with a counter at or below the last one seen: two copies of one authenticator are in use. */
export function passkeyCounterRegressed(userId: string, passkey: { id: string; stored: number; presented: number }): Finding {
  return {
    type: "passkey_counter_regressed",
    severity: "high",
    subject: `user:${userId}`,
    message: `A passkey's signature counter went back (${passkey.presented} after ${passkey.stored}): it may have been cloned, and was refused`,
    details: { userId, passkeyId: passkey.id, storedCounter: passkey.stored, presentedCounter: passkey.presented },
    windowMs: HOUR_MS,
  };
}
