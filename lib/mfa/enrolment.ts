import "server-only";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { AppError } from "@/lib/app-error";
import { afterEnrolment, type ProofFailure, type Rotated, type SecondStepActor } from "@/lib/auth/second-step";
import type { Database, Transaction } from "@/lib/db/client";
import { recordEvent } from "@/lib/monitor/events";
import { factorSummary, syncSecondFactorFlag } from "./factors";
import { registerPasskey, removePasskey, renamePasskey } from "./passkeys";
import { issueRecoveryCodes, recoveryCodesLeft } from "./recovery";
import { eq } from "drizzle-orm";
import { users } from "@/lib/db/schema";
import { removeTotp, spendTotpCode } from "./totp-factor";
import { hasAnyWay, signInWays } from "@/lib/auth/sign-in-ways";

/**
 * Adding and removing second factors (callers check step-up first; a forced enrolment right after the password
 * counts as recent). The first factor brings 10 recovery codes, shown once; the last one removed takes them along.
 * Each change is recorded (`mfa_enrolled`, `mfa_removed`, `recovery_codes_issued`) in its transaction.
 */

export type EnrolmentResult =
  { ok: true; recoveryCodes: string[] | null; rotated: Rotated | null } | { ok: false; message: string; sessionEnded?: boolean };

async function finishEnrolment(
  tx: Transaction,
  actor: SecondStepActor,
  owed: boolean,
  factor: "totp" | "passkey",
  details: Record<string, unknown>,
): Promise<EnrolmentResult> {
  // The first factor (or one added after every recovery code was spent) brings a fresh set.
  const [user] = await tx.select({ mfaEnabledAt: users.mfaEnabledAt }).from(users).where(eq(users.id, actor.userId));
  const needsCodes = !user?.mfaEnabledAt || (await recoveryCodesLeft(tx, actor.userId)) === 0;
  await syncSecondFactorFlag(tx, actor.userId, actor.now);
  await recordEvent(tx, "mfa_enrolled", {
    userId: actor.userId,
    authSessionId: actor.sessionId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    at: actor.now,
    details: { factor, ...details },
  });
  const recoveryCodes = needsCodes ? await issueRecoveryCodes(tx, actor.userId, actor.now) : null;
  const after = await afterEnrolment(tx, actor, owed, factor === "totp" ? "totp_enrolment" : "passkey_enrolment");
  if (!after.ok) throw new EnrolmentAborted(after);
  return { ok: true, recoveryCodes, rotated: after.session ? after : null };
}

/** Thrown inside a transaction to roll the enrolment back when the session ended meanwhile. */
class EnrolmentAborted extends Error {
  constructor(readonly failure: ProofFailure) {
    super(failure.message);
  }
}

async function inEnrolment(db: Database, work: (tx: Transaction) => Promise<EnrolmentResult>): Promise<EnrolmentResult> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (error instanceof EnrolmentAborted) return { ok: false, message: error.failure.message, sessionEnded: true };
    throw error;
  }
}

/** Confirms the authenticator app being set up with its first code. */
export async function confirmTotpEnrolment(db: Database, actor: SecondStepActor, code: string, owed: boolean): Promise<EnrolmentResult> {
  return inEnrolment(db, async (tx) => {
    const check = await spendTotpCode(tx, actor.userId, code, actor.now, { pendingFor: actor.sessionId });
    if (!check.ok) {
      return {
        ok: false,
        message:
          check.reason === "none"
            ? "Start again: the set-up key expired or was already confirmed."
            : "That code is not right. Check that your device's clock is correct and enter the newest code.",
      };
    }
    return finishEnrolment(tx, actor, owed, "totp", {});
  });
}

