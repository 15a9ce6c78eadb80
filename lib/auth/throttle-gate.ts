import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { recordEvent, settlePendingEvent, withdrawEvent } from "@/lib/monitor/events";
import { loginFailureWindow } from "@/lib/monitor/windows";
import { normalizeIp } from "@/lib/http/client-ip";
import { networkOf } from "@/lib/policies/network";
import { throttleDecision, throttleLimits, throttleMessage } from "./login-throttle";
import { BUSY } from "./password-check-queue";

/**
 * The brute-force gate for any password check. Attempts are keyed by username and by address: IPv4 exactly, IPv6 by
 * its /64 (one subscriber holds 2^64 addresses), and anything absent or unparseable in one shared bucket, so a
 * missing or garbled X-Forwarded-For never switches the throttle off.
 */
export function throttleAddress(ip: string | null): string {
  if (!ip) return "unknown";
  const network = networkOf(ip);
  if (network === null) return "unknown";
  if (network === "loopback") return ip.includes(":") ? "::1" : "127.0.0.1";
  return ip.includes(":") && !/^::ffff:\d/.test(ip) ? network : ip.replace(/^::ffff:/, "");
}

export type Attempt = { username: string; ip: string | null; userAgent: string | null; now: Date; userId?: string | null };
export type Refusal = { message: string; retryAfterMs: number; reason: ThrottleRefusalReason; failures: number };
export type Gate = { allowed: true; failureEventId: number } | ({ allowed: false } & Refusal);
type ThrottleRefusalReason = Extract<ReturnType<typeof throttleDecision>, { allowed: false }>["reason"];

/** How long an attempt waits for other checks of the same pair to finish before it is told to try again. */
const PENDING_WAIT_MS = 15_000;
const PENDING_POLL_MS = 100;

/**
 * Decides whether a password may be checked, and if so records the attempt as a failure *before* the (slow)
 * check — inside a per-username lock — so that a burst of parallel attempts counts every one of them. The check
 * then settles it: `withdrawFailure` when the password was right, `settleFailure` when it was not.
 *
 * Failures still pending do not refuse an attempt by themselves: when only they stand in the way, the attempt
 * waits for them to settle (a burst of correct sign-ins all get in; a burst of wrong ones is still cut at the
 * limit once they have failed).
 */
export async function openLoginGate(db: Database, attempt: Attempt, reason: string): Promise<Gate> {
  const deadline = Date.now() + PENDING_WAIT_MS;
  for (;;) {
    const gate = await tryLoginGate(db, attempt, reason);
    if (gate !== "wait") return gate;
    if (Date.now() >= deadline)
      return { allowed: false, message: BUSY.message, retryAfterMs: BUSY.retryAfterSeconds * 1000, reason: "backoff", failures: 0 };
    await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
  }
}

async function tryLoginGate(db: Database, attempt: Attempt, reason: string): Promise<Gate | "wait"> {
  const username = attempt.username.trim().toLowerCase();
  const address = throttleAddress(attempt.ip);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login|${username}`}))`);
    const limits = throttleLimits();
    const input = { username, ip: address, now: attempt.now, lockMs: limits.lockMs };
    const window = await loginFailureWindow(tx, input);
    const decision = throttleDecision(window, limits, attempt.now.getTime());
    if (!decision.allowed) {
      const settled = throttleDecision(await loginFailureWindow(tx, { ...input, settledOnly: true }), limits, attempt.now.getTime());
      if (settled.allowed) return "wait";
      await recordEvent(
        tx,
        "login_locked",
        {
          subject: username,
          ip: address,
          userAgent: attempt.userAgent,
          at: attempt.now,
          details: { reason: decision.reason, retryAfterMs: decision.retryAfterMs },
        },
        { essential: true },
      );
      const failures = decision.reason === "ip_locked" ? window.ipFailures : window.pairFailures;
      return { allowed: false, message: throttleMessage(decision), retryAfterMs: decision.retryAfterMs, reason: decision.reason, failures };
    }
    const id = await recordEvent(
      tx,
      "login_failed",
      {
        userId: attempt.userId ?? null,
        subject: username,
        ip: address,
        userAgent: attempt.userAgent,
        at: attempt.now,
        details: { reason, pending: true },
      },
      { essential: true },
    );
    return { allowed: true, failureEventId: id! };
  });
}

/** The password was right: the attempt recorded up front was not a failure after all. */
export async function withdrawFailure(db: Database, failureEventId: number): Promise<void> {
  await withdrawEvent(db, failureEventId, "login_failed");
}

/** The password was wrong (or the account unknown or disabled): the failure recorded up front stands. */
export async function settleFailure(db: Database, failureEventId: number, userId: string | null): Promise<void> {
  await settlePendingEvent(db, failureEventId, "login_failed", userId);
}

export type UnlockTarget = { username: string } | { address: string };

/**
 * Lifts sign-in locks: for a username (its pair locks and its account delay) or for an address (its address lock
 * and pair locks). Nothing is deleted: a `login_unlocked` event marks where the failure windows start again.
 */
export async function liftLoginLocks(db: Database, target: UnlockTarget, by: { userId: string | null; now: Date }): Promise<void> {
  const context = "username" in target ? { subject: target.username.trim().toLowerCase() } : { ip: throttleAddress(target.address) };
  await recordEvent(db, "login_unlocked", { ...context, userId: null, at: by.now, details: { by: by.userId } }, { essential: true });
}

/** Reads an operator's unlock argument: an IP address (v4 or v6) or else a username. */
export function parseUnlockTarget(raw: string): UnlockTarget {
  const value = raw.trim();
  return networkOf(normalizeIp(value)) !== null ? { address: normalizeIp(value) } : { username: value };
}
