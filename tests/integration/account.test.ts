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
    made.push(
      await createAuthSession(getDb(), {
        userId,
        kind: "authenticated",
        policy: DEFAULT_POLICIES.authenticated,
        rememberMe: false,
        clientIp: null,
        userAgent: null,
        now: T0,
      }),
    );
  }
  return made;
}

describe("sensitive account operations", () => {
  const policy = DEFAULT_POLICIES.authenticated;

  it("a password change needs the current password, ends every other session and rotates this one", async () => {
    const user = await makeUser();
    // As after an administrator chose the password: the person's own choice lifts the requirement.
    await getDb().update(users).set({ passwordChangeRequired: true }).where(eq(users.id, user.id));
    const [mine, other1, other2] = await sessionsFor(user.id, 3);
    const actor = { userId: user.id, sessionId: mine!.session.id, policy, ip: null, userAgent: null, now: T0 };

    expect(await changePassword(getDb(), actor, { current: "not my password", next: "brand new lighthouse walrus" })).toEqual({
      ok: false,
      reason: "wrong_password",
    });
    const [unchanged] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(user.password, unchanged!.passwordHash)).toBe(true);
    expect(await findLiveSession(getDb(), other1!.session.id, other1!.token, T0)).not.toBeNull();

    const changed = await changePassword(getDb(), actor, { current: user.password, next: "brand new lighthouse walrus" });
    if (!changed.ok) throw new Error(`expected a change, got ${changed.reason}`);
    expect(changed.otherSessionsEnded).toBe(2);
    const [updated] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword("brand new lighthouse walrus", updated!.passwordHash)).toBe(true);
    expect(updated!.passwordChangeRequired).toBe(false);
    // The session that changed it continues under a new id and token; the old cookie is dead.
    expect(changed.session.id).not.toBe(mine!.session.id);
    expect(await findLiveSession(getDb(), changed.session.id, changed.token, T0)).not.toBeNull();
    expect(await findLiveSession(getDb(), mine!.session.id, mine!.token, T0)).toBeNull();
    expect(await findLiveSession(getDb(), other1!.session.id, other1!.token, T0)).toBeNull();
    expect(await findLiveSession(getDb(), other2!.session.id, other2!.token, T0)).toBeNull();
  });

  it("step-up checks the password and issues a new session; a cookie copied before it is refused", async () => {
    const user = await makeUser();
    const [mine] = await sessionsFor(user.id, 1);
    const later = new Date(T0.getTime() + 3 * 3600_000);
    const actor = { userId: user.id, sessionId: mine!.session.id, policy, ip: null, userAgent: null, now: later };
    expect(await confirmPassword(getDb(), actor, "not it")).toEqual({ ok: false, reason: "wrong_password" });
    // From an address, it is throttled like sign-in: after 3 failures a short back-off applies.
    const fromIp = { ...actor, ip: "192.0.2.44" };
    for (let i = 0; i < 3; i++) expect(await confirmPassword(getDb(), fromIp, "not it")).toEqual({ ok: false, reason: "wrong_password" });
    expect(await confirmPassword(getDb(), fromIp, user.password)).toEqual({
      ok: false,
      reason: "throttled",
      message: "Too many attempts. Please wait 1 second and try again.",
    });

    const confirmed = await confirmPassword(getDb(), actor, user.password);
    if (!confirmed.ok) throw new Error(`expected a confirmation, got ${confirmed.reason}`);
    expect(confirmed.session.id).not.toBe(mine!.session.id);
    expect(confirmed.session.authenticatedAt?.getTime()).toBe(later.getTime());
    // The absolute lifetime still counts from the original sign-in.
    expect(confirmed.session.createdAt.getTime()).toBe(T0.getTime());
    const [old] = await getDb().select().from(authSessions).where(eq(authSessions.id, mine!.session.id));
    expect(old).toMatchObject({ revokeReason: "rotated", authenticatedAt: T0 });
    expect(await findLiveSession(getDb(), mine!.session.id, mine!.token, later)).toBeNull();
    expect(await findLiveSession(getDb(), confirmed.session.id, confirmed.token, later)).not.toBeNull();
    // The old session cannot be rotated again (a copied cookie racing the owner gets nothing).
    expect(await confirmPassword(getDb(), actor, user.password)).toEqual({ ok: false, reason: "session_ended" });
  });

  it("signs out all other devices", async () => {
    const user = await makeUser();
    const [mine, other] = await sessionsFor(user.id, 2);
    expect(await signOutOtherSessions(getDb(), { userId: user.id, sessionId: mine!.session.id, ip: null, userAgent: null, now: T0 })).toBe(
      1,
    );
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
