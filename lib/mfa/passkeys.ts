import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, eq, gt, lt } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { getConfig, isLoopbackHost } from "@/lib/config";
import type { Queryable } from "@/lib/db/client";
import { passkeys, webauthnChallenges, type Passkey, type WebauthnPurpose } from "@/lib/db/schema";
import { describeError } from "@/lib/log/describe-error";
import { MINUTE_MS } from "@/lib/time";
import { PASSKEY_NAME_MAX } from "./schemas";
import { requestLog } from "@/lib/log/request-log";

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: registration, and assertions for the second step, for step-up
 * and for signing in with a passkey alone. The relying party is APP_URL's host and origin. Each ceremony's
 * challenge is stored and taken once (deleted as it is checked), and lives five minutes.
 */

const CHALLENGE_TTL_MS = 5 * MINUTE_MS;
// ES256 and RS256: what every authenticator supports. Left to the library, Node 24 would offer experimental ML-DSA
// first, and the same device would register a different key type depending on the server's Node version.
const ALGORITHMS = [-7, -257];
const CEREMONY_TIMEOUT_MS = 2 * MINUTE_MS;

/**
 * The relying party: APP_URL's host and origin. WebAuthn takes a domain, never an address, so an app served on a
 * loopback address (development, tests) has its passkeys on `localhost`, its own name for the same machine.
 */
export function relyingParty(appOrigin = getConfig().appOrigin) {
  const url = new URL(appOrigin);
  if (isLoopbackHost(url.hostname)) url.hostname = "localhost";
  return { id: url.hostname, origin: url.origin, name: "Growbal Intelligence" };
}

async function storeChallenge(db: Queryable, challenge: string, purpose: WebauthnPurpose, userId: string | null, now: Date) {
  // Ceremonies people abandoned: cleared as new ones start, so the table stays a handful of rows.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now));
  await db.insert(webauthnChallenges).values({ challenge, purpose, userId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
}

/** The challenge a browser answered, read from its clientDataJSON (only a hint until the signature is checked). */
function answeredChallenge(clientDataJSON: string): string | null {
  try {
    const parsed = z
      .object({ challenge: z.string().max(512) })
      .safeParse(JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")));
    return parsed.success ? parsed.data.challenge : null;
  } catch {
    return null;
  }
}

/** Takes the stored challenge the browser answered: true when it was issued for this purpose (and user) and is fresh. */
async function takeChallenge(db: Queryable, clientDataJSON: string, purpose: WebauthnPurpose, userId: string | null, now: Date) {
  const challenge = answeredChallenge(clientDataJSON);
  if (!challenge) return null;
  const taken = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.purpose, purpose),
        userId ? eq(webauthnChallenges.userId, userId) : undefined,
        gt(webauthnChallenges.expiresAt, now),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge });
  return taken[0]?.challenge ?? null;
}

const transportsOf = (row: Pick<Passkey, "transports">) => row.transports as AuthenticatorTransport[];

export async function passkeyRegistrationOptions(
  db: Queryable,
  user: { id: string; username: string },
  now: Date,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty();
  const existing = await db
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userID: new TextEncoder().encode(user.id),
    userDisplayName: user.username,
    attestationType: "none",
    // One passkey per authenticator: the browser says so instead of making a second.
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
    // Discoverable and verified: the same passkey signs in on its own.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    supportedAlgorithmIDs: ALGORITHMS,
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await storeChallenge(db, options.challenge, "register", user.id, now);
  return options;
}

/** Checks a registration the browser made and stores the passkey. Throws AppError (400) when it does not verify. */
export async function registerPasskey(
  db: Queryable,
  user: { id: string },
  response: RegistrationResponseJSON,
  name: string,
  now: Date,
): Promise<Passkey> {
  const rp = relyingParty();
  const expectedChallenge = await takeChallenge(db, response.response.clientDataJSON, "register", user.id, now);
  if (!expectedChallenge) throw AppError.invalid("That passkey request expired. Please try again.");
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (error) {
    (await requestLog()).warn({ err: describeError(error) }, "passkey registration refused");
    throw AppError.invalid("Your device's passkey could not be verified. Please try again.");
  }
  if (!verification.verified) throw AppError.invalid("Your device's passkey could not be verified. Please try again.");
  const info = verification.registrationInfo;
  const [row] = await db
    .insert(passkeys)
    .values({
      userId: user.id,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      signCount: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: name.trim().slice(0, PASSKEY_NAME_MAX),
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw AppError.conflict("This passkey is already registered.");
  return row;
}

/** Options for an assertion: the account's passkeys when the account is known, any discoverable one for a sign-in. */
export async function passkeyAuthenticationOptions(
  db: Queryable,
  purpose: Exclude<WebauthnPurpose, "register">,
  userId: string | null,
  now: Date,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingParty();
  const allow = userId
    ? await db
        .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
        .from(passkeys)
        .where(eq(passkeys.userId, userId))
    : [];
  if (userId && allow.length === 0) throw AppError.invalid("This account has no passkey.");
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
  });
  await storeChallenge(db, options.challenge, purpose, userId, now);
  return options;
}

