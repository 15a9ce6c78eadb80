import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { authSessions } from "@/lib/db/schema";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { endSessions } from "@/lib/sessions/end-sessions";
import { createAuthSession, findLiveSession } from "@/lib/sessions/store";
import { makeUser } from "./support";

async function newSession(now: Date) {
  const user = await makeUser();
  return createAuthSession(getDb(), {
    userId: user.id,
    kind: "authenticated",
    policy: DEFAULT_POLICIES.authenticated,
    rememberMe: false,
    clientIp: "203.0.113.1",
    userAgent: "test",
    now,
  });
}

describe("findLiveSession (the prepared request-path lookup)", () => {
  const now = new Date("2026-12-02T12:00:00Z");

  it("finds a live session by id and token, on the pool and inside a transaction alike, and never with a wrong token", async () => {
    const { session, token } = await newSession(now);
    expect((await findLiveSession(getDb(), session.id, token, now))?.session.id).toBe(session.id);
    expect(await getDb().transaction(async (tx) => (await findLiveSession(tx, session.id, token, now))?.session.id)).toBe(session.id);
    expect(await findLiveSession(getDb(), session.id, `${token}x`, now)).toBeNull();
  });

  it("leaves out revoked and expired sessions unless asked for them", async () => {
    const revoked = await newSession(now);
    await endSessions(getDb(), { ids: [revoked.session.id] }, "logout", { now });
    expect(await findLiveSession(getDb(), revoked.session.id, revoked.token, now)).toBeNull();
    expect(
      (await findLiveSession(getDb(), revoked.session.id, revoked.token, now, { includeRevoked: true }))?.session.revokedAt,
    ).not.toBeNull();

    const expired = await newSession(now);
    await getDb()
      .update(authSessions)
      .set({ expiresAt: new Date(now.getTime() - 1000) })
      .where(eq(authSessions.id, expired.session.id));
    expect(await findLiveSession(getDb(), expired.session.id, expired.token, now)).toBeNull();
    expect(await findLiveSession(getDb(), expired.session.id, expired.token, now, { includeExpired: true })).not.toBeNull();
  });
});
