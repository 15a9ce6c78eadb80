import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { signInWithPassword, type SignInRequest } from "@/lib/auth/sign-in";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { authSessions, securityAlerts, securityEvents } from "@/lib/db/schema";
import { acknowledgeAlert, listAlerts, raiseAlert, resolveAlert } from "@/lib/monitor/alerts";
import { detect } from "@/lib/monitor/detect";
import { recordEvent } from "@/lib/monitor/events";
import { openNewDeviceNotices, reviewNewDevice } from "@/lib/monitor/new-device-notices";
import { deliverWebhook } from "@/lib/monitor/sink";
import type { Finding } from "@/lib/monitor/rules";
import { HOUR_MS as HOUR, MINUTE_MS as MINUTE } from "@/lib/time";
import { makeUser } from "./support";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0";
let clock = new Date("2026-11-23T10:00:00Z").getTime();
const tick = (ms = 1000) => new Date((clock += ms));

function attempt(username: string, password: string, ip: string | null, userAgent = CHROME): SignInRequest {
  return { username, password, rememberMe: false, previous: null, clientIp: ip, userAgent, now: tick() };
}

async function alertsOf(type: string, subject: string) {
  return getDb()
    .select()
    .from(securityAlerts)
    .where(and(eq(securityAlerts.type, type), eq(securityAlerts.subject, subject)));
}

afterEach(() => {
  delete process.env.SESSION_ALERT_WEBHOOK;
  resetConfigForTests();
});

describe("brute-force protection", () => {
  it("25 wrong passwords from one address: an alert and a lock, while the same user from another address still signs in", async () => {
    const victim = await makeUser();
    const attacker = "203.0.113.66";
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await signInWithPassword(getDb(), attempt(`guess${i}`, "wrong-password", attacker)));
    expect(results.slice(0, 20).every((r) => !r.ok && !r.throttled)).toBe(true);
    expect(results.slice(20).every((r) => !r.ok && r.throttled?.message.startsWith("Too many failed sign-in attempts"))).toBe(true);

    // One alert; each attempt refused while locked is seen again (they count against the address).
    const [alert] = await alertsOf("failed_logins_per_ip", `ip:${attacker}`);
    expect(alert).toMatchObject({ severity: "high", occurrences: 6 });
    // Refused attempts are recorded as login_locked, not as checked failures.
    const failures = await getDb()
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, "login_failed"), eq(securityEvents.ip, attacker)));
    expect(failures).toHaveLength(20);

    // Even the right password is refused from the locked address; from another one it works.
    const fromAttacker = await signInWithPassword(getDb(), attempt(victim.username, victim.password, attacker));
    expect(fromAttacker.ok).toBe(false);
    expect((await signInWithPassword(getDb(), attempt(victim.username, victim.password, "198.51.100.7"))).ok).toBe(true);
  });

  it("locks a (username, address) pair after 10 failures, for that pair only, and a success clears the count", async () => {
    const user = await makeUser();
    const ip = "192.0.2.10";
    for (let i = 0; i < 10; i++) {
      const result = await signInWithPassword(getDb(), attempt(user.username, "wrong-password", ip));
      expect(result.ok).toBe(false);
      tick(61_000); // past any back-off (at most 60 s), all within the 15-minute window
    }
    const locked = await signInWithPassword(getDb(), attempt(user.username, user.password, ip));
    expect(locked).toMatchObject({ ok: false, throttled: { message: expect.stringMatching(/try again in 1[45] minutes/) } });
    expect((await signInWithPassword(getDb(), attempt(user.username, user.password, "192.0.2.200"))).ok).toBe(true);
    tick(15 * MINUTE);
    expect((await signInWithPassword(getDb(), attempt(user.username, user.password, ip))).ok).toBe(true);
    // After that success the count starts again: four new failures only mean a short back-off (2 s), not a lock.
    for (let i = 0; i < 4; i++) await signInWithPassword(getDb(), attempt(user.username, "wrong-password", ip));
    const next = await signInWithPassword(getDb(), attempt(user.username, user.password, ip));
    expect(next).toMatchObject({ ok: false, throttled: { message: "Too many attempts. Please wait 1 second and try again." } });
    tick(2 * MINUTE);
    expect((await signInWithPassword(getDb(), attempt(user.username, user.password, ip))).ok).toBe(true);
  });
});

