import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/app-error";
import { getConfig } from "@/lib/config";
import type { Database, Queryable } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { emailChangedMail } from "@/lib/mail/messages";
import { queueMail } from "@/lib/mail/send";
import { recordEvent } from "@/lib/monitor/events";

/**
 * The address an account's security notices (a sign-in from a new device) are mailed to. SSO accounts get the
 * provider's verified address at each sign-in; anyone may set or remove theirs from /account. A change is told to
 * the old address too, so a stolen session cannot quietly redirect the notices.
 */
export const notificationEmailSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, { message: "That address is too long." })
    .pipe(z.union([z.literal(""), z.email({ message: "Enter an email address such as you@example.com, or leave it empty." })])),
});

export async function notificationEmailOf(db: Queryable, userId: string): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

export type EmailActor = { userId: string; username: string; ip: string | null; userAgent: string | null; now: Date };

/** Sets (or, with null, removes) the address; whether anything changed. The address itself is not put in the event. */
export async function setNotificationEmail(db: Database, actor: EmailActor, email: string | null): Promise<boolean> {
  const result = await db.transaction(async (tx) => {
    const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, actor.userId)).for("update");
    if (!before) throw AppError.notFound("Your account is gone.");
    if ((before.email ?? "").toLowerCase() === (email ?? "").toLowerCase()) return { changed: false, previous: before.email };
    const [taken] = email
      ? await tx
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.email}) = lower(${email}) and ${users.id} <> ${actor.userId}`)
      : [];
    if (taken) throw AppError.conflict("That address cannot be used for this account. Choose another one.");
    await tx.update(users).set({ email, updatedAt: actor.now }).where(eq(users.id, actor.userId));
    await recordEvent(tx, "notification_email_changed", {
      userId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      at: actor.now,
      details: { removed: email === null, hadOne: before.email !== null },
    });
    return { changed: true, previous: before.email };
  });
  if (result.changed && result.previous) {
    queueMail(
      emailChangedMail({
        to: result.previous,
        username: actor.username,
        removed: email === null,
        at: actor.now,
        appOrigin: getConfig().appOrigin,
      }),
      "email change notice",
    );
  }
  return result.changed;
}
