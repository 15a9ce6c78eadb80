import { ACCESS_TOKEN_METHOD, accessTokenPolicy } from "@/lib/policies/access-token";
import { and, eq, gt, inArray, isNotNull, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { authSessions, chatSessions, policyOverrides, securityEvents, users } from "@/lib/db/schema";
import { allPolicies, resolvePolicy, type PolicySettings } from "@/lib/policies/resolve";
import { sessionKinds, type EndReason } from "@/lib/policies/types";
import { endSessions } from "@/lib/sessions/end-sessions";
import { parseOverride } from "@/lib/sessions/store";
import { staleReason } from "./judge";
import { MINUTE_MS } from "@/lib/time";

/**
 * The cleanup categories. Every write is set-based and batched (at most `batchSize` rows per statement, rows
 * locked with SKIP LOCKED), each batch its own short transaction — never one transaction over the whole table.
 */

export type CleanupContext = {
  db: Database;
  now: Date;
  batchSize: number;
  trigger: string;
  settings: PolicySettings;
  /** Called after every statement with the number of rows it changed (tests assert the batch bound). */
  onBatch: (category: string, rows: number) => void;
};

/** Ends live sessions matching `where`, batch by batch, each batch its own transaction (one event per session). */
async function revokeWhere(
  ctx: CleanupContext,
  category: string,
  reason: EndReason,
  where: SQL | undefined,
  details: Record<string, unknown> = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const ended = await ctx.db.transaction(async (tx) => {
      // A batch lost in a crash is redone by the next run, and the request path refuses a stale session on its
      // own: the commit need not wait for the disk (nor make signed-in people's commits queue behind it).
      await tx.execute(sql`set local synchronous_commit = off`);
      return endSessions(tx, { where, batchSize: ctx.batchSize }, reason, {
        now: ctx.now,
        details: { ...details, category, trigger: ctx.trigger },
      });
    });
    ctx.onBatch(category, ended.length);
    total += ended.length;
    if (ended.length < ctx.batchSize) return total;
  }
}

/** Revokes exactly these ids (already judged), in batches. */
async function revokeIds(ctx: CleanupContext, category: string, reason: EndReason, ids: string[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < ids.length; i += ctx.batchSize) {
    total += await revokeWhere(ctx, category, reason, inArray(authSessions.id, ids.slice(i, i + ctx.batchSize)));
  }
  return total;
}

/** Past `expires_at`: auth sessions are revoked, chats marked inactive. */
export async function cleanupExpired(ctx: CleanupContext): Promise<{ sessions: number; chats: number }> {
  const sessions = await revokeWhere(ctx, "expired", "expired", lt(authSessions.expiresAt, ctx.now));
  let chats = 0;
  for (;;) {
    const batch = ctx.db
      .select({ id: chatSessions.id })
      .from(chatSessions)
      .where(and(eq(chatSessions.isActive, true), lt(chatSessions.expiresAt, ctx.now)))
      .limit(ctx.batchSize)
      .for("update", { skipLocked: true });
    const ended = await ctx.db
      .update(chatSessions)
      .set({ isActive: false })
      .where(inArray(chatSessions.id, batch))
      .returning({ id: chatSessions.id });
    ctx.onBatch("expired_chats", ended.length);
    chats += ended.length;
    if (ended.length < ctx.batchSize) return { sessions, chats };
  }
}

/**
 * Idle sessions and policy violations (absolute lifetime, forced re-auth), judged per row by the policy engine with
 * each user's override. Rows are pre-filtered in SQL by the shortest limit any policy could have.
 */
