import "server-only";
import { and, eq, lte } from "drizzle-orm";
import { getConfig } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import { authSessions } from "@/lib/db/schema";
import { detect } from "@/lib/monitor/detect";
import { recordEvent } from "@/lib/monitor/events";
import { evaluate, violationLimitMinutes } from "@/lib/policies/evaluate";
import { violationMessage } from "@/lib/policies/messages";
import { expiryAt, shouldExtend } from "@/lib/policies/limits";
import {
  isViolation,
  type EndReason,
  type RequestFacts,
  type SessionFacts,
  type SessionPolicy,
  type Violation,
} from "@/lib/policies/types";
import { userAgentFingerprint } from "@/lib/policies/user-agent";
import { secondFactorOwed, type SecondFactorStep } from "@/lib/policies/second-factor";
import type { SessionData } from "./cookie";
import { endingMessage } from "./end-reasons";
import { endSessions } from "./end-sessions";
import { policyOfSession } from "./session-policy";
import { findLiveSession, type LiveSession } from "./store";
import { MINUTE_MS } from "@/lib/time";
import { metrics } from "@/lib/metrics/registry";

/**
 * The authoritative session check: database truth (row timestamps, revocation, the user's override) judged by
 * the same `evaluate` the edge runs. A violation ends the session here, with an event.
 */

/** Activity is written at most once a minute per session. */
export const ACTIVITY_WRITE_INTERVAL_MS = MINUTE_MS;

export type GuardOutcome =
  | { status: "none" }
  /** Live; `secondFactor` is the step it still owes (it then reaches only that step's page and sign-out). */
  | { status: "ok"; live: LiveSession; policy: SessionPolicy; secondFactor: SecondFactorStep | null }
  | { status: "violation"; violation: Violation; message: string; limitMinutes: number | null }
  /** Ended for another reason (signed out elsewhere, evicted, an administrator …): said in words too. */
  | { status: "ended"; reason: Exclude<EndReason, Violation>; message: string };

/** The second-factor step this session owes, from database truth. */
export function secondFactorStepOf(live: LiveSession, policy: SessionPolicy): SecondFactorStep | null {
  return secondFactorOwed(policy, {
    signedIn: live.session.userId !== null,
    verified: live.session.mfaVerifiedAt !== null,
    hasFactor: Boolean(live.user?.mfaEnabledAt),
  });
}

export function sessionFactsFromRow(live: LiveSession, policy: SessionPolicy): SessionFacts {
  const { session } = live;
  return {
    kind: session.kind,
    createdAt: session.createdAt.getTime(),
    lastActivityAt: session.lastActivityAt.getTime(),
    authenticatedAt: session.authenticatedAt?.getTime() ?? null,
    rememberMe: session.rememberMe,
    ip: session.clientIp,
    userAgentFingerprint: userAgentFingerprint(session.userAgent),
    mfaPending: secondFactorStepOf(live, policy) !== null,
  };
}

/** The check, counted by outcome for the metrics. */
export async function checkSession(
  db: Database,
  data: Pick<SessionData, "sid" | "token">,
  request: RequestFacts,
  now: Date,
  options: { touch: boolean } = { touch: true },
): Promise<GuardOutcome> {
  const outcome = await judgeSession(db, data, request, now, options);
  metrics().sessionChecks.inc({ outcome: outcome.status });
  return outcome;
}

async function judgeSession(
  db: Database,
  data: Pick<SessionData, "sid" | "token">,
  request: RequestFacts,
  now: Date,
  options: { touch: boolean } = { touch: true },
): Promise<GuardOutcome> {
  // Expired and revoked rows are looked at too, so the person learns which limit ended the session (another tab
  // or a prefetch may have ended it a moment earlier).
  const live = await findLiveSession(db, data.sid, data.token, now, { includeExpired: true, includeRevoked: true });
  if (!live) return { status: "none" };
  const policy = policyOfSession(live.session, live.override);
  const facts = sessionFactsFromRow(live, policy);
  const secondFactor = secondFactorStepOf(live, policy);
  if (live.session.revokedAt) {
    const reason = live.session.revokeReason;
    if (!reason) return { status: "none" };
    if (!isViolation(reason)) return { status: "ended", reason, message: endingMessage(reason) };
    const limitMinutes = violationLimitMinutes(reason, policy, facts.rememberMe);
    return { status: "violation", violation: reason, message: violationMessage(reason, limitMinutes), limitMinutes };
  }

  if (getConfig().policySettings.enforce) {
    const decision = evaluate(facts, request, policy, now.getTime());
    // An owed second factor holds the session (the DAL lets it reach that step only); it does not end it.
    if (!decision.ok && decision.violation !== "mfa_pending") {
      await endForViolation(db, live, decision.violation, request, now);
      return {
        status: "violation",
        violation: decision.violation,
        message: decision.message,
        limitMinutes: violationLimitMinutes(decision.violation, policy, facts.rememberMe),
      };
    }
  }

  if (live.session.expiresAt.getTime() < now.getTime()) return { status: "none" };
  if (options.touch && now.getTime() - facts.lastActivityAt >= ACTIVITY_WRITE_INTERVAL_MS) {
    await recordActivity(db, live, facts, policy, request, now);
  }
  return { status: "ok", live, policy, secondFactor };
}

async function endForViolation(db: Database, live: LiveSession, violation: Violation, request: RequestFacts, now: Date) {
  // Only the request that actually ended it records the event (concurrent requests race here).
  const ended = await endSessions(db, { ids: [live.session.id] }, violation, {
    now,
    ip: request.ip,
    userAgent: request.userAgent,
    details: { kind: live.session.kind, country: request.country },
  });
  if (ended.length > 0) await detect(db, { kind: "policy_violation", userId: live.session.userId }, now);
}

async function recordActivity(
  db: Database,
  live: LiveSession,
  facts: SessionFacts,
  policy: SessionPolicy,
  request: RequestFacts,
  now: Date,
) {
  const at = now.getTime();
  // A session waiting for its second factor keeps its short expiry: activity does not buy it time.
  const extend = !facts.mfaPending && shouldExtend(policy, facts, at);
  const nextExpiry = extend ? new Date(expiryAt(policy, facts, at)) : live.session.expiresAt;
  const extended = nextExpiry.getTime() > live.session.expiresAt.getTime();
  const updated = await db
    .update(authSessions)
    .set({ lastActivityAt: now, ...(extended ? { expiresAt: nextExpiry } : {}) })
    .where(
      and(
        eq(authSessions.id, live.session.id),
        // Another instance may have written it a moment ago: then this write is skipped.
        lte(authSessions.lastActivityAt, new Date(at - ACTIVITY_WRITE_INTERVAL_MS)),
      ),
    )
    .returning({ id: authSessions.id });
  if (updated.length > 0) {
    // Throttled with the activity write: at most one per session per minute.
    await recordEvent(db, "session_accessed", {
      userId: live.session.userId,
      authSessionId: live.session.id,
      ip: request.ip,
      userAgent: request.userAgent,
      at: now,
    });
    if (live.session.userId) {
      await detect(db, { kind: "session_accessed", userId: live.session.userId, ipBinding: policy.ipBinding }, now);
    }
  }
  if (extended && updated.length > 0) {
    await recordEvent(db, "session_extended", {
      userId: live.session.userId,
      authSessionId: live.session.id,
      at: now,
      details: { from: live.session.expiresAt.toISOString(), to: nextExpiry.toISOString() },
    });
  }
  live.session.lastActivityAt = now;
  if (extended) live.session.expiresAt = nextExpiry;
}
