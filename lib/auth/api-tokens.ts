import "server-only";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/app-error";
import type { Database } from "@/lib/db/client";
import { policyOverrides, users, type AuthSession } from "@/lib/db/schema";
import { afterSignIn } from "./after-sign-in";
import { recordEvent } from "@/lib/monitor/events";
import { secondFactorOwed } from "@/lib/policies/second-factor";
import { formatApiToken } from "@/lib/sessions/api-token";
import { endSessions } from "@/lib/sessions/end-sessions";
import { policyFor } from "@/lib/sessions/session-policy";
import { createAuthSession, evictBeyondLimit, parseOverride } from "@/lib/sessions/store";
import { attemptOf, checkSecondFactor, recordSecondFactorSuccess } from "./second-step";
import { checkPassword } from "./sign-in";
import { throttleAddress } from "./throttle-gate";
import { metrics } from "@/lib/metrics/registry";

/**
 * API sessions (kind `api`): issued for a username, password and — when the account has one, or its policy needs
 * one — the authenticator code, through the same password gate and second-step gate as the sign-in form. Errors are
 * AppErrors: 401 `unauthorized` (generic), 401 `mfa_required`, 429 `rate_limited` with Retry-After.
 */

export type TokenRequest = { username: string; password: string; otp?: string; ip: string | null; userAgent: string | null; now: Date };
export type IssuedToken = { token: string; session: AuthSession };

const GENERIC = "Invalid username or password";

export async function issueApiToken(db: Database, request: TokenRequest): Promise<IssuedToken> {
  const { ip, userAgent, now } = request;
  const checked = await checkPassword(db, { ...request, clientIp: ip });
  metrics().signIns.inc({ method: "api_token", outcome: checked.ok ? "ok" : checked.throttled ? "throttled" : "failed" });
  if (!checked.ok) {
    if (checked.throttled) throw AppError.rateLimited(checked.throttled.message, checked.throttled.retryAfterSeconds);
    throw new AppError("unauthorized", GENERIC, 401);
  }
  const { user } = checked;
  const [overrideRow] = await db
    .select({ policy: policyOverrides.policy })
    .from(policyOverrides)
    .where(eq(policyOverrides.userId, user.id));
  const override = parseOverride(overrideRow?.policy);
  // The account's own kind decides whether a second factor is owed (an administrator's token needs one too).
  const accountPolicy = policyFor(user.role === "admin" ? "admin" : "authenticated", override);
  const owed = secondFactorOwed(accountPolicy, { signedIn: true, verified: false, hasFactor: user.mfaEnabledAt !== null });
  if (owed === "enrol") {
    throw new AppError("mfa_required", "Set up two-step verification in the browser first: this account needs a second factor.", 403);
  }
  if (owed === "verify") {
    if (!request.otp)
      throw new AppError("mfa_required", "This account uses two-step verification: send the authenticator app's code as `otp`.", 401);
    const proof = await checkSecondFactor(
      db,
      attemptOf({ userId: user.id, username: user.username, sessionId: "", policy: accountPolicy, ip, userAgent, now }),
      { factor: "totp", code: request.otp },
      "second_factor",
    );
    if (!proof.ok) {
      if (proof.reason === "throttled") throw AppError.rateLimited(proof.message, proof.retryAfterSeconds ?? 60);
      throw new AppError("unauthorized", "That authenticator code is not right, or was already used.", 401);
    }
  }

  const policy = policyFor("api", override);
  const issued = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
    const { session, token } = await createAuthSession(tx, {
      userId: user.id,
      kind: "api",
      policy,
      rememberMe: false,
      authMethod: owed ? "password+totp" : "password",
      mfaVerifiedAt: owed ? now : null,
      clientIp: ip,
      userAgent,
      now,
    });
    await evictBeyondLimit(tx, { userId: user.id, limit: policy.maxConcurrentSessions, keep: session.id, now, ip, userAgent, api: true });
    await recordEvent(
      tx,
      "login_succeeded",
      {
        userId: user.id,
        authSessionId: session.id,
        subject: user.username,
        ip: throttleAddress(ip),
        userAgent,
        at: now,
        details: { method: session.authMethod, api: true },
      },
      { essential: true },
    );
    await recordEvent(tx, "session_created", {
      userId: user.id,
      authSessionId: session.id,
      ip,
      userAgent,
      at: now,
      details: { kind: "api" },
    });
    // The code was right: this also starts the second step's failure count again.
    if (owed) await recordSecondFactorSuccess(tx, { userId: user.id, sessionId: session.id, ip, userAgent, now }, "totp", "api_token");
    return { session, token: formatApiToken(session.id, token) };
  });
  await afterSignIn(db, user.id, now);
  return issued;
}

/** Revokes the API session that presented its token (reason `logout`). */
export async function revokeApiToken(
  db: Database,
  session: Pick<AuthSession, "id" | "kind">,
  context: { ip: string | null; userAgent: string | null; now: Date },
) {
  if (session.kind !== "api") throw AppError.invalid("Only an API token can be revoked here: sign out of a browser with POST /logout.");
  await db.transaction((tx) => endSessions(tx, { ids: [session.id] }, "logout", context));
}
