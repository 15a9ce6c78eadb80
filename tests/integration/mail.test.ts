import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signInWithPassword, type SignInRequest } from "@/lib/auth/sign-in";
import { resetConfigForTests } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { authSessions, users } from "@/lib/db/schema";
import { newDeviceMailFor } from "@/lib/mail/new-device-mail";
import { notificationEmailOf, notificationEmailSchema, setNotificationEmail } from "@/lib/auth/notification-email";
import { AppError } from "@/lib/app-error";
import { securityEvents } from "@/lib/db/schema";
import { deliverMail } from "@/lib/mail/send";
import { raiseAlert } from "@/lib/monitor/alerts";
import type { Finding } from "@/lib/monitor/rules";
import { HOUR_MS } from "@/lib/time";
import { makeUser } from "./support";

/** A real SMTP server on loopback: what arrives is what an operator's mail server would get. */
type Received = { to: string; subject: string; text: string; raw: string };
const received: Received[] = [];
let refuseNext = 0;
let refuseCode = 421;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      if (refuseNext > 0) {
        refuseNext -= 1;
        return callback(Object.assign(new Error("refused"), { responseCode: refuseCode }));
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      void simpleParser(raw).then((mail) => {
        const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
        received.push({ to: to ?? "", subject: mail.subject ?? "", text: mail.text ?? "", raw });
        callback();
      }, callback);
    });
  },
});
let smtpUrl = "";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0";
let clock = new Date("2026-11-23T10:00:00Z").getTime();
const tick = (ms = 1000) => new Date((clock += ms));
const attempt = (username: string, password: string, ip: string, userAgent: string): SignInRequest => ({
  username,
  password,
  rememberMe: false,
  previous: null,
  clientIp: ip,
  userAgent,
  now: tick(),
});

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

afterEach(() => {
  received.length = 0;
  refuseNext = 0;
  refuseCode = 421;
  for (const name of ["SMTP_URL", "ALERT_EMAIL_TO"]) delete process.env[name];
  resetConfigForTests();
});

function mailOn(alertTo?: string) {
  process.env.SMTP_URL = smtpUrl;
  if (alertTo) process.env.ALERT_EMAIL_TO = alertTo;
  resetConfigForTests();
}

const finding = (type: string, severity: Finding["severity"], subject = "ip:203.0.113.90"): Finding => ({
  type,
  severity,
  subject,
  message: `Pattern ${type} seen from 203.0.113.90.`,
  details: {},
  windowMs: HOUR_MS,
});

describe("alert mail", () => {
  it("a HIGH or CRITICAL alert is mailed once to ALERT_EMAIL_TO; a repeat of it and a MEDIUM one are not", async () => {
    mailOn("security@growbal.test");
    await raiseAlert(getDb(), finding("mail_rule_high", "high"), tick());
    await raiseAlert(getDb(), finding("mail_rule_high", "high"), tick()); // the same alert seen again
    await raiseAlert(getDb(), finding("mail_rule_medium", "medium"), tick());
    await raiseAlert(getDb(), finding("mail_rule_critical", "critical"), tick());
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
    expect(received.map((m) => m.subject).sort()).toEqual([
      "[Growbal] CRITICAL security alert: mail_rule_critical",
      "[Growbal] HIGH security alert: mail_rule_high",
    ]);
    for (const mail of received) {
      expect(mail.to).toBe("security@growbal.test");
      expect(mail.text).toContain("/admin/security");
      expect(mail.text).toContain("seen from 203.0.113.90");
    }
  });

  it("without SMTP_URL nothing is sent and nothing fails", async () => {
    process.env.ALERT_EMAIL_TO = "security@growbal.test";
    resetConfigForTests();
    const { created } = await raiseAlert(getDb(), finding("mail_rule_off", "critical"), tick());
    expect(created).toBe(true);
    // Proof that mail would have been sent had it been on: the next alert, with mail on, arrives alone.
    mailOn("security@growbal.test");
    await raiseAlert(getDb(), finding("mail_rule_on", "critical"), tick());
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
    expect(received[0]?.subject).toContain("mail_rule_on");
  });

  it("a mail server that is briefly refusing is retried with back-off", async () => {
    mailOn();
    refuseNext = 2;
    const message = { to: "ops@growbal.test", subject: "retry check", text: "hello", key: "test:retry" };
    const result = await deliverMail(smtpUrl, "growbal@growbal.test", message, { baseDelayMs: 10 });
    expect(result).toEqual({ delivered: true, attempts: 3 });
    expect(received.map((m) => m.subject)).toEqual(["retry check"]);
  });

  it("a permanent refusal (5xx) is not retried", async () => {
    refuseNext = 1;
    refuseCode = 550;
    const message = { to: "ops@growbal.test", subject: "refused", text: "hello", key: "test:refused" };
    const result = await deliverMail(smtpUrl, "growbal@growbal.test", message, { baseDelayMs: 10 });
    expect(result).toEqual({ delivered: false, attempts: 1 });
    expect(received).toEqual([]);
  });

  it("an unreachable mail server is tried up to the limit, then reported", async () => {
    const message = { to: "ops@growbal.test", subject: "unreachable", text: "hello", key: "test:unreachable" };
    // Nothing listens on port 1 of loopback: a connection failure is retried up to the limit, then reported.
    const result = await deliverMail("smtp://127.0.0.1:1", "growbal@growbal.test", message, { attempts: 2, baseDelayMs: 10 });
    expect(result).toEqual({ delivered: false, attempts: 2 });
  });
});

