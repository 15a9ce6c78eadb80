/** Session policy types. Pure: imported by edge middleware and Node code alike. */

export const sessionKinds = ["anonymous", "authenticated", "sso", "admin", "api"] as const;
export type SessionKind = (typeof sessionKinds)[number];

export const securityLevels = ["low", "medium", "high", "critical"] as const;
export type SecurityLevel = (typeof securityLevels)[number];

export type IpBinding = "exact" | "subnet" | "off";

export type SessionPolicy = {
  name: SessionKind;
  securityLevel: SecurityLevel;
  maxDurationMinutes: number;
  idleTimeoutMinutes: number;
  maxConcurrentSessions: number;
  ipBinding: IpBinding;
  userAgentBinding: boolean;
  extendOnActivity: boolean;
  /** Sign in again after this long, whatever the activity; null = never forced. */
  forceReauthAfterMinutes: number | null;
  requireMfa: boolean;
  /** ISO 3166-1 alpha-2 codes; null = anywhere. */
  allowedCountries: string[] | null;
  /** Remember-me sessions live by these instead of the 8 h rule (as Keycloak does). */
  rememberMe: { maxDurationMinutes: number; idleTimeoutMinutes: number } | null;
};
