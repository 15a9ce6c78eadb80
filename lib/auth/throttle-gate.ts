import type { Queryable } from "@/lib/db/client";
import { loginFailureWindow } from "@/lib/monitor/windows";
import { throttleDecision, throttleLimits, throttleMessage } from "./login-throttle";

/** The brute-force gate for any password check: null when allowed, otherwise what to tell the person. */
export async function checkLoginThrottle(
  db: Queryable,
  input: { username: string; ip: string | null; now: Date },
): Promise<{ message: string; retryAfterMs: number; reason: string } | null> {
  if (!input.ip) return null;
  const limits = throttleLimits();
  const window = await loginFailureWindow(db, { username: input.username, ip: input.ip, now: input.now, lockMs: limits.lockMs });
  const decision = throttleDecision(window, limits, input.now.getTime());
  return decision.allowed ? null : { message: throttleMessage(decision), retryAfterMs: decision.retryAfterMs, reason: decision.reason };
}
