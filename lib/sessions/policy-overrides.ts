import "server-only";
import { count, eq } from "drizzle-orm";
import type { Database, Queryable } from "@/lib/db/client";
import { policyOverrides, users, type PolicyOverride } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import type { PolicyPatch } from "@/lib/policies/resolve";

/**
 * policy_overrides rows: an administrator's per-user change to the session policy (the patch is validated with
 * policyPatchSchema before it gets here). Kept out of lib/policies, which stays free of I/O.
 */

export type OverrideActor = { userId: string; ip: string | null; userAgent: string | null; now: Date };

export async function countOverrides(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(policyOverrides);
  return row?.n ?? 0;
}

/** Sets a user's override and records who did it; null when the user does not exist. */
export async function setOverride(
  db: Database,
  input: { userId: string; policy: PolicyPatch; reason: string | null; by: OverrideActor },
): Promise<PolicyOverride | null> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!user) return null;
    const values = { policy: input.policy, reason: input.reason, updatedBy: input.by.userId, updatedAt: input.by.now };
    const [row] = await tx
      .insert(policyOverrides)
      .values({ userId: input.userId, ...values })
      .onConflictDoUpdate({ target: policyOverrides.userId, set: values })
      .returning();
    await recordEvent(tx, "policy_override_set", {
      userId: input.userId,
      ip: input.by.ip,
      userAgent: input.by.userAgent,
      at: input.by.now,
      details: { by: input.by.userId, policy: input.policy },
    });
    return row ?? null;
  });
}

/** Removes a user's override and records who did it; whether there was one. */
export async function clearOverride(db: Database, input: { userId: string; by: OverrideActor }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(policyOverrides)
      .where(eq(policyOverrides.userId, input.userId))
      .returning({ userId: policyOverrides.userId });
    if (deleted.length === 0) return false;
    await recordEvent(tx, "policy_override_cleared", {
      userId: input.userId,
      ip: input.by.ip,
      userAgent: input.by.userAgent,
      at: input.by.now,
      details: { by: input.by.userId },
    });
    return true;
  });
}
