import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { authSessions, type AuthSession, type NewAuthSession } from "@/lib/db/schema";

export const NOW = new Date("2026-11-23T12:00:00Z");
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const ago = (ms: number) => new Date(NOW.getTime() - ms);

/** Inserts an auth session with exactly the timestamps a test needs (defaults: fresh, live, signed in now). */
export async function insertSession(values: Partial<NewAuthSession> & Pick<NewAuthSession, "kind">): Promise<AuthSession> {
  const [row] = await getDb()
    .insert(authSessions)
    .values({
      tokenHash: randomBytes(32).toString("hex"),
      createdAt: NOW,
      lastActivityAt: NOW,
      authenticatedAt: values.kind === "anonymous" ? null : NOW,
      expiresAt: new Date(NOW.getTime() + 2 * HOUR),
      ...values,
    })
    .returning();
  return row!;
}

export async function reload(id: string): Promise<AuthSession | undefined> {
  const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, id));
  return row;
}
