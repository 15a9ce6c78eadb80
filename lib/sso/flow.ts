import "server-only";
import * as oidc from "openid-client";
import { openSignedInSession, type OpenedSession } from "@/lib/auth/sign-in";
import { throttleAddress } from "@/lib/auth/throttle-gate";
import { getConfig } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import type { User } from "@/lib/db/schema";
import { detect } from "@/lib/monitor/detect";
import { afterSignIn } from "@/lib/auth/after-sign-in";
import { recordEvent } from "@/lib/monitor/events";
import type { RequestFacts } from "@/lib/policies/types";
import type { SessionData } from "@/lib/sessions/cookie";
import { policyFor } from "@/lib/sessions/session-policy";
import { HOUR_MINUTES } from "@/lib/time";
import { describeError } from "@/lib/log/describe-error";
import { metrics } from "@/lib/metrics/registry";
import { findIdentity, linkIdentity, userForSsoSignIn } from "./accounts";
import { rotateSession } from "@/lib/sessions/rotate";
import type { AuthSession } from "@/lib/db/schema";
import type { SessionPolicy } from "@/lib/policies/types";
import { authenticatedAtFrom, ssoClaimsSchema, type SsoClaims } from "./claims";
import { SsoFailure, type SsoFailureReason } from "./failures";
import { writeFlowCookie, type SsoFlow } from "./flow-cookie";
import { providerConfiguration, reasonForExchangeError, ssoSettings } from "./provider";
import { requestLog } from "@/lib/log/request-log";

/**
 * The OpenID Connect authorization code flow with PKCE, state and nonce: `startSsoFlow` sends the browser to the
 * provider (the flow's secrets sealed in a cookie), `exchangeCallback` checks the answer and redeems the code, and
 * `signInWithSso` / `linkSso` act on the verified claims. Nothing is created unless every check passed.
 */

export const SSO_CALLBACK_PATH = "/login/sso/callback";

/** The provider must have authenticated the person within the sso policy's re-authentication period. */
export function ssoMaxAgeSeconds(): number {
  return (policyFor("sso", null).forceReauthAfterMinutes ?? 12 * HOUR_MINUTES) * 60;
}

function callbackUrl(): string {
  return `${getConfig().appOrigin}${SSO_CALLBACK_PATH}`;
}

export async function startSsoFlow(input: Omit<SsoFlow, "state" | "nonce" | "verifier">): Promise<URL> {
  const provider = await providerConfiguration();
  const verifier = oidc.randomPKCECodeVerifier();
  const flow: SsoFlow = { ...input, state: oidc.randomState(), nonce: oidc.randomNonce(), verifier };
  await writeFlowCookie(flow);
  return oidc.buildAuthorizationUrl(provider, {
    redirect_uri: callbackUrl(),
    scope: ssoSettings().adminGroup ? "openid email profile groups" : "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
    max_age: String(ssoMaxAgeSeconds()),
    // A forced re-authentication, a step-up or a link (sensitive) asks the provider for the password again.
    ...(input.forced || input.intent !== "sign_in" ? { prompt: "login" } : {}),
  });
}

/** Redeems the code the provider sent back (at `search`, this callback's query) and returns the verified claims. */
export async function exchangeCallback(flow: SsoFlow, search: string): Promise<SsoClaims> {
  const provider = await providerConfiguration();
  const current = new URL(`${callbackUrl()}${search}`);
  const tokens = await oidc.authorizationCodeGrant(provider, current, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    maxAge: ssoMaxAgeSeconds(),
    idTokenExpected: true,
  });
  const parsed = ssoClaimsSchema.safeParse(tokens.claims());
  if (!parsed.success) throw new SsoFailure("invalid_response", "unexpected ID token claims");
  return parsed.data;
}

export type SsoSignIn = { user: User } & OpenedSession;

/** The verified claims become a session of kind `sso` (an administrator's: `admin`), owing a second factor if any. */
export async function signInWithSso(
  db: Database,
  input: { claims: SsoClaims; previous: SessionData | null; rememberMe: boolean; facts: RequestFacts; now: Date },
): Promise<SsoSignIn> {
  const { claims, facts, now } = input;
  const config = ssoSettings();
  const signedIn = await db.transaction(async (tx) => {
    const { user, identity } = await userForSsoSignIn(tx, claims, config, now);
    const opened = await openSignedInSession(tx, {
      user,
      previous: input.previous,
      rememberMe: input.rememberMe,
      ip: facts.ip,
      userAgent: facts.userAgent,
      now,
      method: "sso",
      sso: {
        identityId: identity.id,
        idpSessionId: claims.sid ?? null,
        authenticatedAt: new Date(authenticatedAtFrom(claims, now.getTime())),
      },
    });
    return { user, ...opened };
  });
  if (signedIn.secondFactor === null) await afterSignIn(db, signedIn.user.id, now);
  metrics().signIns.inc({ method: "sso", outcome: "ok" });
  return signedIn;
}

export async function linkSso(
  db: Database,
  claims: SsoClaims,
  actor: { userId: string; sessionId: string; facts: RequestFacts; now: Date },
): Promise<void> {
  await db.transaction((tx) =>
    linkIdentity(tx, actor.userId, claims, {
      now: actor.now,
      ip: actor.facts.ip,
      userAgent: actor.facts.userAgent,
      sessionId: actor.sessionId,
    }),
  );
}

/**
 * Records a failed SSO sign-in (`sso_failed` with the reason) and lets the monitor count it with failed sign-ins
 * from the address. Returns the reason to show.
 */
export async function recordSsoFailure(
  db: Database,
  error: unknown,
  context: { facts: RequestFacts; now: Date; userId?: string | null },
): Promise<SsoFailureReason> {
  const { reason, detail } = reasonForExchangeError(error);
  const ip = throttleAddress(context.facts.ip);
  metrics().signIns.inc({ method: "sso", outcome: "failed" });
  try {
    await recordEvent(
      db,
      "sso_failed",
      { userId: context.userId ?? null, ip, userAgent: context.facts.userAgent, at: context.now, details: { reason, detail } },
      { essential: true },
    );
    await detect(db, { kind: "login_failed", ip }, context.now);
  } catch (recordError) {
    // The person still gets the clear page; the failure to record is logged by kind.
    (await requestLog()).error({ err: describeError(recordError) }, "sso failure not recorded");
  }
  return reason;
}

/**
 * Step-up through the provider: the person signed in there again (prompt=login) as the identity linked to them,
 * so this session is replaced by a freshly authenticated one, as a confirmed password would.
 */
export async function reauthenticateWithSso(
  db: Database,
  claims: SsoClaims,
  actor: { userId: string; sessionId: string; policy: SessionPolicy; facts: RequestFacts; now: Date },
): Promise<{ session: AuthSession; token: string }> {
  return db.transaction(async (tx) => {
    const identity = await findIdentity(tx, claims);
    if (!identity || identity.userId !== actor.userId) throw new SsoFailure("wrong_account");
    const rotated = await rotateSession(tx, {
      sessionId: actor.sessionId,
      policy: actor.policy,
      ip: actor.facts.ip,
      userAgent: actor.facts.userAgent,
      now: actor.now,
    });
    if (!rotated) throw new SsoFailure("link_requires_sign_in", "session ended");
    await recordEvent(tx, "reauthenticated", {
      userId: actor.userId,
      authSessionId: rotated.session.id,
      ip: actor.facts.ip,
      userAgent: actor.facts.userAgent,
      at: actor.now,
      details: { method: "sso" },
    });
    return rotated;
  });
}
