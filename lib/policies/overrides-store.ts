import { count, eq } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { policyOverrides, users, type PolicyOverride } from "@/lib/db/schema";
import type { PolicyPatch } from "./resolve";

/** policy_overrides rows (the patch is validated with policyPatchSchema before it gets here). */

export async function countOverrides(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(policyOverrides);
  return row?.n ?? 0;
}

/** Sets a user's override; null when the user does not exist. */
export async function setOverride(
  db: Queryable,
  input: { userId: string; policy: PolicyPatch; reason: string | null; updatedBy: string; now: Date },
): Promise<PolicyOverride | null> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
  if (!user) return null;
  const values = { policy: input.policy, reason: input.reason, updatedBy: input.updatedBy, updatedAt: input.now };
  const [row] = await db
    .insert(policyOverrides)
    .values({ userId: input.userId, ...values })
    .onConflictDoUpdate({ target: policyOverrides.userId, set: values })
    .returning();
  return row ?? null;
}

/** Removes a user's override; whether there was one. */
export async function clearOverride(db: Queryable, userId: string): Promise<boolean> {
  const deleted = await db.delete(policyOverrides).where(eq(policyOverrides.userId, userId)).returning({ userId: policyOverrides.userId });
  return deleted.length > 0;
}
