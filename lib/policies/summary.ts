import { allPolicies, type PolicySettings } from "./resolve";
import type { SessionKind } from "./types";

const hours = (minutes: number | null) => (minutes === null ? null : Math.round((minutes / 60) * 100) / 100);

/** What GET /api/session/policies reports: enforcement, default level, every policy in force, override count. */
export function policySummary(settings: PolicySettings, userOverrides: number) {
  const policies = allPolicies(settings);
  return {
    enforcementEnabled: settings.enforce,
    defaultSecurityLevel: settings.defaultSecurityLevel,
    userOverrides,
    policies: Object.fromEntries(
      Object.entries(policies).map(([kind, p]) => [
        kind as SessionKind,
        {
          securityLevel: p.securityLevel,
          maxDurationHours: hours(p.maxDurationMinutes),
          idleTimeoutMinutes: p.idleTimeoutMinutes,
          maxConcurrentSessions: p.maxConcurrentSessions,
          ipBinding: p.ipBinding,
          userAgentBinding: p.userAgentBinding,
          extendsOnActivity: p.extendOnActivity,
          forceReauthHours: hours(p.forceReauthAfterMinutes),
          requiresMfa: p.requireMfa,
          allowedCountries: p.allowedCountries,
          rememberMe: p.rememberMe
            ? { maxDurationHours: hours(p.rememberMe.maxDurationMinutes), idleTimeoutHours: hours(p.rememberMe.idleTimeoutMinutes) }
            : null,
        },
      ]),
    ),
  };
}
