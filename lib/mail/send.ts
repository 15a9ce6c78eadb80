import nodemailer, { type Transporter } from "nodemailer";
import { getConfig } from "@/lib/config";
import { afterResponse } from "@/lib/delivery/after-response";
import { withRetries, type DeliveryResult, type RetryOptions } from "@/lib/delivery/retry";
import { log } from "@/lib/log/logger";
import type { MailMessage } from "./messages";

/**
 * Mail by SMTP (SMTP_URL), sent after the response, retried with back-off, once per message key. Without SMTP_URL
 * nothing is sent and nothing fails: mail is a notification on top of what the app shows, never the only record.
 */

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
const REMEMBERED_KEYS = 10_000;

type MailState = { transports: Map<string, Transporter>; sent: Set<string> };
const KEY = Symbol.for("growbal.mail");

function state(): MailState {
  const store = globalThis as unknown as { [KEY]?: MailState };
  store[KEY] ??= { transports: new Map(), sent: new Set() };
  return store[KEY];
}

function transportFor(url: string): Transporter {
  const { transports } = state();
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport({ url, ...TIMEOUTS });
    transports.set(url, transport);
  }
  return transport;
}

/** A refusal a retry cannot change: the server said 5xx (bad address, message refused, authentication). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500;
}

export function mailSender(appOrigin: string): string {
  return getConfig().MAIL_FROM ?? `Growbal Intelligence <no-reply@${new URL(appOrigin).hostname}>`;
}

export async function deliverMail(
  smtpUrl: string,
  from: string,
  message: MailMessage,
  options: RetryOptions = {},
): Promise<DeliveryResult> {
  const transport = transportFor(smtpUrl);
  return withRetries(async () => {
    try {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
      return "delivered";
    } catch (error) {
      return isPermanent(error) ? "give_up" : "retry";
    }
  }, options);
}

/** Sends a message after the response, unless mail is off or this key was sent already. */
export function queueMail(message: MailMessage | (() => Promise<MailMessage | null>), what: string): void {
  const config = getConfig();
  const smtpUrl = config.SMTP_URL;
  if (!smtpUrl) return;
  afterResponse(what, async () => {
    const mail = typeof message === "function" ? await message() : message;
    if (!mail) return;
    const { sent } = state();
    if (sent.has(mail.key)) return;
    sent.add(mail.key);
    if (sent.size > REMEMBERED_KEYS) sent.delete(sent.values().next().value!);
    const result = await deliverMail(smtpUrl, mailSender(config.appOrigin), mail);
    // The recipient and key only: the text is in the database's own records (alert, event) already.
    if (result.delivered) log().info({ mail: mail.key, attempts: result.attempts }, `${what} mailed`);
    else {
      sent.delete(mail.key);
      log().error({ mail: mail.key, attempts: result.attempts }, `${what} not mailed`);
    }
  });
}
