import "server-only";
import { eq } from "drizzle-orm";
import { adoptAnonymousChats, handOverAnonymousChats } from "@/lib/chat/chat-sessions";
import type { Database, Queryable } from "@/lib/db/client";
import { policyOverrides, users, type AuthSession, type User } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import type { PolicyPatch } from "@/lib/policies/resolve";
import type { SessionPolicy } from "@/lib/policies/types";
import type { SessionData } from "@/lib/sessions/cookie";
import { policyFor } from "@/lib/sessions/session-policy";
import { endSessions } from "@/lib/sessions/end-sessions";
import { createAuthSession, evictBeyondLimit, findLiveSession, parseOverride, raiseSessionFlags } from "@/lib/sessions/store";
import { getConfig } from "@/lib/config";
import { SECOND_FACTOR_WINDOW_MINUTES, secondFactorOwed, type SecondFactorStep } from "@/lib/policies/second-factor";
import { MINUTE_MS } from "@/lib/time";
import { metrics } from "@/lib/metrics/registry";
import { detect } from "@/lib/monitor/detect";
import { afterSignIn } from "./after-sign-in";
import { openAlertSeverity } from "@/lib/monitor/session-flags";
import { failuresSinceLastSignIn } from "@/lib/monitor/windows";
import { BUSY, passwordChecks } from "./password-check-queue";
import { openLoginGate, settleFailure, throttleAddress, withdrawFailure, type Gate } from "./throttle-gate";
import { describeDevice, deviceOf, isNewDevice } from "./new-device";
import { hashCost, hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords";
import { findUserByUsername } from "./users";

export type SignInRequest = {
  username: string;
  password: string;
  rememberMe: boolean;
  /** The session the browser already had (anonymous or stale); it is replaced, never reused. */
  previous: SessionData | null;
  clientIp: string | null;
  userAgent: string | null;
  now: Date;
};

export type SignInResult =
  ({ ok: true; user: User } & OpenedSession) | { ok: false; throttled?: { message: string; retryAfterSeconds: number } };

/**
 * Password sign-in. Unknown users, wrong passwords and disabled accounts all fail the same way after the same
 * bcrypt work, so neither the answer nor its timing tells which usernames exist.
 */
export async function signInWithPassword(db: Database, request: SignInRequest): Promise<SignInResult> {
  const { clientIp: ip, userAgent, now } = request;
  const checked = await checkPassword(db, request);
  metrics().signIns.inc({ method: "password", outcome: checked.ok ? "ok" : checked.throttled ? "throttled" : "failed" });
  if (!checked.ok) return checked;
  const { user } = checked;
  const created = await db.transaction((tx) =>
    openSignedInSession(tx, { user, previous: request.previous, rememberMe: request.rememberMe, ip, userAgent, now, method: "password" }),
  );
  if (created.secondFactor === null) await afterSignIn(db, user.id, now);
  return { ok: true, user, ...created };
}

export type PasswordCheck = { ok: true; user: User } | { ok: false; throttled?: { message: string; retryAfterSeconds: number } };

/**
 * The password step of every sign-in (the form, the token API): admission, the brute-force gate, the bcrypt check
 * (the same work for unknown users), the failure's record and alert, and the hash upgrade when the cost changed.
 */
export async function checkPassword(
  db: Database,
  request: Pick<SignInRequest, "username" | "password" | "clientIp" | "userAgent" | "now">,
): Promise<PasswordCheck> {
  const { clientIp: ip, userAgent, now } = request;

  // Admission first (no database work for a refused attempt), then brute-force protection: a locked
  // (username, address) pair, address or delayed account gets no password check at all.
  const ticket = passwordChecks.admit(throttleAddress(ip));
  if (!ticket) return { ok: false, throttled: BUSY };
  let user: User | undefined;
  let gate: Gate;
  let passwordOk: boolean;
  try {
    gate = await openLoginGate(db, { username: request.username, ip, userAgent, now }, "invalid_credentials");
    if (!gate.allowed) {
      // A lock is itself worth an alert, and refused attempts count against the address.
      await detect(
        db,
        { kind: "login_locked", username: request.username, ip: throttleAddress(ip), reason: gate.reason, failures: gate.failures },
        now,
      );
      return { ok: false, throttled: { message: gate.message, retryAfterSeconds: Math.ceil(gate.retryAfterMs / 1000) } };
    }
    user = await findUserByUsername(db, request.username);
    const hash = user?.passwordHash;
    passwordOk = await ticket.run(() => (hash ? verifyPassword(request.password, hash) : verifyAgainstDummy(request.password)));
  } finally {
    ticket.cancel();
  }

  if (!user || !passwordOk || user.disabledAt) {
    // The failure was recorded by the gate; now it is no longer pending, and belongs to the user when there is one.
    await settleFailure(db, gate.failureEventId, user?.id ?? null);
    await detect(db, { kind: "login_failed", ip: throttleAddress(ip) }, now);
    return { ok: false };
  }
  await withdrawFailure(db, gate.failureEventId);

  // Hashes made with another cost (the setting changed) are upgraded while the password is at hand, so every
  // account costs the same to check again.
  if (hashCost(user.passwordHash) !== getConfig().BCRYPT_COST) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(request.password) })
      .where(eq(users.id, user.id));
  }
  return { ok: true, user };
}

