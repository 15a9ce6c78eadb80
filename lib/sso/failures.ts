/**
 * Why an SSO sign-in failed: a closed list, each with what the person is told (on the sign-in page, via
 * `/login?sso=<reason>`) and recorded as `sso_failed` with the reason. Pure.
 */
export const ssoFailureReasons = [
  "not_configured",
  "idp_unreachable",
  "expired",
  "state_mismatch",
  "nonce_mismatch",
  "replayed",
  "access_denied",
  "invalid_response",
  "email_unverified",
  "domain_not_allowed",
  "email_taken",
  "already_linked",
  "link_requires_sign_in",
  "wrong_account",
  "account_disabled",
] as const;
export type SsoFailureReason = (typeof ssoFailureReasons)[number];

export const SSO_FAILURE_MESSAGES: Record<SsoFailureReason, string> = {
  not_configured: "Single sign-on is not set up here.",
  idp_unreachable: "We could not reach the sign-in service. Please try again in a moment.",
  expired: "That sign-in took too long or was already finished. Please start again.",
  state_mismatch: "That sign-in could not be matched to this browser, so it was refused. Please start again.",
  nonce_mismatch: "The sign-in service's answer did not match this sign-in, so it was refused. Please start again.",
  replayed: "That sign-in link was already used. Please start again.",
  access_denied: "The sign-in was cancelled at the sign-in service, so you are not signed in.",
  invalid_response: "The sign-in service sent an answer we could not accept. Please try again.",
  email_unverified: "Your email address is not verified at the sign-in service, so we cannot create an account for it.",
  domain_not_allowed: "Accounts cannot be created here for your email domain. Ask an administrator for access.",
  email_taken:
    "An account here already uses that email address. Sign in with it and link single sign-on from your account page (we never link accounts by email alone).",
  already_linked: "That sign-in service account is already linked to another account here.",
  link_requires_sign_in: "Sign in (within the last 15 minutes) before linking single sign-on to your account.",
  wrong_account: "That is not the single sign-on account linked to you. Sign in there as yourself and try again.",
  account_disabled: "This account has been disabled. Contact an administrator if you think this is a mistake.",
};

export function isSsoFailureReason(value: string | null | undefined): value is SsoFailureReason {
  return typeof value === "string" && (ssoFailureReasons as readonly string[]).includes(value);
}

/** An SSO step that failed for a reason the person is told about (thrown inside lib/sso, caught by the routes). */
export class SsoFailure extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    /** For the log and the event, never for the person: e.g. the provider's error code. */
    readonly detail?: string,
  ) {
    super(`SSO failed: ${reason}${detail ? ` (${detail})` : ""}`);
    this.name = "SsoFailure";
  }
}
