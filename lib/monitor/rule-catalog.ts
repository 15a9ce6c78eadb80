/**
 * The detection rules by name, and what each does. What a rule does is set by its severity: CRITICAL ends the user's sessions at the next cleanup, HIGH
 * flags them and waits for an administrator, MEDIUM and LOW only raise the alert. Operators move a rule along that
 * scale (or switch it off) with MONITOR_RULE_SEVERITY, e.g. "policy_violations=critical,unusual_activity_hours=off".
 * Pure and edge-safe: config.ts parses the variable with these names.
 */

import type { Finding, Severity } from "./rules";

export const RULE_TYPES = [
  "rapid_session_creation",
  "excessive_concurrent_sessions",
  "suspicious_ip_changes",
  "policy_violations",
  "failed_logins_per_ip",
  "account_locked",
  "unusual_activity_hours",
  "second_factor_locked",
  "passkey_counter_regressed",
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** Each rule's name as a person reads it. */
export const RULE_TITLES: Record<RuleType, string> = {
  rapid_session_creation: "Many sign-ins in a minute",
  excessive_concurrent_sessions: "Sign-ins beyond the session limit",
  suspicious_ip_changes: "Used from several places",
  policy_violations: "Repeated policy violations",
  failed_logins_per_ip: "Many failed sign-ins from one address",
  account_locked: "Sign-in locked",
  unusual_activity_hours: "Activity at an unusual hour",
  second_factor_locked: "Two-step verification locked",
  passkey_counter_regressed: "Passkey may be cloned",
};

export function ruleTitle(type: string): string {
  return RULE_TITLES[type as RuleType] ?? type.replaceAll("_", " ");
}

export const RULE_SETTINGS = ["low", "medium", "high", "critical", "off"] as const;
export type RuleSetting = (typeof RULE_SETTINGS)[number];
export type RuleSeverityOverrides = Partial<Record<RuleType, RuleSetting>>;

/** What a severity makes happen, in the words the admin pages and docs use. */
export const SEVERITY_ACTION: Record<Severity, string> = {
  critical: "ends the user's sessions at the next cleanup",
  high: "flags the user's sessions for an administrator to end",
  medium: "alert only",
  low: "alert only",
};

/**
 * Parses "rule=severity,…". Returns the overrides, or a message naming the first bad entry (config.ts turns it into
 * a start-up error).
 */
export function parseRuleSeverities(text: string): { ok: true; overrides: RuleSeverityOverrides } | { ok: false; message: string } {
  const overrides: RuleSeverityOverrides = {};
  for (const entry of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [rule, setting, ...rest] = entry.split("=").map((s) => s.trim());
    if (!RULE_TYPES.includes(rule as RuleType)) return { ok: false, message: `unknown rule "${rule}" (rules: ${RULE_TYPES.join(", ")})` };
    if (rest.length > 0 || !RULE_SETTINGS.includes(setting as RuleSetting)) {
      return { ok: false, message: `"${entry}" must be ${rule}=${RULE_SETTINGS.join("|")}` };
    }
    overrides[rule as RuleType] = setting as RuleSetting;
  }
  return { ok: true, overrides };
}

/** The finding as the operator configured its rule: with their severity, or null when the rule is off. */
export function withConfiguredSeverity(finding: Finding, overrides: RuleSeverityOverrides): Finding | null {
  const setting = overrides[finding.type as RuleType];
  if (setting === undefined) return finding;
  if (setting === "off") return null;
  return { ...finding, severity: setting };
}