export type SignInMethod = "password" | "passkey" | "sso";

type OpenSessionInput = {
  user: User;
  previous: SessionData | null;
  rememberMe: boolean;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  /** A passkey is both factors at once (something you have, unlocked by something you know or are). */
  method: SignInMethod;
  /** SSO: the identity, the provider's session id and when the person authenticated there. */
  sso?: { identityId: string; idpSessionId: string | null; authenticatedAt: Date };
};

export type OpenedSession = {
  session: AuthSession;
  token: string;
  override: PolicyPatch | null;
  evicted: string[];
  newDevice: boolean;
  /** The step still owed after a password (then the session reaches only that step until it is done). */
  secondFactor: SecondFactorStep | null;
};

/**
 * The session a proven sign-in opens, in the caller's transaction: the browser's previous session is replaced (an
 * anonymous visitor's chats come along), and the new one is either complete or waits for its second factor with a
 * short expiry. A waiting session evicts nobody and is not yet a sign-in: knowing the password alone must not push
 * the owner's devices out or reset what they are told about failed attempts.
 */
export async function openSignedInSession(tx: Queryable, input: OpenSessionInput): Promise<OpenedSession> {
  const { user, ip, userAgent, now } = input;
  // Locks the user row: this user's sign-ins take turns, so the concurrency limit holds even when they race.
  await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
  const [overrideRow] = await tx
    .select({ policy: policyOverrides.policy })
    .from(policyOverrides)
    .where(eq(policyOverrides.userId, user.id));
  const override = parseOverride(overrideRow?.policy);

  // Administrators are held to the admin policy however they sign in; other SSO sign-ins to the sso policy.
  const kind = user.role === "admin" ? "admin" : input.method === "sso" ? "sso" : "authenticated";
  const policy = policyFor(kind, override);
  const secondFactor =
    input.method === "passkey"
      ? null
      : secondFactorOwed(policy, { signedIn: true, verified: false, hasFactor: user.mfaEnabledAt !== null });
  const { session, token } = await createAuthSession(tx, {
    userId: user.id,
    kind,
    policy,
    rememberMe: input.rememberMe,
    authMethod: input.method,
    mfaVerifiedAt: input.method === "passkey" ? now : null,
    clientIp: ip,
    userAgent,
    now,
    expiresAt: secondFactor ? new Date(now.getTime() + SECOND_FACTOR_WINDOW_MINUTES * MINUTE_MS) : undefined,
    authenticatedAt: input.sso?.authenticatedAt,
    sso: input.sso ? { identityId: input.sso.identityId, idpSessionId: input.sso.idpSessionId } : null,
  });

  if (input.previous) {
    const previous = await findLiveSession(tx, input.previous.sid, input.previous.token, now);
    if (previous) {
      const reason = previous.session.kind === "anonymous" ? "upgraded" : "superseded";
      // The visitor's chats come along to the account they sign in to, once the sign-in is complete: until then they
      // wait with the new session (a password alone must not put chats into an account).
      if (previous.session.kind === "anonymous") {
        if (secondFactor) await handOverAnonymousChats(tx, previous.session.id, session.id);
        else await adoptAnonymousChats(tx, previous.session.id, user.id);
      }
      await endSessions(tx, { ids: [previous.session.id] }, reason, { now, ip, userAgent });
    }
  }

  if (secondFactor) {
    await recordEvent(tx, "session_created", {
      userId: user.id,
      authSessionId: session.id,
      ip,
      userAgent,
      at: now,
      details: { kind: session.kind, rememberMe: session.rememberMe, secondFactor },
    });
    return { session, token, override, evicted: [], newDevice: false, secondFactor };
  }
  const finished = await finishSignIn(tx, { user, session, policy, now, ip, userAgent });
  return { session, token, override, ...finished, secondFactor: null };
}

