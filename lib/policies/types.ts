/** Session policy types. Pure: imported by edge middleware and Node code alike. */

export const sessionKinds = ["anonymous", "authenticated", "sso", "admin", "api"] as const;
export type SessionKind = (typeof sessionKinds)[number];

export const securityLevels = ["low", "medium", "high", "critical"] as const;
export type SecurityLevel = (typeof securityLevels)[number];

export const ipBindings = ["exact", "subnet", "off"] as const;
export type IpBinding = (typeof ipBindings)[number];

export type RememberMeLifetime = { maxDurationMinutes: number; idleTimeoutMinutes: number };

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
  /** Remember-me sessions live by these instead of the normal limits (as Keycloak does); null = not offered. */
  rememberMe: RememberMeLifetime | null;
};

/** What is known about a session, from the cookie (edge) or the database row (DAL). Times in ms since epoch. */
export type SessionFacts = {
  kind: SessionKind;
  createdAt: number;
  lastActivityAt: number;
  /** When the person last proved who they are (sign-in or step-up); null for anonymous sessions. */
  authenticatedAt: number | null;
  rememberMe: boolean;
  /** Client IP when the session was created. */
  ip: string | null;
  /** Browser family / major version / OS when the session was created (see user-agent.ts). */
  userAgentFingerprint: string | null;
  /** A second factor is owed and not yet given (see second-factor.ts): the session is held, not ended. */
  mfaPending: boolean;
};

export type RequestFacts = {
  ip: string | null;
  userAgent: string | null;
  /** ISO country code from the trusted geo header, upper case; null when unknown. */
  country: string | null;
};

export const violations = [
  "absolute_timeout",
  "reauth_required",
  "idle_timeout",
  "mfa_pending",
  "ip_changed",
  "user_agent_changed",
  "country_not_allowed",
] as const;
export type Violation = (typeof violations)[number];

/** Every reason a session can end (auth_sessions.revoke_reason, checked by the database): a closed list. */
export const endReasons = [
  ...violations,
  "logout",
  "superseded",
  "upgraded",
  "rotated",
  "concurrency_limit",
  "password_changed",
  "role_changed",
  "user_disabled",
  "user_deleted",
  "admin_forced",
  "admin_criteria",
  "revoked_by_user",
  "reported_not_me",
  "expired",
  "orphaned",
  "suspicious",
  "anonymous_limit",
  // The identity provider signed the person out (OpenID Connect back-channel logout).
  "idp_logout",
] as const;
export type EndReason = (typeof endReasons)[number];

export function isViolation(reason: string | null | undefined): reason is Violation {
  return typeof reason === "string" && (violations as readonly string[]).includes(reason);
}

export type PolicyDecision = { ok: true } | { ok: false; violation: Violation; message: string };
