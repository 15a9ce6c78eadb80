import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { alertMail, newDeviceMail } from "@/lib/mail/messages";

describe("mail messages", () => {
  const alert = {
    id: "7d1f0b8e-0000-4000-8000-000000000001",
    type: "failed_logins_per_ip",
    severity: "critical" as const,
    subject: "ip:203.0.113.9",
    message: "25 failed sign-ins from 203.0.113.9 within 15 minutes.",
    occurrences: 3,
    createdAt: new Date("2026-12-01T10:00:00Z"),
  };

  it("an alert says its severity and type in the subject and where to act in the text", () => {
    const mail = alertMail(alert, { to: "sec@example.com", appOrigin: "https://growbal.example" });
    expect(mail.subject).toBe("[Growbal] CRITICAL security alert: failed_logins_per_ip");
    expect(mail.text).toContain(alert.message);
    expect(mail.text).toContain("Occurrences: 3");
    expect(mail.text).toContain("https://growbal.example/admin/security");
    expect(mail.key).toBe(`alert:${alert.id}`);
  });

  it("a new-device notice names the device and the way to sign it out, keyed by the session's reference", () => {
    const mail = newDeviceMail({
      to: "me@example.com",
      username: "ana",
      device: "Firefox on Windows from 203.0.113.x",
      at: new Date("2026-12-01T10:00:00Z"),
      sessionRef: "ref123",
      appOrigin: "https://growbal.example",
    });
    expect(mail.subject).toBe("New sign-in to your Growbal account");
    expect(mail.text).toContain("Firefox on Windows from 203.0.113.x");
    expect(mail.text).toContain("https://growbal.example/dashboard");
    expect(mail.key).toBe("new-device:ref123");
  });

  it("SMTP_URL, ALERT_EMAIL_TO and MAIL_FROM are validated", () => {
    expect(parseConfig({ SMTP_URL: "smtps://u:p@mail.example:465", ALERT_EMAIL_TO: "sec@example.com" }).SMTP_URL).toBe(
      "smtps://u:p@mail.example:465",
    );
    expect(() => parseConfig({ SMTP_URL: "http://mail.example" })).toThrow(/SMTP_URL must be an smtp/);
    expect(() => parseConfig({ ALERT_EMAIL_TO: "not an address" })).toThrow(/ALERT_EMAIL_TO must be an email/);
  });
});
