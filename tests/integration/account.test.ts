import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { changePassword, confirmPassword, signOutOtherSessions } from "@/lib/auth/account";
import { verifyPassword } from "@/lib/auth/passwords";
import { deleteUser, setDisabled } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { authSessions, users } from "@/lib/db/schema";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { createAuthSession, findLiveSession } from "@/lib/sessions/store";
import { makeUser } from "./support";

const T0 = new Date("2026-11-23T09:00:00Z");

async function sessionsFor(userId: string, count: number) {
  const made = [];
  for (let i = 0; i < count; i++) {
    made.push(await createAuthSession(getDb(), { userId, kind: "authenticated", policy: DEFAULT_POLICIES.authenticated, rememberMe: false, clientIp: null, userAgent: null, now: T0 }));
  }
  return made;
}

describe("sensitive account operations", () => {
  it("a password change ends every other session of the user", async () => {
    const user = await makeUser();
    const [mine, other1, other2] = await sessionsFor(user.id, 3);
    const actor = { userId: user.id, sessionId: mine!.session.id, ip: null, userAgent: null, now: T0 };
    expect(await changePassword(getDb(), actor, "brand new lighthouse walrus")).toBe(2);
    const [updated] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword("brand new lighthouse walrus", updated!.passwordHash)).toBe(true);
    expect(await findLiveSession(getDb(), mine!.session.id, mine!.token, T0)).not.toBeNull();
    expect(await findLiveSession(getDb(), other1!.session.id, other1!.token, T0)).toBeNull();
    expect(await findLiveSession(getDb(), other2!.session.id, other2!.token, T0)).toBeNull();
  });

  it("step-up checks the password and refreshes authenticated_at", async () => {
    const user = await makeUser();
    const [mine] = await sessionsFor(user.id, 1);
    const later = new Date(T0.getTime() + 3 * 3600_000);
    const actor = { userId: user.id, sessionId: mine!.session.id, ip: null, userAgent: null, now: later };
    expect(await confirmPassword(getDb(), actor, "not it")).toBe(false);
    // From an address, it is throttled like sign-in: after 3 failures a short back-off applies.
    const fromIp = { ...actor, ip: "192.0.2.44" };
    for (let i = 0; i < 3; i++) expect(await confirmPassword(getDb(), fromIp, "not it")).toBe(false);
    expect(await confirmPassword(getDb(), fromIp, user.password)).toEqual({ throttled: "Too many attempts. Please wait 1 second and try again." });
    expect(await confirmPassword(getDb(), actor, user.password)).toBe(true);
    const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, mine!.session.id));
    expect(row?.authenticatedAt?.getTime()).toBe(later.getTime());
  });

  it("signs out all other devices", async () => {
    const user = await makeUser();
    const [mine, other] = await sessionsFor(user.id, 2);
    expect(await signOutOtherSessions(getDb(), { userId: user.id, sessionId: mine!.session.id, ip: null, userAgent: null, now: T0 })).toBe(1);
    expect(await findLiveSession(getDb(), other!.session.id, other!.token, T0)).toBeNull();
    expect(await findLiveSession(getDb(), mine!.session.id, mine!.token, T0)).not.toBeNull();
  });

  it("disabling or deleting a user ends all their sessions at once", async () => {
    const disabled = await makeUser();
    await sessionsFor(disabled.id, 2);
    expect((await setDisabled(getDb(), disabled.username, true)).endedSessions).toBe(2);

    const deleted = await makeUser();
    const [session] = await sessionsFor(deleted.id, 1);
    expect(await deleteUser(getDb(), deleted.username)).toBe(1);
    const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, session!.session.id));
    expect(row).toMatchObject({ userId: null, revokeReason: "user_deleted" });
    expect(await findLiveSession(getDb(), session!.session.id, session!.token, T0)).toBeNull();
  });
});