/** Stores a passkey the browser just made. */
export async function addPasskey(
  db: Database,
  actor: SecondStepActor,
  response: RegistrationResponseJSON,
  name: string,
  owed: boolean,
): Promise<EnrolmentResult> {
  return inEnrolment(db, async (tx) => {
    let passkey;
    try {
      passkey = await registerPasskey(tx, { id: actor.userId }, response, name, actor.now);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
      throw error;
    }
    return finishEnrolment(tx, actor, owed, "passkey", { passkeyId: passkey.id, name: passkey.name, backedUp: passkey.backedUp });
  });
}

type RemovalResult = { ok: true } | { ok: false; message: string };

class LastFactorRefused extends Error {}
/** Removing the last way to sign in at all is refused (an account with no password and no SSO link). */
class LastWayRefused extends Error {}

/** Removing the last factor is refused where the policy requires one (an administrator would be locked out of it). */
async function removeFactor(
  db: Database,
  actor: SecondStepActor,
  factor: "totp" | "passkey",
  remove: (tx: Transaction) => Promise<Record<string, unknown> | null>,
): Promise<RemovalResult> {
  return db
    .transaction(async (tx) => {
      // Removals of one account take turns: two at once must not each see the other factor and remove both.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).for("update");
      const removed = await remove(tx);
      if (!removed) return { ok: false, message: "That was already removed." } as const;
      const stillHasFactor = await syncSecondFactorFlag(tx, actor.userId, actor.now);
      // Thrown to roll the removal back.
      if (!stillHasFactor && actor.policy.requireMfa) throw new LastFactorRefused();
      if (!hasAnyWay(await signInWays(tx, actor.userId))) throw new LastWayRefused();
      await recordEvent(tx, "mfa_removed", {
        userId: actor.userId,
        authSessionId: actor.sessionId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        at: actor.now,
        details: { factor, ...removed, lastFactor: !stillHasFactor },
      });
      return { ok: true } as const;
    })
    .catch((error: unknown) => {
      if (error instanceof LastWayRefused) {
        return {
          ok: false,
          message: "This passkey is your only way to sign in: link single sign-on or add another passkey first.",
        } as const;
      }
      if (error instanceof LastFactorRefused) {
        return { ok: false, message: "Administrator accounts need a second factor: add another one before removing this one." } as const;
      }
      throw error;
    });
}

export function removeTotpFactor(db: Database, actor: SecondStepActor): Promise<RemovalResult> {
  return removeFactor(db, actor, "totp", async (tx) => ((await removeTotp(tx, actor.userId)) ? {} : null));
}

export function removePasskeyFactor(db: Database, actor: SecondStepActor, passkeyId: string): Promise<RemovalResult> {
  return removeFactor(db, actor, "passkey", async (tx) => {
    const removed = await removePasskey(tx, actor.userId, passkeyId);
    return removed ? { passkeyId: removed.id, name: removed.name } : null;
  });
}

export async function renamePasskeyFactor(db: Database, actor: SecondStepActor, passkeyId: string, name: string): Promise<RemovalResult> {
  return db.transaction(async (tx) => {
    if (!(await renamePasskey(tx, actor.userId, passkeyId, name))) return { ok: false, message: "That passkey no longer exists." } as const;
    await recordEvent(tx, "passkey_renamed", { userId: actor.userId, ip: actor.ip, at: actor.now, details: { passkeyId, name } });
    return { ok: true } as const;
  });
}

/** New recovery codes (the old ones stop working). Only for an account with a second factor. */
export async function regenerateRecoveryCodes(
  db: Database,
  actor: SecondStepActor,
): Promise<{ ok: true; codes: string[] } | { ok: false; message: string }> {
  return db.transaction(async (tx) => {
    if (!(await factorSummary(tx, actor.userId)).any) return { ok: false, message: "Set up a second factor first." } as const;
    const codes = await issueRecoveryCodes(tx, actor.userId, actor.now);
    await recordEvent(tx, "recovery_codes_issued", { userId: actor.userId, authSessionId: actor.sessionId, ip: actor.ip, at: actor.now });
    return { ok: true, codes } as const;
  });
}
