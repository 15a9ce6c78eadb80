import { getDb } from "@/lib/db/client";
import { totpFactors } from "@/lib/db/schema";
import { syncSecondFactorFlag } from "@/lib/mfa/factors";
import { mfaSecretBox } from "@/lib/mfa/keys";
import { newTotpSecret } from "@/lib/mfa/totp";

/** An authenticator app already set up for the account (as if enrolled); returns its secret. */
export async function enrolTotpForTest(userId: string): Promise<string> {
  const secret = newTotpSecret();
  const now = new Date();
  await getDb().transaction(async (tx) => {
    await tx.insert(totpFactors).values({ userId, secretSealed: mfaSecretBox().seal(secret, userId), createdAt: now, confirmedAt: now });
    await syncSecondFactorFlag(tx, userId, now);
  });
  return secret;
}
