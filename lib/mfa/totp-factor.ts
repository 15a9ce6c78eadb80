import "server-only";
import { and, eq, gt, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { totpFactors } from "@/lib/db/schema";
import { AppError } from "@/lib/app-error";
import { mfaSecretBox } from "./keys";
import { MINUTE_MS } from "@/lib/time";
import { checkTotp, newTotpSecret, totpUri, type TotpCheck } from "./totp";

/** The account's TOTP authenticator in totp_factors: enrolment, checks (with replay protection) and removal. */

export type TotpEnrolment = { secret: string; uri: string };

/** How long a secret shown for set-up may be confirmed: after that (or from any other session) it is replaced. */
export const TOTP_ENROLMENT_MINUTES = 10;

const enrolmentCutoff = (now: Date) => new Date(now.getTime() - TOTP_ENROLMENT_MINUTES * MINUTE_MS);

/**
 * The secret to set up, shown as a QR code and as text. The one waiting for confirmation is shown again only to the
 * session it was made for and only for a few minutes (so the QR code does not change under the person); otherwise a
 * new one replaces it, so a secret planted by someone who knew the password alone never becomes the account's.
 */
export async function pendingTotpEnrolment(
  db: Queryable,
  user: { id: string; username: string },
  sessionId: string,
  now: Date,
): Promise<TotpEnrolment> {
  const box = mfaSecretBox();
  const [row] = await db.select().from(totpFactors).where(eq(totpFactors.userId, user.id));
  if (row?.confirmedAt) throw AppError.conflict("An authenticator app is already set up for this account.");
  const reusable = row && row.enrollingSessionId === sessionId && row.createdAt > enrolmentCutoff(now);
  const existing = reusable ? box.open(row.secretSealed, user.id) : null;
  if (existing) return { secret: existing, uri: totpUri(existing, user.username) };
  const secret = newTotpSecret();
  const fresh = { secretSealed: box.seal(secret, user.id), createdAt: now, lastUsedStep: null, enrollingSessionId: sessionId };
  const written = await db
    .insert(totpFactors)
    .values({ userId: user.id, ...fresh })
    // Never over a confirmed authenticator (one confirmed meanwhile keeps its secret).
    .onConflictDoUpdate({ target: totpFactors.userId, set: fresh, setWhere: isNull(totpFactors.confirmedAt) })
    .returning({ userId: totpFactors.userId });
  if (written.length === 0) throw AppError.conflict("An authenticator app is already set up for this account.");
  return { secret, uri: totpUri(secret, user.username) };
}

/**
 * Checks a code against the account's authenticator (`confirmed`: the set-up one; `pendingFor`: the one this session
 * is setting up, within its few minutes) and, when it is right, records its time step in the same statement that checks the step was not used: two
 * requests with one code cannot both pass. A secret sealed under an older key is sealed again with the current one.
 */
export async function spendTotpCode(
  tx: Queryable,
  userId: string,
  code: string,
  now: Date,
  which: "confirmed" | { pendingFor: string },
): Promise<TotpCheck | { ok: false; reason: "none" }> {
  const box = mfaSecretBox();
  const [row] = await tx
    .select()
    .from(totpFactors)
    .where(
      and(
        eq(totpFactors.userId, userId),
        which === "confirmed"
          ? isNotNull(totpFactors.confirmedAt)
          : and(
              isNull(totpFactors.confirmedAt),
              eq(totpFactors.enrollingSessionId, which.pendingFor),
              gt(totpFactors.createdAt, enrolmentCutoff(now)),
            ),
      ),
    );
  const secret = row ? box.open(row.secretSealed, userId) : null;
  if (!row || !secret) return { ok: false, reason: "none" };
  const check = checkTotp(secret, code, now.getTime(), row.lastUsedStep);
  if (!check.ok) return check;
  const taken = await tx
    .update(totpFactors)
    .set({
      lastUsedStep: check.step,
      ...(which === "confirmed" ? {} : { confirmedAt: now, enrollingSessionId: null }),
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
