import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { SsoConfig } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { identities, users, type Identity, type User } from "@/lib/db/schema";
import { hasAnyWay, signInWays } from "@/lib/auth/sign-in-ways";
import { recordEvent } from "@/lib/monitor/events";
import { domainAllowed, usernameCandidate, type SsoClaims } from "./claims";
import { SsoFailure } from "./failures";

/**
 * SSO identities (the identities table's owner): which user an (issuer, subject) signs in as. A first sign-in
 * creates an account only for a verified email in an allowed domain that no account uses yet; an existing account
 * is linked only by its owner, from /account while signed in — never by matching emails.
 */

export async function findIdentity(tx: Queryable, claims: Pick<SsoClaims, "iss" | "sub">): Promise<Identity | undefined> {
  const [identity] = await tx
    .select()
    .from(identities)
    .where(and(eq(identities.issuer, claims.iss), eq(identities.subject, claims.sub)))
    .for("update");
  return identity;
}

async function touchIdentity(tx: Queryable, identity: Identity, claims: SsoClaims, now: Date): Promise<void> {
  await tx
    .update(identities)
    .set({ lastSignInAt: now, email: claims.email ?? identity.email })
    .where(eq(identities.id, identity.id));
}

/** A free username: the candidate, else the candidate with a number. */
async function freeUsername(tx: Queryable, claims: SsoClaims): Promise<string> {
  const base = usernameCandidate(claims);
  for (let n = 0; n < 50; n++) {
    const name = n === 0 ? base : `${base.slice(0, 28)}-${n + 1}`;
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${name})`);
    if (!taken) return name;
  }
  return `${base.slice(0, 20)}-${crypto.randomUUID().slice(0, 8)}`;
}

function isAdminByGroup(claims: SsoClaims, config: SsoConfig): boolean {
  return config.adminGroup !== null && (claims.groups ?? []).includes(config.adminGroup);
}

/** The user an SSO sign-in is for (created at the first one when allowed), in the caller's transaction. */
export async function userForSsoSignIn(
  tx: Queryable,
  claims: SsoClaims,
  config: SsoConfig,
  now: Date,
): Promise<{ user: User; identity: Identity; created: boolean }> {
  const existing = await findIdentity(tx, claims);
  if (existing) {
    const [user] = await tx.select().from(users).where(eq(users.id, existing.userId)).for("update");
    if (!user) throw new SsoFailure("invalid_response", "identity without user");
    if (user.disabledAt) throw new SsoFailure("account_disabled");
    await touchIdentity(tx, existing, claims, now);
    // The provider's group makes an administrator; taking the role away stays an administrator's decision here.
    if (isAdminByGroup(claims, config) && user.role !== "admin") {
      const [promoted] = await tx.update(users).set({ role: "admin", updatedAt: now }).where(eq(users.id, user.id)).returning();
      await recordEvent(tx, "user_role_changed", {
        subject: user.username,
        at: now,
        details: { from: user.role, to: "admin", by: "sso_group", group: config.adminGroup },
      });
      return { user: promoted ?? user, identity: existing, created: false };
    }
    return { user, identity: existing, created: false };
  }

  if (!claims.email || claims.email_verified !== true) throw new SsoFailure("email_unverified");
  if (!domainAllowed(claims.email, config.allowedDomains)) throw new SsoFailure("domain_not_allowed", claims.email.split("@")[1]);
  const [sameEmail] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${claims.email})`);
  if (sameEmail) throw new SsoFailure("email_taken");

  const role = isAdminByGroup(claims, config) ? "admin" : "user";
  const [user] = await tx
    .insert(users)
    .values({ username: await freeUsername(tx, claims), passwordHash: null, email: claims.email, role, createdAt: now, updatedAt: now })
    .returning();
  if (!user) throw new Error("user insert returned no row");
  const [identity] = await tx
    .insert(identities)
    .values({ userId: user.id, issuer: claims.iss, subject: claims.sub, email: claims.email, createdAt: now, lastSignInAt: now })
    .returning();
  if (!identity) throw new Error("identity insert returned no row");
  await recordEvent(tx, "user_created", {
    userId: user.id,
    subject: user.username,
    at: now,
    details: { role, by: "sso", issuer: claims.iss },
  });
  return { user, identity, created: true };
}

/** Links the provider account to a signed-in user (their explicit request from /account). */
export async function linkIdentity(
  tx: Queryable,
  userId: string,
  claims: SsoClaims,
  context: { now: Date; ip: string | null; userAgent: string | null; sessionId: string },
): Promise<Identity> {
  const existing = await findIdentity(tx, claims);
  if (existing && existing.userId !== userId) throw new SsoFailure("already_linked");
  if (existing) return existing;
  const [identity] = await tx
    .insert(identities)
    .values({ userId, issuer: claims.iss, subject: claims.sub, email: claims.email ?? null, createdAt: context.now })
    .returning();
  if (!identity) throw new Error("identity insert returned no row");
  await recordEvent(tx, "sso_linked", {
    userId,
    authSessionId: context.sessionId,
    ip: context.ip,
    userAgent: context.userAgent,
    at: context.now,
    details: { issuer: claims.iss, identityId: identity.id },
  });
  return identity;
}

export type UnlinkResult = { ok: true } | { ok: false; message: string };

export async function unlinkIdentity(
  tx: Queryable,
  userId: string,
  identityId: string,
  context: { now: Date; ip: string | null; userAgent: string | null; sessionId: string },
): Promise<UnlinkResult> {
  const ways = await signInWays(tx, userId);
  const [identity] = await tx
    .select()
    .from(identities)
    .where(and(eq(identities.id, identityId), eq(identities.userId, userId)));
  if (!identity) return { ok: false, message: "That sign-in was already removed." };
  if (!hasAnyWay({ ...ways, identities: ways.identities - 1 })) {
    return { ok: false, message: "This is your only way to sign in: add a passkey first (or ask an administrator to set a password)." };
  }
  await tx.delete(identities).where(eq(identities.id, identity.id));
  await recordEvent(tx, "sso_unlinked", {
    userId,
    authSessionId: context.sessionId,
    ip: context.ip,
    userAgent: context.userAgent,
    at: context.now,
    details: { issuer: identity.issuer, identityId: identity.id },
  });
  return { ok: true };
}

export async function listIdentities(
  db: Queryable,
  userId: string,
): Promise<Pick<Identity, "id" | "issuer" | "email" | "createdAt" | "lastSignInAt">[]> {
  return db
    .select({
      id: identities.id,
      issuer: identities.issuer,
      email: identities.email,
      createdAt: identities.createdAt,
      lastSignInAt: identities.lastSignInAt,
    })
    .from(identities)
    .where(eq(identities.userId, userId))
    .orderBy(identities.createdAt);
}
