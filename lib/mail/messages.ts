import type { SecurityAlert } from "@/lib/db/schema";

/**
 * The mail this app sends, as plain text (nothing to render wrong, nothing remote to load). Pure: the sender
 * decides when; these say what. A message never carries a token, a session id or a password, only what a person
 * needs to act and a link to where they act.
 */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  /** Sent once per key (per process): an alert once, a sign-in's notice once. */
  key: string;
};

type AlertFields = Pick<SecurityAlert, "id" | "type" | "severity" | "subject" | "message" | "occurrences" | "createdAt">;

export function alertMail(alert: AlertFields, options: { to: string; appOrigin: string }): MailMessage {
  const severity = alert.severity.toUpperCase();
  return {
    to: options.to,
    key: `alert:${alert.id}`,
    subject: `[Growbal] ${severity} security alert: ${alert.type}`,
    text: [
      `A ${severity} security alert was raised on ${new URL(options.appOrigin).host}.`,
      "",
      alert.message,
      "",
      `Type:        ${alert.type}`,
      `Severity:    ${severity}`,
      `About:       ${alert.subject}`,
      `Occurrences: ${alert.occurrences}`,
      `Raised at:   ${alert.createdAt.toISOString()}`,
      "",
      `Review, acknowledge or resolve it: ${options.appOrigin}/admin/security`,
    ].join("\n"),
  };
}

export function newDeviceMail(notice: {
  to: string;
  username: string;
  device: string;
  at: Date;
  sessionRef: string;
  appOrigin: string;
}): MailMessage {
  return {
    to: notice.to,
    key: `new-device:${notice.sessionRef}`,
    subject: "New sign-in to your Growbal account",
    text: [
      `Hello ${notice.username},`,
      "",
      `Your account was signed in to from a device we have not seen it use: ${notice.device}, at ${notice.at.toISOString()}.`,
      "",
      "If this was you, there is nothing to do.",
      `If it was not, open your dashboard and choose "This wasn't me" to sign that device out, then change your password: ${notice.appOrigin}/dashboard`,
    ].join("\n"),
  };
}

/** To the old address when an account's notification address changes or is removed. */
export function emailChangedMail(notice: { to: string; username: string; removed: boolean; at: Date; appOrigin: string }): MailMessage {
  return {
    to: notice.to,
    key: `email-changed:${notice.username}:${notice.at.getTime()}`,
    subject: "The email address of your Growbal account was changed",
    text: [
      `Hello ${notice.username},`,
      "",
      notice.removed
        ? `At ${notice.at.toISOString()} this address was removed from your account: security notices are no longer mailed.`
        : `At ${notice.at.toISOString()} security notices for your account were moved to another address; this one gets no more.`,
      "",
      "If this was you, there is nothing to do.",
      `If it was not, sign in, sign out every other device and change your password: ${notice.appOrigin}/account`,
    ].join("\n"),
  };
}
