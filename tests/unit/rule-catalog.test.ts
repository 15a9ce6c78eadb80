import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import { parseRuleSeverities, ruleTitle, withConfiguredSeverity } from "@/lib/monitor/rule-catalog";
import { DEFAULT_THRESHOLDS, repeatedPolicyViolations } from "@/lib/monitor/rules";

const violations = repeatedPolicyViolations("u1", 5, DEFAULT_THRESHOLDS)!;

describe("per-rule severity (MONITOR_RULE_SEVERITY)", () => {
  it("leaves a rule at its own severity unless the operator moved it", () => {
    expect(withConfiguredSeverity(violations, {})).toEqual(violations);
    expect(withConfiguredSeverity(violations, { suspicious_ip_changes: "off" })).toEqual(violations);
  });

  it("raises a rule to CRITICAL (sessions end), lowers it to MEDIUM (alert only) or switches it off", () => {
    expect(withConfiguredSeverity(violations, { policy_violations: "critical" })).toMatchObject({ severity: "critical" });
    expect(withConfiguredSeverity(violations, { policy_violations: "medium" })).toMatchObject({ severity: "medium" });
    expect(withConfiguredSeverity(violations, { policy_violations: "off" })).toBeNull();
  });

  it("parses a comma-separated list and names the first bad entry", () => {
    expect(parseRuleSeverities(" policy_violations = critical , unusual_activity_hours=off ")).toEqual({
      ok: true,
      overrides: { policy_violations: "critical", unusual_activity_hours: "off" },
    });
    expect(parseRuleSeverities("")).toEqual({ ok: true, overrides: {} });
    expect(parseRuleSeverities("no_such_rule=high")).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown rule "no_such_rule"'),
    });
    expect(parseRuleSeverities("policy_violations=urgent")).toMatchObject({
      ok: false,
      message: '"policy_violations=urgent" must be policy_violations=low|medium|high|critical|off',
    });
  });

  it("is read from the environment, and a bad value stops start-up naming the variable", () => {
    expect(parseConfig({ MONITOR_RULE_SEVERITY: "account_locked=high" }).MONITOR_RULE_SEVERITY).toEqual({ account_locked: "high" });
    expect(parseConfig({}).MONITOR_RULE_SEVERITY).toEqual({});
    expect(() => parseConfig({ MONITOR_RULE_SEVERITY: "account_locked" })).toThrow(ConfigError);
  });

  it("names rules as a person reads them", () => {
    expect(ruleTitle("suspicious_ip_changes")).toBe("Used from several places");
    expect(ruleTitle("some_future_rule")).toBe("some future rule");
  });
});