describe("brute force: races and address tricks", () => {
  it("a burst of parallel wrong passwords is counted attempt by attempt: only the first three get a password check", async () => {
    const user = await makeUser();
    const at = tick(HOUR);
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => signInWithPassword(getDb(), { ...attempt(user.username, "wrong-password", "192.0.2.90"), now: at })),
    );
    expect(burst.filter((r) => !r.ok && !r.throttled)).toHaveLength(3);
    expect(burst.filter((r) => !r.ok && r.throttled)).toHaveLength(9);
  });

  it("counts an IPv6 /64 as one address, and a missing address as one shared address", async () => {
    tick(2 * HOUR);
    for (let i = 1; i <= 20; i++)
      await signInWithPassword(getDb(), attempt(`v6guess${i}`, "wrong-password", `2001:db8:aa:bb::${i.toString(16)}`));
    const sameNetwork = await signInWithPassword(getDb(), attempt("someone", "whatever-password", "2001:db8:aa:bb:ffff::1"));
    expect(sameNetwork).toMatchObject({ ok: false, throttled: { message: expect.stringMatching(/try again in/) } });
    expect(await alertsOf("failed_logins_per_ip", "ip:2001:db8:aa:bb::/64")).toHaveLength(1);

    for (let i = 1; i <= 20; i++) await signInWithPassword(getDb(), attempt(`nullguess${i}`, "wrong-password", null));
    const noAddress = await signInWithPassword(getDb(), attempt("someone-else", "whatever-password", null));
    expect(noAddress).toMatchObject({ ok: false, throttled: { message: expect.stringMatching(/try again in/) } });
  });
});

describe("detection through real events", () => {
  it("rapid session creation: 5 sign-ins within a minute raise a HIGH alert and flag the user's sessions", async () => {
    const user = await makeUser();
    for (let i = 0; i < 4; i++) await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.1"));
    expect(await alertsOf("rapid_session_creation", `user:${user.id}`)).toHaveLength(0);
    await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.1"));
    const [alert] = await alertsOf("rapid_session_creation", `user:${user.id}`);
    expect(alert?.severity).toBe("high");
    const sessions = await getDb().select().from(authSessions).where(eq(authSessions.userId, user.id));
    expect(sessions.filter((s) => s.revokedAt === null).every((s) => s.suspiciousAt !== null)).toBe(true);
  });

  it("suspicious IP changes: the third network within an hour raises an alert; moves within a /24 do not", async () => {
    const user = await makeUser();
    const now = tick(HOUR);
    const accessed = (ip: string, ms: number) =>
      recordEvent(getDb(), "session_accessed", { userId: user.id, ip, at: new Date(now.getTime() + ms) });
    const check = (ms: number, ipBinding: "subnet" | "exact" = "subnet") =>
      detect(getDb(), { kind: "session_accessed", userId: user.id, ipBinding }, new Date(now.getTime() + ms));
    // Carrier NAT: three addresses of one network are one place for a subnet-bound session…
    for (const [i, ip] of ["203.0.113.100", "203.0.113.101", "203.0.113.102"].entries()) await accessed(ip, i);
    expect(await check(5)).toEqual([]);
    await accessed("198.51.100.20", 6);
    expect(await check(7)).toEqual([]);
    // …but three addresses for an exact-bound (admin) session.
    expect((await check(8, "exact")).map((f) => f.type)).toEqual(["suspicious_ip_changes"]);
    await accessed("192.0.2.30", 9);
    const findings = await check(10);
    expect(findings.map((f) => [f.type, f.details.placeCount])).toEqual([["suspicious_ip_changes", 3]]);
  });

  it("too many concurrent sessions: the sign-in beyond the cap raises one, five sessions do not", async () => {
    const user = await makeUser();
    for (let i = 0; i < 5; i++)
      expect((await signInWithPassword(getDb(), attempt(user.username, user.password, "192.0.2.40"))).ok).toBe(true);
    expect(await alertsOf("excessive_concurrent_sessions", `user:${user.id}`)).toEqual([]);
    const sixth = await signInWithPassword(getDb(), attempt(user.username, user.password, "192.0.2.40"));
    expect(sixth.ok && sixth.evicted).toHaveLength(1);
    const [alert] = await alertsOf("excessive_concurrent_sessions", `user:${user.id}`);
    expect(alert).toMatchObject({ severity: "medium", details: { evictions: 1, limit: 5 } });
  });

  it("policy violations: the fifth within an hour raises an alert", async () => {
    const user = await makeUser();
    const now = tick(HOUR);
    for (let i = 0; i < 4; i++)
      await recordEvent(getDb(), "policy_violation", { userId: user.id, at: new Date(now.getTime() - i * MINUTE) });
    expect(await detect(getDb(), { kind: "policy_violation", userId: user.id }, now)).toEqual([]);
    await recordEvent(getDb(), "policy_violation", { userId: user.id, at: now });
    expect((await detect(getDb(), { kind: "policy_violation", userId: user.id }, new Date(now.getTime() + 1))).map((f) => f.type)).toEqual([
      "policy_violations",
    ]);
  });

  it("unusual hours: a night sign-in from someone active by day", async () => {
    const user = await makeUser();
    const noon = new Date("2026-11-20T12:00:00Z").getTime();
    for (let i = 0; i < 51; i++) await recordEvent(getDb(), "session_accessed", { userId: user.id, at: new Date(noon - i * 3 * MINUTE) });
    const night = new Date("2026-11-21T02:30:00Z");
    const findings = await detect(getDb(), { kind: "login_succeeded", userId: user.id }, night);
    expect(findings.map((f) => f.type)).toContain("unusual_activity_hours");
  });
});

