import "server-only";
import { getConfig } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import { raiseAlert } from "./alerts";
import { withConfiguredSeverity } from "./rule-catalog";
import {
  accountLocked,
  DEFAULT_THRESHOLDS,
  excessiveConcurrentSessions,
  failedLoginsPerIp,
  passkeyCounterRegressed,
  secondFactorLocked,
  rapidSessionCreation,
  repeatedPolicyViolations,
  suspiciousIpChanges,
  unusualHours,
  type Finding,
  type Thresholds,
} from "./rules";
import { activityHours, countEvents, distinctIps } from "./windows";
import type { IpBinding } from "@/lib/policies/types";
import { describeError } from "@/lib/log/describe-error";
import { HOUR_MS, MINUTE_MS } from "@/lib/time";
import { requestLog } from "@/lib/log/request-log";

/**
 * Runs the detection rules that an event can trigger, against window counts in Postgres (so every instance sees
 * the same history), and raises the resulting alerts. Monitoring never breaks the request it watches: failures are
 * logged and swallowed.
 */

export function thresholds(): Thresholds {
  const config = getConfig();
  return {
    ...DEFAULT_THRESHOLDS,
    maxConcurrentSessions: config.MAX_CONCURRENT_SESSIONS_PER_USER,
    suspiciousIpChangesPerHour: config.SUSPICIOUS_IP_CHANGES_THRESHOLD,
    policyViolationsPerHour: config.POLICY_VIOLATIONS_PER_HOUR,
    failedLoginsPerIpPerHour: config.MAX_FAILED_LOGINS_PER_IP,
  };
}

export type Trigger =
  | { kind: "login_failed"; ip: string | null }
  | { kind: "login_locked"; username: string; ip: string; reason: string; failures: number }
  | { kind: "login_succeeded"; userId: string }
  | { kind: "session_accessed"; userId: string; ipBinding: IpBinding }
  | { kind: "policy_violation"; userId: string | null }
  | { kind: "mfa_locked"; userId: string; failures: number }
  | { kind: "passkey_counter_regressed"; userId: string; passkeyId: string; stored: number; presented: number };

async function findingsFor(db: Database, trigger: Trigger, now: Date): Promise<Finding[]> {
  const t = thresholds();
  const since = (ms: number) => new Date(now.getTime() - ms);
  switch (trigger.kind) {
    case "login_failed":
    case "login_locked": {
      if (!trigger.ip) return [];
      // Attempts refused while locked, and failed SSO sign-ins, are failed sign-ins from that address too.
      const failures = await countEvents(db, {
        type: ["login_failed", "login_locked", "sso_failed"],
        ip: trigger.ip,
        since: since(HOUR_MS),
      });
      const locked = trigger.kind === "login_locked" && trigger.reason === "pair_locked";
      return [
        failedLoginsPerIp(trigger.ip, failures, t),
        locked ? accountLocked(trigger.username.trim().toLowerCase(), trigger.ip, trigger.failures) : null,
      ].filter((f): f is Finding => f !== null);
    }
    case "login_succeeded": {
      const [created, evictions, hours] = await Promise.all([
        countEvents(db, { type: "session_created", userId: trigger.userId, since: since(MINUTE_MS) }),
        countEvents(db, { type: "session_evicted", userId: trigger.userId, since: since(HOUR_MS) }),
        activityHours(db, trigger.userId, now, t.unusualHours),
      ]);
      return [
        rapidSessionCreation(trigger.userId, created, t),
        excessiveConcurrentSessions(trigger.userId, evictions, t),
        unusualHours(trigger.userId, now.getUTCHours(), hours, t),
      ].filter((f): f is Finding => f !== null);
    }
    case "session_accessed": {
      const ips = await distinctIps(db, trigger.userId, since(HOUR_MS));
      return [suspiciousIpChanges(trigger.userId, ips, trigger.ipBinding, t)].filter((f): f is Finding => f !== null);
    }
    case "policy_violation": {
      if (!trigger.userId) return [];
      const violations = await countEvents(db, { type: "policy_violation", userId: trigger.userId, since: since(HOUR_MS) });
      return [repeatedPolicyViolations(trigger.userId, violations, t)].filter((f): f is Finding => f !== null);
    }
    case "mfa_locked":
      return [secondFactorLocked(trigger.userId, trigger.failures)];
    case "passkey_counter_regressed":
      return [passkeyCounterRegressed(trigger.userId, { id: trigger.passkeyId, stored: trigger.stored, presented: trigger.presented })];
  }
}

export async function detect(db: Database, trigger: Trigger, now: Date): Promise<Finding[]> {
  if (!getConfig().ENABLE_SESSION_MONITORING) return [];
  try {
    const overrides = getConfig().MONITOR_RULE_SEVERITY;
    const findings = (await findingsFor(db, trigger, now)).flatMap((f) => withConfiguredSeverity(f, overrides) ?? []);
    for (const finding of findings) await raiseAlert(db, finding, now);
    return findings;
  } catch (error) {
    (await requestLog()).error({ err: describeError(error) }, "security detection failed");
    return [];
  }
}
