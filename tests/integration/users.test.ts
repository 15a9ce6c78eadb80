import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/passwords";
import {
  createUser,
  DEMO_USERS,
  findUserByUsername,
  resetPassword,
  seedDemoUsers,
  setDisabled,
  setRole,
  UserError,
} from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { authSessions, users } from "@/lib/db/schema";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { createAuthSession } from "@/lib/sessions/store";

describe("users", () => {
  it("stores only a bcrypt hash of the password", async () => {
    const user = await createUser(getDb(), { username: "Amira", password: "correct horse battery" });
    expect(user.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(user.passwordHash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", user.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong horse battery", user.passwordHash)).toBe(false);
  });

  it("keeps usernames unique case-insensitively and finds them in any case", async () => {
    await createUser(getDb(), { username: "Karim", password: "a long enough password" });
    await expect(createUser(getDb(), { username: "kARIM", password: "another long password" })).rejects.toMatchObject({
      code: "username_taken",
    });
    expect((await findUserByUsername(getDb(), "KARIM"))?.username).toBe("Karim");
  });

  it("refuses invalid usernames, short passwords and unknown roles with clear messages", async () => {
    await expect(createUser(getDb(), { username: "a", password: "a long enough password" })).rejects.toThrow(/at least 3/);
    await expect(createUser(getDb(), { username: "bob", password: "short" })).rejects.toThrow(/at least 12/);
    // Long but common: the strength estimator refuses it.
    await expect(createUser(getDb(), { username: "bob", password: "password1234" })).rejects.toThrow(/too easy to guess/);
    await expect(setRole(getDb(), "nobody", "admin")).rejects.toBeInstanceOf(UserError);
    await createUser(getDb(), { username: "carol", password: "a long enough password" });
    await expect(setRole(getDb(), "carol", "root")).rejects.toThrow(/user or admin/);
    const carol = await findUserByUsername(getDb(), "carol");
    const { session } = await createAuthSession(getDb(), {
      userId: carol!.id,
      kind: "authenticated",
      policy: DEFAULT_POLICIES.authenticated,
      rememberMe: true,
      clientIp: null,
      userAgent: null,
      now: new Date(),
    });
    expect((await setRole(getDb(), "CAROL", "admin")).role).toBe("admin");
    // A promoted user must sign in again: the old session carried the user policy.
    const [ended] = await getDb().select().from(authSessions).where(eq(authSessions.id, session.id));
    expect(ended?.revokeReason).toBe("role_changed");
  });

  it("resets passwords and disables accounts", async () => {
    await createUser(getDb(), { username: "dana", password: "first password here" });
    const updated = await resetPassword(getDb(), "dana", "second password here", { mustChange: false });
    expect(await verifyPassword("second password here", updated.passwordHash)).toBe(true);
    expect((await setDisabled(getDb(), "dana", true)).user.disabledAt).toBeInstanceOf(Date);
    expect((await setDisabled(getDb(), "dana", false)).user.disabledAt).toBeNull();
  });

  it("seeds the demo accounts once", async () => {
    expect(await seedDemoUsers(getDb())).toEqual(DEMO_USERS.map((d) => d.username));
    expect(await seedDemoUsers(getDb())).toEqual([]);
    const [admin] = await getDb().select().from(users).where(eq(users.username, "admin"));
    expect(admin?.role).toBe("admin");
  });
});
