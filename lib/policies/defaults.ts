import type { SessionKind, SessionPolicy } from "./types";

const HOUR = 60;
const DAY = 24 * HOUR;

const REMEMBER_ME = { maxDurationMinutes: 30 * DAY, idleTimeoutMinutes: 7 * DAY };

/** The defaults table of DESIGN.md (the seed's SessionPolicyManager values, with our binding and remember-me). */
export const DEFAULT_POLICIES: Readonly<Record<SessionKind, SessionPolicy>> = {
  anonymous: {
    name: "anonymous",
    securityLevel: "low",
    maxDurationMinutes: 2 * HOUR,
    idleTimeoutMinutes: 30,
    maxConcurrentSessions: 3,
    ipBinding: "off",
    userAgentBinding: false,
    extendOnActivity: true,
    forceReauthAfterMinutes: null,
    requireMfa: false,
    allowedCountries: null,
    rememberMe: null,
  },
  authenticated: {
    name: "authenticated",
    securityLevel: "medium",
    maxDurationMinutes: 8 * HOUR,
    idleTimeoutMinutes: 60,
    maxConcurrentSessions: 5,
    ipBinding: "subnet",
    userAgentBinding: false,
    extendOnActivity: true,
    forceReauthAfterMinutes: 24 * HOUR,
    requireMfa: false,
    allowedCountries: null,
    rememberMe: REMEMBER_ME,
  },
  sso: {
    name: "sso",
    securityLevel: "medium",
    maxDurationMinutes: 4 * HOUR,
    idleTimeoutMinutes: 45,
    maxConcurrentSessions: 3,
    ipBinding: "subnet",
    userAgentBinding: true,
    extendOnActivity: true,
    forceReauthAfterMinutes: 12 * HOUR,
    requireMfa: false,
    allowedCountries: null,
    rememberMe: REMEMBER_ME,
  },
  admin: {
    name: "admin",
    securityLevel: "high",
    maxDurationMinutes: 2 * HOUR,
    idleTimeoutMinutes: 15,
    maxConcurrentSessions: 2,
    ipBinding: "exact",
    userAgentBinding: true,
    extendOnActivity: false,
    forceReauthAfterMinutes: 4 * HOUR,
    requireMfa: true,
    allowedCountries: null,
    // Administrators do not get long-lived sessions.
    rememberMe: null,
  },
  api: {
    name: "api",
    securityLevel: "high",
    maxDurationMinutes: 1 * HOUR,
    idleTimeoutMinutes: 30,
    maxConcurrentSessions: 10,
    ipBinding: "off",
    userAgentBinding: false,
    extendOnActivity: false,
    forceReauthAfterMinutes: null,
    requireMfa: false,
    allowedCountries: null,
    rememberMe: null,
  },
};
