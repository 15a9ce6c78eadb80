import { violationMessage } from "@/lib/policies/messages";
import { isViolation, type EndReason, type Violation } from "@/lib/policies/types";

/** What a person is told for every other way a session ends (a missing reason fails to compile). */
const ENDING_MESSAGES: Record<Exclude<EndReason, Violation>, string> = {
  logout: "You have been signed out.",
  superseded: "You signed in again, so the earlier session in this browser ended.",
  upgraded: "Your visitor session became your signed-in session.",
  rotated: "This session was renewed when the account's password was confirmed. Please sign in again.",
  concurrency_limit: "You were signed out because your account is signed in on too many devices (the oldest sessions end first).",
  password_changed: "Your password was changed. Please sign in with the new one.",
  role_changed: "Your account's permissions changed. Please sign in again.",
  user_disabled: "This account has been disabled. Contact an administrator if you think this is a mistake.",
  user_deleted: "This account no longer exists.",
  admin_forced: "An administrator signed you out.",
  admin_criteria: "An administrator ended this session.",
  revoked_by_user: "This session was signed out from another of your devices.",
  reported_not_me: "This session was ended because it was reported as not yours.",
  expired: "Your session has expired. Please sign in again.",
  orphaned: "This account is no longer active.",
  suspicious: "Your session was ended as a security precaution. Please sign in again.",
  anonymous_limit: "Your visitor session has ended. Start again from the country page.",
};

/** Plain-words explanations for `/login?reason=…[&after=minutes]`. Unknown reasons show nothing, never the input. */
const OTHER_REASONS: Record<string, string> = {
  ...ENDING_MESSAGES,
  signed_out: ENDING_MESSAGES.logout,
  session_ended: "Your session has ended. Please sign in again.",
};

export function endReasonMessage(reason: string | null | undefined, afterMinutes?: string | null): string | null {
  if (!reason) return null;
  if (isViolation(reason)) {
    const minutes = afterMinutes && /^\d{1,6}$/.test(afterMinutes) ? Number(afterMinutes) : null;
    return violationMessage(reason, minutes && minutes > 0 ? minutes : null);
  }
  return Object.hasOwn(OTHER_REASONS, reason) ? (OTHER_REASONS[reason] ?? null) : null;
}

export function loginUrlForViolation(violation: Violation, limitMinutes: number | null, next?: string | null): string {
  const params = new URLSearchParams({ reason: violation });
  if (limitMinutes) params.set("after", String(limitMinutes));
  if (next) params.set("next", next);
  return `/login?${params.toString()}`;
}
