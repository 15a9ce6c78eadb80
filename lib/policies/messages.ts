import type { Violation } from "./types";

/** "60 minutes", "8 hours", "24 hours", "30 days": the unit people would say for a session limit. */
export function formatDuration(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) return plural(minutes / 1440, "day");
  if (minutes >= 120 && minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

/** What a person is told when a session ends for this reason; `limitMinutes` is the limit that was reached. */
export function violationMessage(violation: Violation, limitMinutes?: number | null): string {
  const limit = limitMinutes ? formatDuration(limitMinutes) : null;
  switch (violation) {
    case "idle_timeout":
      return limit ? `You were signed out after ${limit} of inactivity.` : "You were signed out after a period of inactivity.";
    case "absolute_timeout":
      return limit
        ? `Your session reached its maximum length of ${limit}. Please sign in again.`
        : "Your session reached its maximum length. Please sign in again.";
    case "reauth_required":
      return limit ? `For your security, please sign in again (required every ${limit}).` : "For your security, please sign in again.";
    case "ip_changed":
      return "You were signed out because your network changed. Please sign in again.";
    case "user_agent_changed":
      return "You were signed out because your browser changed. Please sign in again.";
    case "country_not_allowed":
      return "You were signed out because this account cannot be used from your current location.";
    case "mfa_pending":
      return "Please finish two-step verification to continue.";
  }
}