export async function cleanupByPolicy(
  ctx: CleanupContext,
  categories: { idle: boolean; policyViolations: boolean },
): Promise<{ idle: number; policyViolations: number }> {
  if (!categories.idle && !categories.policyViolations) return { idle: 0, policyViolations: 0 };
  const overrides = new Map<string, ReturnType<typeof parseOverride>>();
  for (const row of await ctx.db.select().from(policyOverrides)) overrides.set(row.userId, parseOverride(row.policy));

  const policies = [...Object.values(allPolicies(ctx.settings))];
  const candidates = [...policies, ...[...overrides.values()].filter(Boolean).map((o) => ({ ...policies[0]!, ...o }))];
  const shortest = (pick: (p: (typeof candidates)[number]) => (number | null)[]) =>
    Math.min(...candidates.flatMap(pick).filter((v): v is number => v !== null)) * MINUTE_MS;
  const minIdle = shortest((p) => [p.idleTimeoutMinutes, p.rememberMe?.idleTimeoutMinutes ?? null]);
  const minLife = shortest((p) => [p.maxDurationMinutes, p.rememberMe?.maxDurationMinutes ?? null, p.forceReauthAfterMinutes]);
  const at = ctx.now.getTime();

  const counts = { idle: 0, policyViolations: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await ctx.db
      .select({
        id: authSessions.id,
        userId: authSessions.userId,
        kind: authSessions.kind,
        createdAt: authSessions.createdAt,
        lastActivityAt: authSessions.lastActivityAt,
        authenticatedAt: authSessions.authenticatedAt,
        rememberMe: authSessions.rememberMe,
        authMethod: authSessions.authMethod,
        expiresAt: authSessions.expiresAt,
      })
      .from(authSessions)
      .where(
        and(
          isNull(authSessions.revokedAt),
          gt(authSessions.id, after),
          or(
            categories.idle ? lt(authSessions.lastActivityAt, new Date(at - minIdle)) : undefined,
            categories.policyViolations ? lt(authSessions.createdAt, new Date(at - minLife)) : undefined,
            categories.policyViolations ? lt(authSessions.authenticatedAt, new Date(at - minLife)) : undefined,
          ),
        ),
      )
      .orderBy(authSessions.id)
      .limit(ctx.batchSize);
    ctx.onBatch("policy_scan", rows.length);
    // Judged and revoked page by page: memory stays bounded, and a failure later keeps what was done.
    const page = { idle_timeout: [] as string[], absolute_timeout: [] as string[], reauth_required: [] as string[] };
    for (const row of rows) {
      const kindPolicy = resolvePolicy(row.kind, ctx.settings, row.userId ? overrides.get(row.userId) : null);
      // A personal access token has no idle limit and ends at its own expiry (the expired sweep's job).
      const policy =
        row.authMethod === ACCESS_TOKEN_METHOD
          ? accessTokenPolicy(kindPolicy, { createdAt: row.createdAt.getTime(), expiresAt: row.expiresAt.getTime() })
          : kindPolicy;
      const reason = staleReason(
        {
          createdAt: row.createdAt.getTime(),
          lastActivityAt: row.lastActivityAt.getTime(),
          authenticatedAt: row.authenticatedAt?.getTime() ?? null,
          rememberMe: row.rememberMe,
        },
        policy,
        at,
        categories,
      );
      if (reason) page[reason].push(row.id);
    }
    counts.idle += await revokeIds(ctx, "idle", "idle_timeout", page.idle_timeout);
    counts.policyViolations += await revokeIds(ctx, "policy_violations", "absolute_timeout", page.absolute_timeout);
    counts.policyViolations += await revokeIds(ctx, "policy_violations", "reauth_required", page.reauth_required);
    if (rows.length < ctx.batchSize) return counts;
    after = rows.at(-1)!.id;
  }
}

/** Signed-in sessions whose user was deleted or disabled. */
export async function cleanupOrphaned(ctx: CleanupContext): Promise<number> {
  const disabledUsers = ctx.db.select({ id: users.id }).from(users).where(isNotNull(users.disabledAt));
  return revokeWhere(
    ctx,
    "orphaned",
    "orphaned",
    and(ne(authSessions.kind, "anonymous"), or(isNull(authSessions.userId), inArray(authSessions.userId, disabledUsers))),
  );
}

/** More live sessions than the user's policy allows: the most recently active ones are kept. */
export async function cleanupDuplicates(ctx: CleanupContext): Promise<number> {
  const limits = sql.join(
    sessionKinds.map((kind) => sql`(${kind}, ${resolvePolicy(kind, ctx.settings).maxConcurrentSessions}::int)`),
    sql`, `,
  );
  const nowIso = ctx.now.toISOString();
  const excess = sql`(
    select ranked.id from (
      select s.id,
        row_number() over (partition by s.user_id order by s.last_activity_at desc, s.id desc) as position,
        coalesce((o.policy->>'maxConcurrentSessions')::int, k.max_sessions) as max_sessions
      from auth_sessions s
      join (values ${limits}) as k(kind, max_sessions) on k.kind = s.kind
      left join policy_overrides o on o.user_id = s.user_id
      where s.revoked_at is null and s.user_id is not null and s.expires_at >= ${nowIso}::timestamptz
    ) ranked where ranked.position > ranked.max_sessions
  )`;
  return revokeWhere(ctx, "duplicates", "concurrency_limit", sql`${authSessions.id} in ${excess}`);
}

/** Sessions a CRITICAL alert flagged (HIGH-flagged ones wait for an administrator: see monitor/session-flags.ts). */
export async function cleanupSuspicious(ctx: CleanupContext): Promise<number> {
  return revokeWhere(ctx, "suspicious", "suspicious", eq(authSessions.suspiciousSeverity, "critical"));
}