/**
 * What makes a session a sign-in, once every factor it owes is given: the monitor's flags, the concurrency limit,
 * the new-device notice and the `login_succeeded` / `session_created` events. In the transaction that opened (or
 * rotated into) the session; callers run `afterSignIn` once it commits.
 */
export async function finishSignIn(
  tx: Queryable,
  input: {
    user: Pick<User, "id" | "username">;
    session: AuthSession;
    policy: SessionPolicy;
    now: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<{ evicted: string[]; newDevice: boolean }> {
  const { user, session, now, ip, userAgent } = input;
  const [owner] = await tx.select({ mfaEnabledAt: users.mfaEnabledAt }).from(users).where(eq(users.id, user.id)).for("update");
  // Sessions still waiting for their second factor neither count toward the limit nor are pushed out by it: a
  // password alone must not crowd the owner's devices out.
  const hasFactor = Boolean(owner?.mfaEnabledAt);
  const verifiedOnly = secondFactorOwed(input.policy, { signedIn: true, verified: false, hasFactor }) !== null;
  // A session started while an alert about this user is open is flagged like the ones before it.
  const openAlert = getConfig().FLAG_SUSPICIOUS_SESSIONS ? await openAlertSeverity(tx, user.id) : null;
  if (openAlert) await raiseSessionFlags(tx, user.id, openAlert, now);
  const evicted = await evictBeyondLimit(tx, {
    userId: user.id,
    limit: input.policy.maxConcurrentSessions,
    keep: session.id,
    now,
    ip,
    userAgent,
    verifiedOnly,
  });
  const device = deviceOf(userAgent, ip);
  const newDevice = await isNewDevice(tx, user.id, device, now);
  // Counted before this success is recorded: the owner is told on the dashboard (see failed-attempts-notice.ts).
  const failedAttemptsSinceLastSignIn = await failuresSinceLastSignIn(tx, user.username, now);
  await recordEvent(
    tx,
    "login_succeeded",
    {
      userId: user.id,
      authSessionId: session.id,
      subject: user.username,
      ip: throttleAddress(ip),
      userAgent,
      at: now,
      details: { ...device, failedAttemptsSinceLastSignIn, method: session.authMethod },
    },
    { essential: true },
  );
  if (newDevice) {
    await recordEvent(tx, "new_device", {
      userId: user.id,
      authSessionId: session.id,
      ip,
      userAgent,
      at: now,
      details: { ...device, label: describeDevice(userAgent, ip) },
    });
  }
  await recordEvent(tx, "session_created", {
    userId: user.id,
    authSessionId: session.id,
    ip,
    userAgent,
    at: now,
    details: { kind: session.kind, rememberMe: session.rememberMe, method: session.authMethod },
  });
  return { evicted: evicted, newDevice };
}
