import "server-only";
import { and, eq } from "drizzle-orm";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { Database } from "@/lib/db/client";
import { authSessions, identities } from "@/lib/db/schema";
import { endSessions } from "@/lib/sessions/end-sessions";
import { providerConfiguration, ssoSettings } from "./provider";

/**
 * OpenID Connect back-channel logout: the provider POSTs a signed logout token when the person signs out there;
 * the sessions it names (by `sid`, else every session of the `sub`) end at once with reason `idp_logout`.
 * The token is checked as the specification says: signature by the provider's keys, issuer, audience (us), a
 * recent `iat`, the back-channel logout event, `sub` or `sid`, and no `nonce`.
 */

const LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
const MAX_TOKEN_AGE = "5m";

let keys: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | null = null;

export class LogoutTokenRejected extends Error {
  constructor(readonly why: string) {
    super(`logout token rejected: ${why}`);
    this.name = "LogoutTokenRejected";
  }
}

async function verifyLogoutToken(token: string): Promise<JWTPayload & { sid?: string }> {
  const provider = await providerConfiguration();
  const metadata = provider.serverMetadata();
  if (!metadata.jwks_uri) throw new LogoutTokenRejected("provider has no jwks_uri");
  if (keys?.uri !== metadata.jwks_uri) keys = { uri: metadata.jwks_uri, set: createRemoteJWKSet(new URL(metadata.jwks_uri)) };
  const { payload } = await jwtVerify(token, keys.set, {
    issuer: metadata.issuer,
    audience: ssoSettings().clientId,
    maxTokenAge: MAX_TOKEN_AGE,
    clockTolerance: 60,
  }).catch((error: unknown) => {
    throw new LogoutTokenRejected((error as { code?: string }).code ?? "invalid signature or claims");
  });
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events[LOGOUT_EVENT] !== "object") throw new LogoutTokenRejected("not a logout token");
  if ("nonce" in payload) throw new LogoutTokenRejected("nonce present");
  if (typeof payload.sub !== "string" && typeof payload.sid !== "string") throw new LogoutTokenRejected("neither sub nor sid");
  return payload as JWTPayload & { sid?: string };
}

/** Ends what the logout token names; returns how many sessions ended. Throws LogoutTokenRejected for a bad token. */
export async function backchannelLogout(db: Database, token: string, now: Date): Promise<number> {
  const claims = await verifyLogoutToken(token);
  return db.transaction(async (tx) => {
    const identity = claims.sub
      ? (
          await tx
            .select({ id: identities.id })
            .from(identities)
            .where(and(eq(identities.issuer, claims.iss!), eq(identities.subject, claims.sub)))
        )[0]
      : undefined;
    if (claims.sub && !identity) return 0;
    const ended = await endSessions(
      tx,
      {
        where: and(
          identity ? eq(authSessions.ssoIdentityId, identity.id) : undefined,
          claims.sid ? eq(authSessions.idpSessionId, claims.sid) : undefined,
        ),
      },
      "idp_logout",
      { now, ip: null, userAgent: null, details: { issuer: claims.iss, sid: claims.sid ?? null } },
    );
    return ended.length;
  });
}
