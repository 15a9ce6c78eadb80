import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signInWithPassword, type SignInRequest } from "@/lib/auth/sign-in";
import { liftLoginLocks, parseUnlockTarget } from "@/lib/auth/throttle-gate";
import { getDb } from "@/lib/db/client";
import { securityAlerts, securityEvents } from "@/lib/db/schema";
import { failedAttemptsBeforeThisSignIn } from "@/lib/monitor/failed-attempts-notice";
import { makeUser } from "./support";

const T0 = new Date("2026-11-23T10:00:00Z");
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

function attempt(username: string, password: string, clientIp: string, now: Date): SignInRequest {
  return { username, password, rememberMe: false, previous: null, clientIp, userAgent: "test-agent", now };
}

/** One wrong password from each of `count` different addresses (a botnet never repeats itself). */
async function distributedGuess(username: string, count: number, now: Date) {
  for (let i = 0; i < count; i++) {
    expect(
      await signInWithPassword(getDb(), attempt(username, `guess-${i}`, `198.51.${100 + Math.floor(i / 200)}.${i % 200}`, now)),
    ).toEqual({ ok: false });
  }
}

describe("per-account progressive delay", () => {
  it("slows a distributed guess against one account, while the owner's network signs in at once", async () => {
    const owner = await makeUser();
    // The owner signed in before from their office network.
    expect(
      (await signInWithPassword(getDb(), attempt(owner.username, owner.password, "203.0.113.10", new Date(T0.getTime() - 86_400_000)))).ok,
    ).toBe(true);

    await distributedGuess(owner.username, 20, T0);
    // A 21st address, never seen before, must wait.
    const delayed = await signInWithPassword(getDb(), attempt(owner.username, "guess-x", "192.0.2.200", T0));
    expect(delayed).toEqual({
      ok: false,
      throttled: {
        message: "Too many failed sign-in attempts for this account. Please wait 1 second and try again.",
        retryAfterSeconds: 1,
      },
    });
    // The delay doubles with each further failure, and is never a lock: after it, the next guess is checked.
    const next = await signInWithPassword(getDb(), attempt(owner.username, "guess-y", "192.0.2.201", seconds(1)));
    expect(next).toEqual({ ok: false });
    expect(await signInWithPassword(getDb(), attempt(owner.username, "guess-z", "192.0.2.202", seconds(2)))).toMatchObject({
      ok: false,
      throttled: { retryAfterSeconds: 1 },
    });

    // The owner, from another address of the network they used before, is not slowed.
    const ownerSignIn = await signInWithPassword(getDb(), attempt(owner.username, owner.password, "203.0.113.77", seconds(2)));
    if (!ownerSignIn.ok) throw new Error("the owner should sign in");
    // ...and is told how many failed attempts there were since their last sign-in.
    expect(await failedAttemptsBeforeThisSignIn(getDb(), owner.id, ownerSignIn.session.id, seconds(2))).toBe(21);
  });

  it("an unlock by username lifts the account delay; an unlock by address lifts that address's lock", async () => {
    const user = await makeUser();
    await distributedGuess(user.username, 20, T0);
    expect(await signInWithPassword(getDb(), attempt(user.username, user.password, "192.0.2.50", T0))).toMatchObject({
      ok: false,
      throttled: {},
    });
    await liftLoginLocks(getDb(), parseUnlockTarget(user.username), { userId: null, now: seconds(1) });
    expect((await signInWithPassword(getDb(), attempt(user.username, user.password, "192.0.2.50", seconds(1)))).ok).toBe(true);

    // 20 failures across usernames lock an address.
    const other = await makeUser();
    for (let i = 0; i < 20; i++) {
      expect(await signInWithPassword(getDb(), attempt(`nobody_${i}`, "guess", "192.0.2.99", T0))).toEqual({ ok: false });
    }
    expect(await signInWithPassword(getDb(), attempt(other.username, other.password, "192.0.2.99", seconds(1)))).toMatchObject({
      ok: false,
      throttled: {},
    });
    await liftLoginLocks(getDb(), parseUnlockTarget(" 192.0.2.99 "), { userId: null, now: seconds(2) });
    expect((await signInWithPassword(getDb(), attempt(other.username, other.password, "192.0.2.99", seconds(2)))).ok).toBe(true);
    const unlocks = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "login_unlocked"), eq(securityEvents.ip, "192.0.2.99")));
    expect(unlocks).toHaveLength(1);
  });

  it("ignores failures stamped after now, so a skewed clock cannot stretch a lock", async () => {
    const user = await makeUser();
    const future = new Date(T0.getTime() + 70 * 60_000);
    for (let i = 0; i < 10; i++) {
      await getDb()
        .insert(securityEvents)
        .values({ type: "login_failed", at: future, subject: user.username.toLowerCase(), ip: "192.0.2.7" });
    }
    expect((await signInWithPassword(getDb(), attempt(user.username, user.password, "192.0.2.7", T0))).ok).toBe(true);
  });
});

