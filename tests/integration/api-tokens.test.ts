import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/app-error";
import { issueApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db/client";
import { authSessions } from "@/lib/db/schema";
import { totpCode } from "@/lib/mfa/totp";
import { parseApiToken } from "@/lib/sessions/api-token";
import { checkSession } from "@/lib/sessions/guard";
import { makeUser } from "./support";
import { enrolTotpForTest } from "./second-factor-support";

const T0 = new Date(Math.floor(Date.parse("2026-12-03T10:00:00Z") / 30_000) * 30_000);
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const client = { ip: "198.51.100.20", userAgent: "curl/8.11.1" };
const facts = { ip: client.ip, userAgent: client.userAgent, country: null };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("API tokens", () => {
  it("issues an api session whose token is stored only as a hash, and which the api policy ends after 30 idle minutes or 1 hour", async () => {
    const user = await makeUser();
    const issued = await issueApiToken(getDb(), { username: user.username, password: user.password, ...client, now: T0 });
    expect(issued.session.kind).toBe("api");
    expect(issued.session.expiresAt).toEqual(at(60 * MIN)); // the api policy never extends: 1 hour, whatever the use
    const parts = parseApiToken(issued.token)!;
    expect(parts.sid).toBe(issued.session.id);
    const [row] = await getDb().select().from(authSessions).where(eq(authSessions.id, issued.session.id));
    expect(JSON.stringify(row)).not.toContain(parts.token);

    // Used every 20 minutes it still ends at the hour, and its expiry never moves.
    for (const minutes of [20, 40]) {
      const outcome = await checkSession(getDb(), parts, facts, at(minutes * MIN));
      expect(outcome.status).toBe("ok");
    }
    const [touched] = await getDb().select().from(authSessions).where(eq(authSessions.id, issued.session.id));
    expect(touched?.expiresAt).toEqual(at(60 * MIN));
    const late = await checkSession(getDb(), parts, facts, at(61 * MIN));
    expect(late).toMatchObject({ status: "violation", violation: "absolute_timeout" });

    const idle = await issueApiToken(getDb(), { username: user.username, password: user.password, ...client, now: T0 });
    const idleOutcome = await checkSession(getDb(), parseApiToken(idle.token)!, facts, at(31 * MIN));
    expect(idleOutcome).toMatchObject({ status: "violation", violation: "idle_timeout" });
  });

  it("answers a wrong password and an unknown user alike, and the 11th failure with 429 and a wait", async () => {
    const user = await makeUser();
    const wrong = await refusal(issueApiToken(getDb(), { username: user.username, password: "nope-nope-nope", ...client, now: T0 }));
    const unknown = await refusal(issueApiToken(getDb(), { username: "nobody-here", password: "nope-nope-nope", ...client, now: T0 }));
    expect([wrong.status, wrong.code, wrong.message]).toEqual([401, "unauthorized", "Invalid username or password"]);
    expect([unknown.status, unknown.code, unknown.message]).toEqual([wrong.status, wrong.code, wrong.message]);
    let last: AppError | undefined;
    // 61 s apart: past each back-off wait (at most a minute), all within the 15-minute lock window.
    for (let i = 0; i < 10; i++) {
      last = await refusal(
        issueApiToken(getDb(), {
          username: user.username,
          password: "nope-nope-nope",
          ip: "198.51.100.21",
          userAgent: "curl",
          now: at(i * 61_000),
        }),
      );
    }
    expect(last?.status).toBe(401);
    const locked = await refusal(
      issueApiToken(getDb(), {
        username: user.username,
        password: user.password,
        ip: "198.51.100.21",
        userAgent: "curl",
        now: at(10 * 61_000),
      }),
    );
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("keeps at most 10 api sessions (the oldest goes), never touching browser sessions, and revokes at once", async () => {
    const user = await makeUser();
    const tokens: Awaited<ReturnType<typeof issueApiToken>>[] = [];
    for (let i = 0; i < 11; i++) {
      tokens.push(await issueApiToken(getDb(), { username: user.username, password: user.password, ...client, now: at(i * 1000) }));
    }
    const live = await getDb()
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.userId, user.id), eq(authSessions.kind, "api")));
    expect(live.filter((s) => s.revokedAt === null)).toHaveLength(10);
    expect(live.find((s) => s.id === tokens[0]!.session.id)?.revokeReason).toBe("concurrency_limit");

    await revokeApiToken(getDb(), tokens[10]!.session, { ...client, now: at(20_000) });
    const outcome = await checkSession(getDb(), parseApiToken(tokens[10]!.token)!, facts, at(21_000));
    expect(outcome).toMatchObject({ status: "ended", reason: "logout" });
  });

  it("needs the authenticator code when the account has one, and an administrator without one cannot get a token", async () => {
    const user = await makeUser();
    const secret = await enrolTotpForTest(user.id);
    const missing = await refusal(issueApiToken(getDb(), { username: user.username, password: user.password, ...client, now: T0 }));
    expect([missing.status, missing.code]).toEqual([401, "mfa_required"]);
    const issued = await issueApiToken(getDb(), {
      username: user.username,
      password: user.password,
      otp: totpCode(secret, T0.getTime()),
      ...client,
      now: T0,
    });
    expect(issued.session.authMethod).toBe("password+totp");
    const outcome = await checkSession(getDb(), parseApiToken(issued.token)!, facts, at(1000));
    expect(outcome.status === "ok" && outcome.secondFactor).toBeNull();

    const admin = await makeUser("admin");
    const refused = await refusal(issueApiToken(getDb(), { username: admin.username, password: admin.password, ...client, now: T0 }));
    expect([refused.status, refused.code]).toEqual([403, "mfa_required"]);
  });
});