export type PasskeyAssertion =
  | { ok: true; userId: string; passkeyId: string }
  | { ok: false; reason: "wrong" | "expired" }
  /** The signature counter went backwards: the authenticator may have been cloned. The passkey is refused. */
  | { ok: false; reason: "counter_regressed"; userId: string; passkeyId: string; stored: number; presented: number };

/** Checks an assertion: for `userId`'s passkeys, or (sign-in) any registered passkey, which then says whose it is. */
export async function verifyPasskeyAssertion(
  db: Queryable,
  purpose: Exclude<WebauthnPurpose, "register">,
  userId: string | null,
  response: AuthenticationResponseJSON,
  now: Date,
): Promise<PasskeyAssertion> {
  const rp = relyingParty();
  const expectedChallenge = await takeChallenge(db, response.response.clientDataJSON, purpose, userId, now);
  if (!expectedChallenge) return { ok: false, reason: "expired" };
  const [row] = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.credentialId, response.id), userId ? eq(passkeys.userId, userId) : undefined));
  if (!row) return { ok: false, reason: "wrong" };
  const credential = {
    id: row.credentialId,
    publicKey: new Uint8Array(Buffer.from(row.publicKey, "base64url")),
    counter: row.signCount,
    transports: transportsOf(row),
  };
  const verify = (counter: number) =>
    verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { ...credential, counter },
      // A passkey standing alone (sign-in) or in place of the password (step-up) must have verified the person; as
      // the second step after a password, possession is the factor.
      requireUserVerification: purpose !== "second_factor",
    });
  let verification;
  try {
    verification = await verify(row.signCount);
  } catch (error) {
    const presented = counterOf(response);
    if (presented !== null && (presented > 0 || row.signCount > 0) && presented <= row.signCount) {
      // The library refuses a low counter before it looks at the signature: a regression is only reported (and
      // alerted on) when the passkey's own key really signed it, so a forged request cannot raise the alarm.
      const signed = await verify(0).then(
        (v) => v.verified,
        () => false,
      );
      if (signed)
        return { ok: false, reason: "counter_regressed", userId: row.userId, passkeyId: row.id, stored: row.signCount, presented };
    }
    (await requestLog()).warn({ err: describeError(error) }, "passkey assertion refused");
    return { ok: false, reason: "wrong" };
  }
  if (!verification.verified) return { ok: false, reason: "wrong" };
  await db
    .update(passkeys)
    .set({
      signCount: verification.authenticationInfo.newCounter,
      backedUp: verification.authenticationInfo.credentialBackedUp,
      lastUsedAt: now,
    })
    .where(eq(passkeys.id, row.id));
  return { ok: true, userId: row.userId, passkeyId: row.id };
}

/** The signature counter in an assertion's authenticator data (bytes 33–36), or null when it cannot be read. */
function counterOf(response: AuthenticationResponseJSON): number | null {
  try {
    const data = Buffer.from(response.response.authenticatorData, "base64url");
    return data.length >= 37 ? data.readUInt32BE(33) : null;
  } catch {
    return null;
  }
}

export async function renamePasskey(db: Queryable, userId: string, passkeyId: string, name: string): Promise<boolean> {
  const renamed = await db
    .update(passkeys)
    .set({ name: name.trim().slice(0, PASSKEY_NAME_MAX) })
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  return renamed.length > 0;
}

export async function removePasskey(db: Queryable, userId: string, passkeyId: string): Promise<Pick<Passkey, "id" | "name"> | null> {
  const [removed] = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id, name: passkeys.name });
  return removed ?? null;
}
