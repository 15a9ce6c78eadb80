import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/lib/db/client";
import { users, type User, type UserRole } from "@/lib/db/schema";
import { endSessions } from "@/lib/sessions/end-sessions";
import { hashPassword, verifyPassword } from "./passwords";
import { newPasswordSchema, roleSchema, usernameSchema } from "./schemas";

export class UserError extends Error {
  constructor(
    readonly code: "username_taken" | "not_found" | "invalid",
    message: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export const DEMO_USERS = [
  { username: "demo", password: "demo-password-123", role: "user" },
  { username: "admin", password: "admin-password-123", role: "admin" },
] as const satisfies readonly { username: string; password: string; role: UserRole }[];

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserError("invalid", result.error.issues.map((i) => i.message).join(" "));
  return result.data;
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username.trim()})`)
    .limit(1);
  return user;
}

export async function createUser(db: Queryable, input: { username: string; password: string; role?: UserRole }): Promise<User> {
  const username = parseOrThrow(usernameSchema, input.username);
  const password = parseOrThrow(newPasswordSchema, input.password);
  const role = parseOrThrow(roleSchema, input.role ?? "user");
  const passwordHash = await hashPassword(password);
  const [user] = await db.insert(users).values({ username, passwordHash, role }).onConflictDoNothing().returning();
  if (!user) throw new UserError("username_taken", `The username "${username}" is already taken.`);
  return user;
}

async function updateByUsername(db: Queryable, username: string, values: Partial<typeof users.$inferInsert>): Promise<User> {
  const [user] = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(sql`lower(${users.username}) = lower(${username.trim()})`)
    .returning();
  if (!user) throw new UserError("not_found", `No user named "${username}".`);
  return user;
}

/** A new password chosen for someone; with `mustChange` they pick their own at their next sign-in. */
export async function resetPassword(db: Queryable, username: string, password: string, options: { mustChange: boolean }): Promise<User> {
  const valid = parseOrThrow(newPasswordSchema, password);
  const passwordHash = await hashPassword(valid);
  return updateByUsername(db, username, { passwordHash, passwordChangedAt: new Date(), passwordChangeRequired: options.mustChange });
}

/**
 * Changes a role and ends the user's sessions: a session's policy (admin or user) is fixed when it starts, so a
 * promoted user must not keep a user-policy session with admin rights (nor a demoted one an admin session).
 */
export async function setRole(db: Queryable, username: string, role: string): Promise<User> {
  const valid = parseOrThrow(roleSchema, role);
  return db.transaction(async (tx) => {
    const user = await updateByUsername(tx, username, { role: valid });
    await endSessions(tx, { userId: user.id }, "role_changed", { now: new Date() });
    return user;
  });
}

/** Disabling ends every session of the user at once (ASVS v5 7.4.2); returns the user and how many ended. */
export async function setDisabled(db: Queryable, username: string, disabled: boolean): Promise<{ user: User; endedSessions: number }> {
  return db.transaction(async (tx) => {
    const at = new Date();
    const user = await updateByUsername(tx, username, { disabledAt: disabled ? at : null });
    const ended = disabled ? await endSessions(tx, { userId: user.id }, "user_disabled", { now: at }) : [];
    return { user, endedSessions: ended.length };
  });
}

/** Deletes a user, ending their sessions first (their chats go with them); returns how many sessions ended. */
export async function deleteUser(db: Queryable, username: string): Promise<number> {
  return db.transaction(async (tx) => {
    const user = await findUserByUsername(tx, username);
    if (!user) throw new UserError("not_found", `No user named "${username}".`);
    const ended = await endSessions(tx, { userId: user.id }, "user_deleted", { now: new Date() });
    await tx.delete(users).where(eq(users.id, user.id));
    return ended.length;
  });
}

/**
 * Demo accounts that still sign in with their published password (disabled ones do not count). A deployment on a
 * public origin must have none: anyone who read the README could sign in as them.
 */
export async function demoAccountsWithPublicPasswords(db: Queryable): Promise<string[]> {
  const found: string[] = [];
  for (const demo of DEMO_USERS) {
    const user = await findUserByUsername(db, demo.username);
    if (user && !user.disabledAt && (await verifyPassword(demo.password, user.passwordHash))) found.push(demo.username);
  }
  return found;
}

/** Creates the demo accounts that are missing; returns the usernames it created. */
export async function seedDemoUsers(db: Queryable): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    if (await findUserByUsername(db, demo.username)) continue;
    try {
      await createUser(db, demo);
      created.push(demo.username);
    } catch (error) {
      // Another instance seeded it between our check and insert.
      if (!(error instanceof UserError && error.code === "username_taken")) throw error;
    }
  }
  return created;
}
