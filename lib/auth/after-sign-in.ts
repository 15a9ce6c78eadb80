import "server-only";
import { getConfig } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import { newDeviceMailFor } from "@/lib/mail/new-device-mail";
import { queueMail } from "@/lib/mail/send";
import { detect } from "@/lib/monitor/detect";

/**
 * What follows every completed sign-in (password, second step, SSO, API token) once its transaction has
 * committed: the monitor looks at the pattern, and a new-device notice, if the sign-in recorded one, is mailed
 * after the response. Read back from the database, so a sign-in that rolled back sends nothing.
 */
export async function afterSignIn(db: Database, userId: string, at: Date): Promise<void> {
  queueMail(() => newDeviceMailFor(db, userId, at, getConfig().appOrigin), "new-device notice");
  await detect(db, { kind: "login_succeeded", userId }, at);
}
