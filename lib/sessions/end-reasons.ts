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
  idp_logout: "You signed out at your organisation's sign-in service, so this session ended too.",
};

/** Plain-words explanations for `/login?reason=…[&after=minutes]`. Unknown reasons show nothing, never the input. */
const OTHER_REASONS: Record<string, string> = {
  ...ENDING_MESSAGES,
  signed_out: ENDING_MESSAGES.logout,
  session_ended: "Your session has ended. Please sign in again.",
  mfa_expired: "Two-step verification was not finished in time. Please sign in again.",
};

/** The sentence for a session that ended for a reason other than a policy violation. */
export function endingMessage(reason: Exclude<EndReason, Violation>): string {
  return ENDING_MESSAGES[reason];
}

/**
 * Why the last session in this browser ended, kept in a small cookie of its own after the session cookie is
 * cleared, so later requests (an API polled again, a reload) still say why instead of a bare "sign in".
 * The value is `reason` or `reason:minutes`; anything else reads as nothing.
 */
export function endedCookieValue(reason: EndReason, limitMinutes: number | null): string {
  return limitMinutes ? `${reason}:${limitMinutes}` : reason;
}

export function parseEndedCookie(value: string | null | undefined): { reason: string; after: string | null; message: string } | null {
  const match = value ? /^([a-z_]{1,40})(?::(\d{1,6}))?$/.exec(value) : null;
  if (!match) return null;
  const message = endReasonMessage(match[1], match[2]);
  return message ? { reason: match[1]!, after: match[2] ?? null, message } : null;
}

/** `/login` saying why, from the ended cookie's parts. */
export function loginUrlForEnding(reason: string, after: string | null, next?: string | null): string {
  const params = new URLSearchParams({ reason });
  if (after) params.set("after", after);
  if (next) params.set("next", next);
  return `/login?${params.toString()}`;
}

export function endReasonMessage(reason: string | null | undefined, afterMinutes?: string | null): string | null {
  if (!reason) return null;
  if (isViolation(reason)) {
    const minutes = afterMinutes && /^\d{1,6}$/.test(afterMinutes) ? Number(afterMinutes) : null;
    return violationMessage(reason, minutes && minutes > 0 ? minutes : null);
  }
  return Object.hasOwn(OTHER_REASONS, reason) ? (OTHER_REASONS[reason] ?? null) : null;
}

export function loginUrlForViolation(violation: Violation, limitMinutes: number | null, next?: string | null): string {
  return loginUrlForEnding(violation, limitMinutes ? String(limitMinutes) : null, next);
}