/** Anonymous sessions beyond the cap: the least recently active are ended. */
export async function cleanupAnonymousOverLimit(ctx: CleanupContext, maxAnonymous: number): Promise<number> {
  const nowIso = ctx.now.toISOString();
  const beyond = sql`(
    select id from auth_sessions
    where kind = 'anonymous' and revoked_at is null and expires_at >= ${nowIso}::timestamptz
    order by last_activity_at desc, id desc offset ${maxAnonymous}
  )`;
  return revokeWhere(ctx, "anonymous_over_limit", "anonymous_limit", sql`${authSessions.id} in ${beyond}`);
}

/** Deletes sessions that ended more than `keepDays` ago, and anonymous chats nobody can reach any more. */
export async function purgeEnded(ctx: CleanupContext, keepDays: number): Promise<number> {
  const cutoff = new Date(ctx.now.getTime() - keepDays * 24 * 60 * MINUTE_MS);
  let purged = 0;
  for (;;) {
    const batch = ctx.db
      .select({ id: authSessions.id })
      .from(authSessions)
      // A session ended at its revocation or its expiry, whichever came first.
      .where(or(lt(authSessions.revokedAt, cutoff), lt(authSessions.expiresAt, cutoff)))
      .limit(ctx.batchSize)
      .for("update", { skipLocked: true });
    const deleted = await ctx.db.delete(authSessions).where(inArray(authSessions.id, batch)).returning({ id: authSessions.id });
    ctx.onBatch("purge", deleted.length);
    purged += deleted.length;
    if (deleted.length < ctx.batchSize) break;
  }
  for (;;) {
    const batch = ctx.db
      .select({ id: chatSessions.id })
      .from(chatSessions)
      .where(and(isNull(chatSessions.userId), isNull(chatSessions.ownerAuthSessionId), lt(chatSessions.expiresAt, cutoff)))
      .limit(ctx.batchSize)
      .for("update", { skipLocked: true });
    const deleted = await ctx.db.delete(chatSessions).where(inArray(chatSessions.id, batch)).returning({ id: chatSessions.id });
    ctx.onBatch("purge_chats", deleted.length);
    if (deleted.length < ctx.batchSize) break;
  }
  return purged;
}

/** Deletes security events older than `keepDays` (the audit retention), in batches. */
export async function purgeOldEvents(ctx: CleanupContext, keepDays: number): Promise<number> {
  const cutoff = new Date(ctx.now.getTime() - keepDays * 24 * 60 * MINUTE_MS);
  let purged = 0;
  for (;;) {
    const batch = ctx.db.select({ id: securityEvents.id }).from(securityEvents).where(lt(securityEvents.at, cutoff)).limit(ctx.batchSize);
    const deleted = await ctx.db.delete(securityEvents).where(inArray(securityEvents.id, batch)).returning({ id: securityEvents.id });
    ctx.onBatch("purge_events", deleted.length);
    purged += deleted.length;
    if (deleted.length < ctx.batchSize) return purged;
  }
}

/** Admin: ends every live session of one user, optionally keeping one. */
export async function forceCleanupUser(
  ctx: CleanupContext,
  input: { userId: string; note: string; byUserId: string; exceptSessionId?: string },
): Promise<number> {
  return revokeWhere(
    ctx,
    "admin_forced",
    "admin_forced",
    and(eq(authSessions.userId, input.userId), input.exceptSessionId ? ne(authSessions.id, input.exceptSessionId) : undefined),
    { note: input.note, by: input.byUserId, userId: input.userId },
  );
}

export type Criteria = { authMethod?: string; createdBefore?: Date; inactiveForHours?: number; exceptSessionId?: string };

/** Admin: ends live sessions matching every given criterion. */
export async function cleanupByCriteria(ctx: CleanupContext, criteria: Criteria): Promise<number> {
  return revokeWhere(
    ctx,
    "criteria",
    "admin_criteria",
    and(
      criteria.exceptSessionId ? ne(authSessions.id, criteria.exceptSessionId) : undefined,
      criteria.authMethod ? eq(authSessions.authMethod, criteria.authMethod) : undefined,
      criteria.createdBefore ? lt(authSessions.createdAt, criteria.createdBefore) : undefined,
      criteria.inactiveForHours !== undefined
        ? lt(authSessions.lastActivityAt, new Date(ctx.now.getTime() - criteria.inactiveForHours * 60 * MINUTE_MS))
        : undefined,
    ),
  );
}
