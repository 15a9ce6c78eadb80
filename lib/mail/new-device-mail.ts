import { and, eq } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { securityEvents, users } from "@/lib/db/schema";
import { newDeviceMail, type MailMessage } from "./messages";

/**
 * The new-device notice of the sign-in made at `signedInAt`, read back once it has committed: no mail for a sign-in
 * that was rolled back or came from a known device (no event), nor for an account without an email address.
 */
export async function newDeviceMailFor(db: Queryable, userId: string, signedInAt: Date, appOrigin: string): Promise<MailMessage | null> {
  const [row] = await db
    .select({
      email: users.email,
      username: users.username,
      details: securityEvents.details,
      at: securityEvents.at,
      ref: securityEvents.sessionRef,
    })
    .from(securityEvents)
    .innerJoin(users, eq(users.id, securityEvents.userId))
    .where(and(eq(securityEvents.type, "new_device"), eq(securityEvents.userId, userId), eq(securityEvents.at, signedInAt)))
    .limit(1);
  if (!row?.email || !row.ref) return null;
  const device = typeof row.details.label === "string" ? row.details.label : "a new device";
  return newDeviceMail({ to: row.email, username: row.username, device, at: row.at, sessionRef: row.ref, appOrigin });
}
