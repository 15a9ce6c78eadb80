import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { changePassword, signOutOtherSessions } from "@/lib/auth/account";
import {
  accessTokenScopeOf,
  createAccessToken,
  listAccessTokens,
  MAX_LIVE_ACCESS_TOKENS,
  revokeAccessToken,
} from "@/lib/auth/personal-access-tokens";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { runCleanup } from "@/lib/cleanup/run";
import { getDb } from "@/lib/db/client";
import { authSessions, securityEvents } from "@/lib/db/schema";
import { parseApiToken } from "@/lib/sessions/api-token";
import { listDevices } from "@/lib/sessions/devices";
import { checkSession } from "@/lib/sessions/guard";
import { policyFor } from "@/lib/sessions/session-policy";
import { makeUser } from "./support";

const T0 = new Date("2026-12-03T10:00:00Z");
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const at = (ms: number) => new Date(T0.getTime() + ms);
const browser = { ip: "203.0.113.40", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0.0.0 Safari/537.36" };
const script = { ip: "198.51.100.40", userAgent: "python-requests/2.32", country: null };

async function signedIn() {
  const user = await makeUser();
  const result = await signInWithPassword(getDb(), {
    username: user.username,
    password: user.password,
    rememberMe: false,
    previous: null,
    clientIp: browser.ip,
    userAgent: browser.userAgent,
    now: T0,
  });
  if (!result.ok) throw new Error("sign-in failed");
  const creator = { userId: user.id, sessionId: result.session.id, ...browser, now: T0 };
  return { user, session: result.session, creator };
}

describe("personal access tokens", () => {
  it("work until their own expiry with no idle limit, from anywhere, and are stored only as a hash", async () => {
    const { user, creator } = await signedIn();
    const created = await createAccessToken(getDb(), creator, { name: "nightly report", scope: "read", days: 30 });
    const parts = parseApiToken(created.token)!;
    const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, parts.sid));
    expect(row).toMatchObject({ kind: "api", authMethod: "access_token", userId: user.id, expiresAt: at(30 * DAY) });
    expect(JSON.stringify(row)).not.toContain(parts.token);

    // Unused for 20 days, then used from another address: still fine (the api policy binds no address).
    const used = await checkSession(getDb(), parts, script, at(20 * DAY));
    expect(used.status).toBe("ok");
    const [listed] = await listAccessTokens(getDb(), user.id, at(20 * DAY));
    expect(listed).toMatchObject({ name: "nightly report", scope: "read", lastUsedAt: at(20 * DAY).toISOString() });
    expect(JSON.stringify(listed)).not.toContain(parts.token);

    // The cleanup's idle sweep leaves it alone; its expiry ends it.
    await runCleanup({ trigger: "manual", now: at(25 * DAY) });
    expect((await checkSession(getDb(), parts, script, at(25 * DAY))).status).toBe("ok");
    const late = await checkSession(getDb(), parts, script, at(30 * DAY + MIN));
    expect(late.status).not.toBe("ok");
    expect(await listAccessTokens(getDb(), user.id, at(30 * DAY + MIN))).toEqual([]);
  });

  it("are revoked one by one at once, survive 'sign out other devices', and end with a password change", async () => {
    const { user, session, creator } = await signedIn();
    const first = await createAccessToken(getDb(), creator, { name: "first", scope: "read_write", days: 7 });
    const second = await createAccessToken(getDb(), creator, { name: "second", scope: "read", days: 7 });
    expect(await accessTokenScopeOf(getDb(), parseApiToken(first.token)!.sid)).toBe("read_write");
    // Tokens are not devices: listed under their names, not among the signed-in devices.
    const devices = await listDevices(getDb(), user.id, session.id, at(MIN));
    expect(devices.map((d) => d.id)).toEqual([session.id]);

    await revokeAccessToken(getDb(), { userId: user.id, ...browser, now: at(MIN) }, first.summary.id);
    expect(await checkSession(getDb(), parseApiToken(first.token)!, script, at(2 * MIN))).toMatchObject({
      status: "ended",
      reason: "revoked_by_user",
    });
    // Someone else's token is "no such token".
    const stranger = await makeUser();
    await expect(revokeAccessToken(getDb(), { userId: stranger.id, ...browser, now: at(MIN) }, second.summary.id)).rejects.toMatchObject({
      status: 404,
    });

    await signOutOtherSessions(getDb(), { ...creator, now: at(3 * MIN) });
    expect((await checkSession(getDb(), parseApiToken(second.token)!, script, at(4 * MIN))).status).toBe("ok");
    const changed = await changePassword(
      getDb(),
      { ...creator, policy: policyFor("authenticated", null), now: at(5 * MIN) },
      { current: user.password, next: "a brand new passphrase 42" },
    );
    expect(changed.ok).toBe(true);
    expect(await checkSession(getDb(), parseApiToken(second.token)!, script, at(6 * MIN))).toMatchObject({
      status: "ended",
      reason: "password_changed",
    });
  });

  it(`are bounded: at most ${MAX_LIVE_ACCESS_TOKENS} live ones per account, each creation recorded`, async () => {
    const { user, creator } = await signedIn();
    for (let i = 0; i < MAX_LIVE_ACCESS_TOKENS; i++) {
      await createAccessToken(getDb(), creator, { name: `t${i}`, scope: "read", days: 7 });
    }
    const refused = await createAccessToken(getDb(), creator, { name: "one more", scope: "read", days: 7 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(409);
    const events = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.type, "access_token_created")));
    expect(events).toHaveLength(MAX_LIVE_ACCESS_TOKENS);
    expect(events[0]?.details).toMatchObject({ scope: "read" });
  });
});
