import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { recordEvent, withdrawEvent } from "@/lib/monitor/events";
import { loginFailureWindow } from "@/lib/monitor/windows";
import { normalizeIp } from "@/lib/http/client-ip";
import { networkOf } from "@/lib/policies/network";
import { throttleDecision, throttleLimits, throttleMessage } from "./login-throttle";

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
export type Gate = { allowed: true; failureEventId: number } | { allowed: false; message: string; retryAfterMs: number };

/**
 * Decides whether a password may be checked, and if so records the attempt as a failure *before* the (slow)
 * check — inside a per-username lock — so that a burst of parallel attempts counts every one of them. A successful
 * check then withdraws its failure (`withdrawFailure`).
 */
export async function openLoginGate(db: Database, attempt: Attempt, reason: string): Promise<Gate> {
  const username = attempt.username.trim().toLowerCase();
  const address = throttleAddress(attempt.ip);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login|${username}`}))`);
    const limits = throttleLimits();
    const window = await loginFailureWindow(tx, { username, ip: address, now: attempt.now, lockMs: limits.lockMs });
    const decision = throttleDecision(window, limits, attempt.now.getTime());
    if (!decision.allowed) {
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
      return { allowed: false, message: throttleMessage(decision), retryAfterMs: decision.retryAfterMs };
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
        details: { reason },
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
