import type { BrowserContext } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createPool } from "@/lib/db/client";
import { totpFactors } from "@/lib/db/schema";
import { syncSecondFactorFlag } from "@/lib/mfa/factors";
import { issueRecoveryCodes } from "@/lib/mfa/recovery";
import { secretBox } from "@/lib/mfa/secret-box";
import { newTotpSecret, stepAt, totpCode, TOTP_PERIOD_SECONDS } from "@/lib/mfa/totp";

/**
 * Second factors for e2e accounts. Administrators need one (the admin policy requires MFA), so the `admin` fixture
 * gets an authenticator app set up in the database, sealed with the server's own MFA_ENCRYPTION_KEY; the tests
 * then compute codes exactly as a phone would.
 */

const secrets = new Map<string, string>();
const lastStep = new Map<string, number>();
/** The server time a browser context asks for (the test clock), so codes match the server's clock. */
const serverTimes = new WeakMap<BrowserContext, number>();

export function rememberServerTime(context: BrowserContext, time: number) {
  serverTimes.set(context, time);
}

export function serverTimeOf(context: BrowserContext): number {
  return serverTimes.get(context) ?? Date.now();
}

export function totpSecretOf(username: string): string | undefined {
  return secrets.get(username);
}

/** Sets up an authenticator app for the account (as if enrolled); returns the secret and its recovery codes. */
export async function enrolTestTotp(user: { id: string; username: string }): Promise<{ secret: string; recoveryCodes: string[] }> {
  const keys = (process.env.MFA_ENCRYPTION_KEY ?? "").split(",").filter(Boolean);
  const secret = newTotpSecret();
  const pool = createPool(process.env.DATABASE_URL!, 1);
  try {
    const recoveryCodes = await pool.db.transaction(async (tx) => {
      const now = new Date();
      await tx.delete(totpFactors).where(eq(totpFactors.userId, user.id));
      await tx
        .insert(totpFactors)
        .values({ userId: user.id, secretSealed: secretBox(keys).seal(secret, user.id), createdAt: now, confirmedAt: now });
      await syncSecondFactorFlag(tx, user.id, now);
      return issueRecoveryCodes(tx, user.id, now);
    });
    secrets.set(user.username, secret);
    return { secret, recoveryCodes };
  } finally {
    await pool.sql.end();
  }
}

/**
 * The next code an authenticator would show at `time`. A code is accepted once: a second sign-in of the same account
 * within one 30-second step uses the next step's code, which the server accepts as clock drift.
 */
export function nextTotpCode(secret: string, time: number): string {
  const step = Math.max(stepAt(time), (lastStep.get(secret) ?? -1) + 1);
  if (step > stepAt(time) + 1) throw new Error("more than two sign-ins of one account within 30 seconds: its codes would be refused");
  lastStep.set(secret, step);
  return totpCode(secret, step * TOTP_PERIOD_SECONDS * 1000);
}