describe("admission control for password checks", () => {
  it("answers a burst from one address beyond its share at once, and still checks a real sign-in from another", async () => {
    const victim = await makeUser();
    const owner = await makeUser();
    const burst = Array.from({ length: 50 }, (_, i) =>
      signInWithPassword(getDb(), attempt(victim.username, `bogus-${i}`, "192.0.2.66", T0)),
    );
    const real = signInWithPassword(getDb(), attempt(owner.username, owner.password, "203.0.113.20", T0));
    const results = await Promise.all(burst);
    const busy = results.filter((r) => !r.ok && r.throttled?.message.startsWith("Too many sign-in attempts are being checked right now"));
    // 32 places per address: the other 18 were refused before any database or bcrypt work.
    expect(busy).toHaveLength(18);
    expect(busy[0]).toEqual({
      ok: false,
      throttled: {
        message: "Too many sign-in attempts are being checked right now. Please try again in a few seconds.",
        retryAfterSeconds: 5,
      },
    });
    expect((await real).ok).toBe(true);
    // Refused attempts left nothing behind; admitted ones went through the usual gate (back-off after 3 failures).
    const failures = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "login_failed"), eq(securityEvents.subject, victim.username.toLowerCase())));
    expect(failures).toHaveLength(3);
  });
});

describe("a burst of sign-ins", () => {
  it("20 at once with the right password for one user from one address all get in", async () => {
    const user = await makeUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => signInWithPassword(getDb(), attempt(user.username, user.password, "203.0.113.40", T0))),
    );
    expect(results.map((r) => (r.ok ? "signed in" : (r.throttled?.message ?? "refused")))).toEqual(Array(20).fill("signed in"));
    // Nothing is left counted as a failure.
    const failures = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.subject, user.username), eq(securityEvents.type, "login_failed")));
    expect(failures).toEqual([]);
  });

  it("20 at once with wrong passwords: once the first have failed, the rest are refused unchecked", async () => {
    const user = await makeUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInWithPassword(getDb(), attempt(user.username, `wrong-${i}`, "203.0.113.41", T0))),
    );
    // Back-off starts after 3 failures: 3 passwords were checked (and wrong), 17 waited for them and were refused.
    expect(results.filter((r) => !r.ok && !r.throttled)).toHaveLength(3);
    const refused = results.filter((r) => !r.ok && r.throttled);
    expect(refused).toHaveLength(17);
    expect(refused[0]).toMatchObject({ throttled: { message: "Too many attempts. Please wait 1 second and try again." } });
  });
});

describe("a lock raises an alert, and refused attempts count against the address", () => {
  it("22 wrong passwords for one user from one address: the pair locks, the account alert and the address alert are raised", async () => {
    const user = await makeUser();
    const ip = "203.0.113.42";
    // The first ten a minute apart (past each back-off), the twelve after them within the 15-minute lock.
    for (let i = 0; i < 22; i++) {
      await signInWithPassword(getDb(), attempt(user.username, `wrong-${i}`, ip, seconds(i < 10 ? i * 61 : 549 + (i - 9))));
    }
    const events = await getDb()
      .select({ type: securityEvents.type })
      .from(securityEvents)
      .where(and(eq(securityEvents.subject, user.username), eq(securityEvents.ip, ip)));
    expect(events.filter((e) => e.type === "login_failed")).toHaveLength(10);
    expect(events.filter((e) => e.type === "login_locked")).toHaveLength(12);

    const alerts = await getDb().select().from(securityAlerts);
    expect(alerts.find((a) => a.type === "account_locked" && a.subject === `account:${user.username}`)).toMatchObject({
      severity: "medium",
    });
    expect(alerts.find((a) => a.type === "failed_logins_per_ip" && a.subject === `ip:${ip}`)).toMatchObject({ severity: "high" });
  });
});