describe("new-device mail", () => {
  it("a sign-in from a new device mails its owner (who has an email) without any secret in it", async () => {
    mailOn();
    const user = await makeUser();
    await getDb().update(users).set({ email: "owner@growbal.test" }).where(eq(users.id, user.id));
    const first = await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.20", CHROME));
    expect(first.ok).toBe(true);
    const second = await signInWithPassword(getDb(), attempt(user.username, user.password, "203.0.113.55", FIREFOX));
    if (!second.ok) throw new Error("sign-in failed");
    expect(second.newDevice).toBe(true);

    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
    const [mail] = received;
    expect(mail).toMatchObject({ to: "owner@growbal.test", subject: "New sign-in to your Growbal account" });
    expect(mail?.text).toContain("Firefox");
    expect(mail?.text).toContain("203.0.113.x");
    const [session] = await getDb().select().from(authSessions).where(eq(authSessions.id, second.session.id));
    for (const secret of [user.password, second.token, second.session.id, session!.tokenHash, user.passwordHash!]) {
      expect(mail?.raw).not.toContain(secret);
    }
  });

  it("no notice for an account without an email, nor for a sign-in that is not there", async () => {
    const user = await makeUser();
    const first = await signInWithPassword(getDb(), attempt(user.username, user.password, "198.51.100.21", CHROME));
    const second = await signInWithPassword(getDb(), attempt(user.username, user.password, "203.0.113.56", FIREFOX));
    if (!second.ok) throw new Error("sign-in failed");
    expect(second.newDevice).toBe(true);
    const at = second.session.createdAt;
    expect(await newDeviceMailFor(getDb(), user.id, at, "http://localhost:3000")).toBeNull();

    await getDb().update(users).set({ email: "later@growbal.test" }).where(eq(users.id, user.id));
    const notice = await newDeviceMailFor(getDb(), user.id, at, "http://localhost:3000");
    expect(notice?.to).toBe("later@growbal.test");
    // The first sign-in was not from a new device (nothing to compare with): nothing to send for it.
    if (!first.ok) throw new Error("sign-in failed");
    expect(await newDeviceMailFor(getDb(), user.id, first.session.createdAt, "http://localhost:3000")).toBeNull();
  });
});

describe("the address for security notices", () => {
  const actor = (user: { id: string; username: string }) => ({
    userId: user.id,
    username: user.username,
    ip: "198.51.100.9",
    userAgent: "test",
    now: tick(),
  });

  it("is set, changed (the old address is told) and removed, each change an event without the address in it", async () => {
    mailOn();
    const user = await makeUser();
    expect(await setNotificationEmail(getDb(), actor(user), "first@growbal.test")).toBe(true);
    expect(await notificationEmailOf(getDb(), user.id)).toBe("first@growbal.test");
    expect(await setNotificationEmail(getDb(), actor(user), "FIRST@growbal.test")).toBe(false); // the same address

    expect(await setNotificationEmail(getDb(), actor(user), "second@growbal.test")).toBe(true);
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
    expect(received[0]).toMatchObject({ to: "first@growbal.test", subject: "The email address of your Growbal account was changed" });
    expect(received[0]?.raw).not.toContain("second@growbal.test");

    expect(await setNotificationEmail(getDb(), actor(user), null)).toBe(true);
    expect(await notificationEmailOf(getDb(), user.id)).toBeNull();
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
    expect(received[1]?.to).toBe("second@growbal.test");
    expect(received[1]?.text).toContain("removed");

    const events = await getDb().select().from(securityEvents).where(eq(securityEvents.userId, user.id));
    const changes = events.filter((e) => e.type === "notification_email_changed").map((e) => e.details);
    expect(changes).toEqual([
      { removed: false, hadOne: false },
      { removed: false, hadOne: true },
      { removed: true, hadOne: true },
    ]);
    expect(JSON.stringify(events)).not.toContain("@growbal.test");
  });

  it("another account's address is refused, and nothing changes", async () => {
    const [one, two] = [await makeUser(), await makeUser()];
    await setNotificationEmail(getDb(), actor(one), "taken@growbal.test");
    await expect(setNotificationEmail(getDb(), actor(two), "Taken@growbal.test")).rejects.toBeInstanceOf(AppError);
    expect(await notificationEmailOf(getDb(), two.id)).toBeNull();
  });

  it("the form accepts an address or nothing, and says what is wrong otherwise", () => {
    expect(notificationEmailSchema.parse({ email: " me@example.com " })).toEqual({ email: "me@example.com" });
    expect(notificationEmailSchema.parse({ email: "" })).toEqual({ email: "" });
    const wrong = notificationEmailSchema.safeParse({ email: "me@" });
    expect(wrong.error?.issues[0]?.message).toBe("Enter an email address such as you@example.com, or leave it empty.");
  });
});
