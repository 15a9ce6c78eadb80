import "server-only";
import { count, eq } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { identities, passkeys, users } from "@/lib/db/schema";

/**
 * The ways an account can sign in on its own: a password, a passkey, a linked SSO account. Removing the last one
 * is refused (the account would be locked out for good). Locks the user row: removals take turns.
 */
export async function signInWays(tx: Queryable, userId: string): Promise<{ password: boolean; passkeys: number; identities: number }> {
  const [user] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).for("update");
  const [keys] = await tx.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
  const [links] = await tx.select({ n: count() }).from(identities).where(eq(identities.userId, userId));
  return { password: Boolean(user?.passwordHash), passkeys: keys?.n ?? 0, identities: links?.n ?? 0 };
}

export function hasAnyWay(ways: { password: boolean; passkeys: number; identities: number }): boolean {
  return ways.password || ways.passkeys > 0 || ways.identities > 0;
}
