import type { SessionPolicy } from "./types";

/**
 * Whether a signed-in session still owes its second factor, and what the person must do about it. Pure and
 * edge-safe: middleware judges it from the cookie, the DAL from the database.
 *
 * A session owes it when it has not verified one and either its policy requires MFA (administrators) or the account
 * has a second factor (anyone who enrolled one is asked for it). An account without any factor under a policy that
 * requires one must enrol before it may do anything else.
 */

export type SecondFactorStep = "verify" | "enrol";

export function secondFactorOwed(
  policy: Pick<SessionPolicy, "requireMfa">,
  session: { signedIn: boolean; verified: boolean; hasFactor: boolean },
): SecondFactorStep | null {
  if (!session.signedIn || session.verified) return null;
  if (session.hasFactor) return "verify";
  return policy.requireMfa ? "enrol" : null;
}

/** Where each step happens: the only pages (besides sign-out) a session owing its second factor may open. */
export const SECOND_FACTOR_PAGES: Record<SecondFactorStep, string> = {
  verify: "/login/verify",
  enrol: "/account/security",
};

const ALWAYS_ALLOWED = ["/logout"];

export function allowedWhileOwed(step: SecondFactorStep, pathname: string): boolean {
  return pathname === SECOND_FACTOR_PAGES[step] || ALWAYS_ALLOWED.includes(pathname);
}

/** The step's page, returning to `next` afterwards. */
export function secondFactorUrl(step: SecondFactorStep, next: string): string {
  const page = SECOND_FACTOR_PAGES[step];
  return next && next !== page ? `${page}?next=${encodeURIComponent(next)}` : page;
}

/** How long a session waits for its second factor after the password before it must start again. */
export const SECOND_FACTOR_WINDOW_MINUTES = 15;

export const SECOND_FACTOR_MESSAGE: Record<SecondFactorStep, string> = {
  verify: "Finish two-step verification to continue.",
  enrol: "Set up two-step verification to continue: administrator accounts need a second factor.",
};
