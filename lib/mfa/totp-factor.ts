import "server-only";
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { totpFactors } from "@/lib/db/schema";
import { AppError } from "@/lib/app-error";
import { mfaSecretBox } from "./keys";
import { checkTotp, newTotpSecret, totpUri, type TotpCheck } from "./totp";

/** The account's TOTP authenticator in totp_factors: enrolment, checks (with replay protection) and removal. */

export type TotpEnrolment = { secret: string; uri: string };

/**
 * The secret to set up, shown as a QR code and as text: the one waiting for confirmation if there is one (so the
 * QR code does not change under the person), else a new one.
 */
export async function pendingTotpEnrolment(db: Queryable, user: { id: string; username: string }, now: Date): Promise<TotpEnrolment> {
  const box = mfaSecretBox();
  const [row] = await db.select().from(totpFactors).where(eq(totpFactors.userId, user.id));
  if (row?.confirmedAt) throw AppError.conflict("An authenticator app is already set up for this account.");
  const existing = row ? box.open(row.secretSealed, user.id) : null;
  if (existing) return { secret: existing, uri: totpUri(existing, user.username) };
  const secret = newTotpSecret();
  await db
    .insert(totpFactors)
    .values({ userId: user.id, secretSealed: box.seal(secret, user.id), createdAt: now })
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secretSealed: box.seal(secret, user.id), createdAt: now, lastUsedStep: null },
    });
  return { secret, uri: totpUri(secret, user.username) };
}

/**
 * Checks a code against the account's authenticator (`confirmed`: the set-up one, or the one waiting for its first
 * code) and, when it is right, records its time step in the same statement that checks the step was not used: two
 * requests with one code cannot both pass. A secret sealed under an older key is sealed again with the current one.
 */
export async function spendTotpCode(
  tx: Queryable,
  userId: string,
  code: string,
  now: Date,
  which: "confirmed" | "pending",
): Promise<TotpCheck | { ok: false; reason: "none" }> {
  const box = mfaSecretBox();
  const [row] = await tx
    .select()
    .from(totpFactors)
    .where(
      and(eq(totpFactors.userId, userId), which === "confirmed" ? isNotNull(totpFactors.confirmedAt) : isNull(totpFactors.confirmedAt)),
    );
  const secret = row ? box.open(row.secretSealed, userId) : null;
  if (!row || !secret) return { ok: false, reason: "none" };
  const check = checkTotp(secret, code, now.getTime(), row.lastUsedStep);
  if (!check.ok) return check;
  const taken = await tx
    .update(totpFactors)
    .set({
      lastUsedStep: check.step,
      ...(which === "pending" ? { confirmedAt: now } : {}),
      ...(box.isStale(row.secretSealed) ? { secretSealed: box.seal(secret, userId) } : {}),
    })
    .where(and(eq(totpFactors.userId, userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, check.step))))
    .returning({ userId: totpFactors.userId });
  return taken.length > 0 ? check : { ok: false, reason: "replayed" };
}

export async function removeTotp(tx: Queryable, userId: string): Promise<boolean> {
  const removed = await tx.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ userId: totpFactors.userId });
  return removed.length > 0;
}
