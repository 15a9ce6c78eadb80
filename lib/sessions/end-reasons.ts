import { violationMessage } from "@/lib/policies/messages";
import { isViolation, type Violation } from "@/lib/policies/types";

/** Plain-words explanations for `/login?reason=…[&after=minutes]`. Unknown reasons show nothing, never the input. */
const OTHER_REASONS: Record<string, string> = {
  signed_out: "You have been signed out.",
  session_ended: "Your session has ended. Please sign in again.",
  password_changed: "Your password was changed. Please sign in with the new one.",
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
