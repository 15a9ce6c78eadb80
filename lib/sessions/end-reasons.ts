/** Plain-words explanations for `/login?reason=…`. Unknown reasons show nothing rather than echoing input. */
const MESSAGES: Record<string, string> = {
  signed_out: "You have been signed out.",
  session_ended: "Your session has ended. Please sign in again.",
};

export function endReasonMessage(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return Object.hasOwn(MESSAGES, reason) ? (MESSAGES[reason] ?? null) : null;
}
