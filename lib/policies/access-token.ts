import type { SessionPolicy } from "./types";
import { DAY_MS, MINUTE_MS } from "@/lib/time";

/**
 * Personal access tokens: `api` sessions with auth_method `access_token`. Pure and edge-safe. The api policy applies
 * with two changes the owner chose when creating the token: the absolute limit is the token's own expiry (at most
 * 90 days), and there is no idle limit (automation runs weekly or monthly). Nothing extends it.
 */

export const ACCESS_TOKEN_METHOD = "access_token";
export const ACCESS_TOKEN_MAX_DAYS = 90;
export const ACCESS_TOKEN_EXPIRY_CHOICES = [7, 30, 60, 90] as const;

export function accessTokenPolicy(apiPolicy: SessionPolicy, token: { createdAt: number; expiresAt: number }): SessionPolicy {
  const lifetimeMinutes = Math.max(1, Math.ceil((token.expiresAt - token.createdAt) / MINUTE_MS));
  return {
    ...apiPolicy,
    maxDurationMinutes: lifetimeMinutes,
    // The idle limit equals the lifetime: it can never fire before the absolute limit does.
    idleTimeoutMinutes: lifetimeMinutes,
    extendOnActivity: false,
    forceReauthAfterMinutes: null,
    rememberMe: null,
  };
}

/** The expiry of a token created now for this many days (never past the maximum). */
export function accessTokenExpiry(now: Date, days: number): Date {
  return new Date(now.getTime() + Math.min(days, ACCESS_TOKEN_MAX_DAYS) * DAY_MS);
}
