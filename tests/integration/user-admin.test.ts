import { describe, expect, it } from "vitest";
import {
  adminCreateUser,
  adminEndSession,
  adminResetPassword,
  adminSetDisabled,
  adminSetRole,
  listUsers,
  liveSessionsOf,
} from "@/lib/admin/user-admin";
import { findUserById, UserError } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { eventFilterSchema, listEvents } from "@/lib/monitor/event-log";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { createAuthSession } from "@/lib/sessions/store";
import { makeUser } from "./support";

const T0 = new Date("2026-11-23T09:00:00Z");

async function liveSession(userId: string) {
  await createAuthSession(getDb(), {
    userId,
    kind: "authenticated",
    policy: DEFAULT_POLICIES.authenticated,
    rememberMe: false,
    clientIp: "192.0.2.1",
    userAgent: null,
    now: T0,
  });
}

describe("account administration", () => {
  it("records each change with the administrator as actor and the account as subject, and ends sessions where it must", async () => {
    const admin = await makeUser("admin");
    const created = await adminCreateUser(
      getDb(),
      admin,
      { username: "Made_By_Admin", password: "a-long-enough-password-42", role: "user" },
      T0,
    );
    await liveSession(created.id);
    expect(await liveSessionsOf(getDb(), created.id, T0)).toHaveLength(1);

    expect(await adminSetDisabled(getDb(), admin, created, true, T0)).toBe(1);
    expect((await findUserById(getDb(), created.id))?.disabledAt).not.toBeNull();
    expect(await liveSessionsOf(getDb(), created.id, T0)).toHaveLength(0);
    expect(await adminSetDisabled(getDb(), admin, created, false, T0)).toBe(0);

    await liveSession(created.id);
    await adminSetRole(getDb(), admin, created, "admin", T0);
    expect((await findUserById(getDb(), created.id))?.role).toBe("admin");
    expect(await liveSessionsOf(getDb(), created.id, T0)).toHaveLength(0);

    await liveSession(created.id);
    expect(await adminResetPassword(getDb(), admin, created, "another-long-password-77", T0)).toBe(1);
    expect((await findUserById(getDb(), created.id))?.passwordChangeRequired).toBe(true);

    const events = await listEvents(getDb(), eventFilterSchema.parse({ user: "made_by_admin" }), 50);
    const changes = events.filter((e) => e.type.startsWith("user_"));
    expect(changes.map((e) => e.type).reverse()).toEqual([
      "user_created",
      "user_disabled",
      "user_enabled",
      "user_role_changed",
      "user_password_reset",
    ]);
    for (const change of changes) expect(change).toMatchObject({ userId: admin.id, subject: "made_by_admin" });
    expect(changes.find((e) => e.type === "user_role_changed")?.details).toMatchObject({ from: "user", to: "admin" });

    const found = await listUsers(getDb(), "BY_ADM", T0);
    expect(found.map((u) => u.username)).toEqual(["Made_By_Admin"]);
    expect(await listUsers(getDb(), "%", T0)).toEqual([]);
  });

  it("ends one session of the account, never another account's", async () => {
    const admin = await makeUser("admin");
    const target = await makeUser();
    const bystander = await makeUser();
    await liveSession(target.id);
    await liveSession(target.id);
    await liveSession(bystander.id);
    const [theirs] = await liveSessionsOf(getDb(), target.id, T0);
    const [notTheirs] = await liveSessionsOf(getDb(), bystander.id, T0);
    const targetUser = (await findUserById(getDb(), target.id))!;
    expect(await adminEndSession(getDb(), admin, targetUser, notTheirs!.id, T0)).toBe(false);
    expect(await liveSessionsOf(getDb(), bystander.id, T0)).toHaveLength(1);
    expect(await adminEndSession(getDb(), admin, targetUser, theirs!.id, T0)).toBe(true);
    expect(await adminEndSession(getDb(), admin, targetUser, theirs!.id, T0)).toBe(false);
    expect(await liveSessionsOf(getDb(), target.id, T0)).toHaveLength(1);
  });

  it("a refused change leaves no event behind", async () => {
    const admin = await makeUser("admin");
    const taken = await makeUser();
    await expect(
      adminCreateUser(getDb(), admin, { username: taken.username, password: "a-long-enough-password-42", role: "user" }, T0),
    ).rejects.toThrow(UserError);
    await expect(adminResetPassword(getDb(), admin, taken, "short", T0)).rejects.toThrow(UserError);
    const events = await listEvents(getDb(), eventFilterSchema.parse({ user: taken.username }), 50);
    expect(events.filter((e) => e.type.startsWith("user_"))).toEqual([]);
  });
});