describe("alerts", () => {
  const finding = (subject: string): Finding => ({
    type: "test_rule",
    severity: "medium",
    subject,
    message: "m",
    details: {},
    windowMs: HOUR,
  });

  it("are de-duplicated per (type, subject) within the window, and a resolved one starts afresh", async () => {
    const now = tick(HOUR);
    const first = await raiseAlert(getDb(), finding("ip:192.0.2.1"), now);
    const second = await raiseAlert(getDb(), finding("ip:192.0.2.1"), new Date(now.getTime() + 30 * MINUTE));
    const other = await raiseAlert(getDb(), finding("ip:192.0.2.2"), now);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, alert: { id: first.alert.id, occurrences: 2 } });
    expect(other.created).toBe(true);
    const later = await raiseAlert(getDb(), finding("ip:192.0.2.1"), new Date(now.getTime() + 31 * MINUTE + HOUR));
    expect(later.created).toBe(true);

    const admin = await makeUser("admin");
    const acknowledged = await acknowledgeAlert(getDb(), { id: later.alert.id, byUserId: admin.id, now });
    expect(acknowledged).toMatchObject({ acknowledgedBy: admin.id });
    const resolved = await resolveAlert(getDb(), { id: later.alert.id, byUserId: admin.id, notes: "false alarm: office NAT", now });
    expect(resolved).toMatchObject({ resolvedBy: admin.id, resolutionNotes: "false alarm: office NAT" });
    expect((await raiseAlert(getDb(), finding("ip:192.0.2.1"), new Date(now.getTime() + 32 * MINUTE + HOUR))).created).toBe(true);
    expect((await listAlerts(getDb(), { resolved: true })).map((a) => a.id)).toContain(later.alert.id);
    expect((await listAlerts(getDb(), { severity: "critical" })).length).toBe(0);
  });

  it("are delivered to the webhook, retried with back-off after failures", async () => {
    const received: unknown[] = [];
    let failuresLeft = 2;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (failuresLeft-- > 0) return void res.writeHead(503).end();
        received.push(JSON.parse(body));
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const result = await deliverWebhook(url, { text: "hello" }, { baseDelayMs: 10 });
      expect(result).toEqual({ delivered: true, attempts: 3 });
      expect(received).toEqual([{ text: "hello" }]);

      process.env.SESSION_ALERT_WEBHOOK = url;
      resetConfigForTests();
      await raiseAlert(
        getDb(),
        { ...finding("user:00000000-0000-4000-8000-00000000beef"), severity: "high", type: "webhook_rule" },
        tick(HOUR),
      );
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
      expect(received[1]).toMatchObject({ text: expect.stringContaining("[HIGH] webhook_rule") });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("suspicious-session flags", () => {
  const finding = (userId: string, severity: "high" | "critical"): Finding => ({
    type: `flag_test_${severity}`,
    severity,
    subject: `user:${userId}`,
    message: "test pattern",
    details: {},
    windowMs: HOUR,
  });
  const liveFlags = async (userId: string) =>
    (await getDb().select().from(authSessions).where(eq(authSessions.userId, userId)))
      .filter((s) => s.revokedAt === null)
      .map((s) => s.suspiciousSeverity);

  it("a HIGH alert flags sessions, including ones started while it is open, and resolving it lifts the flags", async () => {
    const user = await makeUser();
    await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.40"));
    const { alert } = await raiseAlert(getDb(), finding(user.id, "high"), tick());
    expect(await liveFlags(user.id)).toEqual(["high"]);
    // Signed in again while the alert is open: the new session is flagged too.
    await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.40"));
    expect(await liveFlags(user.id)).toEqual(["high", "high"]);

    // A CRITICAL alert raises the flags; resolving it brings them back to what the HIGH one justifies.
    const { alert: critical } = await raiseAlert(getDb(), finding(user.id, "critical"), tick());
    expect(await liveFlags(user.id)).toEqual(["critical", "critical"]);
    await resolveAlert(getDb(), { id: critical.id, byUserId: user.id, notes: "false positive", now: tick() });
    expect(await liveFlags(user.id)).toEqual(["high", "high"]);
    await resolveAlert(getDb(), { id: alert.id, byUserId: user.id, notes: "false positive", now: tick() });
    expect(await liveFlags(user.id)).toEqual([null, null]);
  });
});

describe("resolving an alert as a false positive", () => {
  it("lifts the flags and keeps the same alert from re-opening for its window; acknowledging does neither", async () => {
    const user = await makeUser();
    const admin = await makeUser("admin");
    await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.60"));
    const liveFlags = async () =>
      (await getDb().select().from(authSessions).where(eq(authSessions.userId, user.id)))
        .filter((s) => s.revokedAt === null)
        .map((s) => s.suspiciousSeverity);
    const pattern: Finding = {
      type: "suspicious_ip_changes",
      severity: "high",
      subject: `user:${user.id}`,
      message: "Used from 3 different networks within one hour",
      details: {},
      windowMs: HOUR,
    };
    const raisedAt = tick();
    const { alert } = await raiseAlert(getDb(), pattern, raisedAt);
    await acknowledgeAlert(getDb(), { id: alert.id, byUserId: admin.id, now: tick() });
    expect(await liveFlags()).toEqual(["high"]);

    const resolvedAt = tick();
    const resolved = await resolveAlert(getDb(), {
      id: alert.id,
      byUserId: admin.id,
      notes: "office VPN",
      falsePositive: true,
      now: resolvedAt,
    });
    expect(resolved).toMatchObject({ falsePositive: true, resolutionNotes: "office VPN" });
    expect(await liveFlags()).toEqual([null]);

    // The same evidence a second later: no new alert, no flags.
    const again = await raiseAlert(getDb(), pattern, new Date(resolvedAt.getTime() + 1000));
    expect(again).toMatchObject({ created: false, suppressed: true, alert: { id: alert.id } });
    expect(await liveFlags()).toEqual([null]);
    expect(await alertsOf(pattern.type, pattern.subject)).toHaveLength(1);

    // Past the rule's window it is news again.
    const later = await raiseAlert(getDb(), pattern, new Date(resolvedAt.getTime() + HOUR + 1000));
    expect(later.created).toBe(true);
    expect(await liveFlags()).toEqual(["high"]);
  });
});

describe("new-device notice", () => {
  it("flags a sign-in from a new browser and network, and 'this wasn't me' ends that session", async () => {
    const user = await makeUser();
    const first = await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.50", CHROME));
    if (!first.ok) throw new Error("expected success");
    expect(first.newDevice).toBe(false); // nothing to compare with yet
    const same = await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.51", CHROME));
    if (!same.ok) throw new Error("expected success");
    expect(same.newDevice).toBe(false); // same browser, same /24
    const stranger = await signInWithPassword(getDb(), attempt(user.username, user.password, "203.0.113.77", FIREFOX));
    if (!stranger.ok) throw new Error("expected success");
    expect(stranger.newDevice).toBe(true);

    const notices = await openNewDeviceNotices(getDb(), user.id, first.session.id, tick());
    expect(notices).toHaveLength(1);
    expect(notices[0]?.label).toBe("Firefox on Windows from 203.0.113.x");
    expect(await openNewDeviceNotices(getDb(), user.id, stranger.session.id, tick())).toHaveLength(0);

    expect(await reviewNewDevice(getDb(), { userId: user.id, ref: notices[0]!.ref, verdict: "not_me", now: tick() })).toBe(true);
    const [ended] = await getDb().select().from(authSessions).where(eq(authSessions.id, stranger.session.id));
    expect(ended?.revokeReason).toBe("reported_not_me");
    expect(await openNewDeviceNotices(getDb(), user.id, first.session.id, tick())).toHaveLength(0);
  });
});
