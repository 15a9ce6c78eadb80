import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SsoConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { identities, users } from "@/lib/db/schema";
import { linkIdentity, unlinkIdentity, userForSsoSignIn } from "@/lib/sso/accounts";
import type { SsoClaims } from "@/lib/sso/claims";
import { SsoFailure } from "@/lib/sso/failures";
import { makeUser } from "./support";

const NOW = new Date("2026-12-03T12:00:00Z");
const ISSUER = "https://login.example.com";
const config: SsoConfig = {
  issuer: ISSUER,
  clientId: "growbal",
  clientSecret: "secret-secret",
  displayName: "Example",
  allowedDomains: ["example.com"],
  adminGroup: "growbal-admins",
};
const context = { now: NOW, ip: "203.0.113.5", userAgent: "test", sessionId: crypto.randomUUID() };

function claimsFor(overrides: Partial<SsoClaims> = {}): SsoClaims {
  const id = randomBytes(4).toString("hex");
  return { iss: ISSUER, sub: `sub-${id}`, iat: NOW.getTime() / 1000, email: `p${id}@example.com`, email_verified: true, ...overrides };
}

const signIn = (claims: SsoClaims) => getDb().transaction((tx) => userForSsoSignIn(tx, claims, config, NOW));

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SsoFailure) return error.reason;
    throw error;
  }
  return "none";
}

describe("SSO accounts", () => {
  it("creates an account at the first sign-in (no password) and finds the same one afterwards", async () => {
    const claims = claimsFor({ preferred_username: "Ada" });
    const first = await signIn(claims);
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({ passwordHash: null, email: claims.email, role: "user" });
    const again = await signIn({ ...claims, email: "changed@example.com" });
    expect(again).toMatchObject({ created: false, user: { id: first.user.id } });
    const [identity] = await getDb().select().from(identities).where(eq(identities.userId, first.user.id));
    expect(identity).toMatchObject({ issuer: ISSUER, subject: claims.sub, email: "changed@example.com", lastSignInAt: NOW });
  });

  it("creates nothing for an unverified email, a domain not allowed, or an email an account already has", async () => {
    const before = (await getDb().select({ id: users.id }).from(users)).length;
    expect(await failureOf(signIn(claimsFor({ email_verified: false })))).toBe("email_unverified");
    expect(await failureOf(signIn(claimsFor({ email: undefined })))).toBe("email_unverified");
    expect(await failureOf(signIn(claimsFor({ email: "mallory@elsewhere.test" })))).toBe("domain_not_allowed");
    // Never linked by email: an account that has it must link SSO itself.
    const owner = await makeUser();
    await getDb().update(users).set({ email: "Owner.Email@example.com" }).where(eq(users.id, owner.id));
    expect(await failureOf(signIn(claimsFor({ email: "owner.email@EXAMPLE.com" })))).toBe("email_taken");
    expect((await getDb().select({ id: users.id }).from(users)).length).toBe(before + 1);
  });

  it("makes members of the admin group administrators, and refuses a disabled account", async () => {
    const admin = await signIn(claimsFor({ groups: ["growbal-admins"] }));
    expect(admin.user.role).toBe("admin");
    const person = claimsFor();
    const created = await signIn(person);
    expect(created.user.role).toBe("user");
    expect((await signIn({ ...person, groups: ["growbal-admins"] })).user.role).toBe("admin");
    await getDb().update(users).set({ disabledAt: NOW }).where(eq(users.id, created.user.id));
    expect(await failureOf(signIn(person))).toBe("account_disabled");
  });

  it("links only for the signed-in owner, once, and never removes the last way to sign in", async () => {
    const withPassword = await makeUser();
    const claims = claimsFor();
    const linked = await getDb().transaction((tx) => linkIdentity(tx, withPassword.id, claims, context));
    expect((await signIn(claims)).user.id).toBe(withPassword.id);
    const other = await makeUser();
    expect(await failureOf(getDb().transaction((tx) => linkIdentity(tx, other.id, claims, context)))).toBe("already_linked");
    // A password remains: the link may go.
    expect(await getDb().transaction((tx) => unlinkIdentity(tx, withPassword.id, linked.id, context))).toEqual({ ok: true });

    const ssoOnly = await signIn(claimsFor());
    const refused = await getDb().transaction((tx) => unlinkIdentity(tx, ssoOnly.user.id, ssoOnly.identity.id, context));
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/only way to sign in/) });
    expect(await getDb().select().from(identities).where(eq(identities.id, ssoOnly.identity.id))).toHaveLength(1);
  });
});
