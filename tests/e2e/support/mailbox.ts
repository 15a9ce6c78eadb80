import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { ROOT } from "./server";

/**
 * The run's mail server: a real SMTP server on loopback (smtp-server) that keeps each message as a .eml file, so
 * tests in any worker read what the app sent. Started by global setup; the app gets its address as SMTP_URL.
 */
export const MAILBOX = path.join(ROOT, "test-results", "mailbox");

export async function startMailbox(): Promise<{ url: string; stop(): Promise<void> }> {
  fs.rmSync(MAILBOX, { recursive: true, force: true });
  fs.mkdirSync(MAILBOX, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        count += 1;
        // Written whole, then renamed: a reader never sees half a message.
        const file = path.join(MAILBOX, `${String(count).padStart(5, "0")}.eml`);
        fs.writeFileSync(`${file}.part`, Buffer.concat(chunks));
        fs.renameSync(`${file}.part`, file);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export type ReceivedMail = { to: string; subject: string; text: string; raw: string };

/** Every message received so far for `address`. */
export async function mailTo(address: string): Promise<ReceivedMail[]> {
  const files = fs.existsSync(MAILBOX) ? fs.readdirSync(MAILBOX).filter((f) => f.endsWith(".eml")) : [];
  const mails = await Promise.all(
    files.sort().map(async (file) => {
      const raw = fs.readFileSync(path.join(MAILBOX, file), "utf8");
      const parsed = await simpleParser(raw);
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      return { to, subject: parsed.subject ?? "", text: parsed.text ?? "", raw };
    }),
  );
  return mails.filter((mail) => mail.to.includes(address));
}
