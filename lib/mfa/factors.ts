import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Queryable, Transaction } from "@/lib/db/client";
import { passkeys, recoveryCodes, totpFactors, users } from "@/lib/db/schema";
import { endSessions } from "@/lib/sessions/end-sessions";
import { recoveryCodesLeft } from "./recovery";

/**
 * The account's second factors as a whole. lib/mfa owns totp_factors, passkeys and recovery_codes, and keeps
 * users.mfa_enabled_at in step with them (the session lookup reads "has a second factor" from the user row).
 */

export type PasskeySummary = {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  backedUp: boolean;
  deviceType: "singleDevice" | "multiDevice";
};
export type FactorSummary = { totp: boolean; passkeys: PasskeySummary[]; recoveryCodesLeft: number; any: boolean };

export async function factorSummary(db: Queryable, userId: string): Promise<FactorSummary> {
  const [totp, keys, left] = await Promise.all([
    db
      .select({ userId: totpFactors.userId })
      .from(totpFactors)
      .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt))),
    db
      .select({
        id: passkeys.id,
        name: passkeys.name,
        createdAt: passkeys.createdAt,
        lastUsedAt: passkeys.lastUsedAt,
        backedUp: passkeys.backedUp,
        deviceType: passkeys.deviceType,
      })
      .from(passkeys)
      .where(eq(passkeys.userId, userId))
      .orderBy(asc(passkeys.createdAt)),
    recoveryCodesLeft(db, userId),
  ]);
  return { totp: totp.length > 0, passkeys: keys, recoveryCodesLeft: left, any: totp.length > 0 || keys.length > 0 };
}

/**
 * Sets users.mfa_enabled_at from the factor tables: kept when a factor remains, set now for the first one, cleared
 * with the last one (the recovery codes go with it: they stand in for a factor that no longer exists).
 * Returns whether the account has a second factor now.
 */
export async function syncSecondFactorFlag(tx: Queryable, userId: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .update(users)
    .set({
      mfaEnabledAt: sql`case when exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null)
        or exists (select 1 from ${passkeys} where ${passkeys.userId} = ${userId})
        then coalesce(${users.mfaEnabledAt}, ${now.toISOString()}::timestamptz) else null end`,
      updatedAt: now,
    })
    .where(eq(users.id, userId))
    .returning({ mfaEnabledAt: users.mfaEnabledAt });
  const enabled = Boolean(row?.mfaEnabledAt);
  if (!enabled) await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return enabled;
}

/**
 * Recovery for someone who lost their factors (an administrator's page or `npm run user -- reset-mfa`): every factor
 * and recovery code goes and the account's sessions end, in the caller's transaction (which records who did it).
 * An administrator account is asked to enrol again at its next sign-in.
 */
export async function resetSecondFactors(tx: Transaction, userId: string, context: { now: Date; by: string | null }): Promise<number> {
  await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
  await tx.delete(passkeys).where(eq(passkeys.userId, userId));
  await syncSecondFactorFlag(tx, userId, context.now);
  const ended = await endSessions(tx, { userId }, "admin_forced", { now: context.now, details: { by: context.by, action: "mfa_reset" } });
  return ended.length;
}
