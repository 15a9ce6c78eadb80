import "server-only";
import { inArray } from "drizzle-orm";
import type { Queryable } from "@/lib/db/client";
import { users, type SecurityAlert } from "@/lib/db/schema";
import { ruleTitle, SEVERITY_ACTION } from "./rule-catalog";
import { userIdOfSubject } from "./session-flags";

/** Whom or what an alert is about, as an administrator reads it (never a bare `user:<uuid>`). */
export type AlertSubject =
  | { kind: "user"; userId: string; username: string | null }
  | { kind: "account"; username: string }
  | { kind: "address"; address: string }
  | { kind: "other"; text: string };

function subjectOf(subject: string, usernames: ReadonlyMap<string, string>): AlertSubject {
  const userId = userIdOfSubject(subject);
  if (userId) return { kind: "user", userId, username: usernames.get(userId) ?? null };
  const [prefix, rest] = subject.split(/:(.*)/s) as [string, string | undefined];
  if (prefix === "account" && rest) return { kind: "account", username: rest };
  if (prefix === "ip" && rest) return { kind: "address", address: rest };
  return { kind: "other", text: subject };
}

/** The address behind an alert, where its rule recorded one: the address itself, or the latest of a user's. */
function addressOf(details: unknown): string | null {
  if (typeof details !== "object" || details === null) return null;
  const { ip, addresses } = details as { ip?: unknown; addresses?: unknown };
  if (typeof ip === "string") return ip;
  if (Array.isArray(addresses) && typeof addresses.at(-1) === "string") return addresses.at(-1) as string;
  return null;
}

/** An alert as the APIs return it; `usernames` from usernamesOf. */
export function alertJson(alert: SecurityAlert, usernames: ReadonlyMap<string, string>) {
  return {
    id: alert.id,
    type: alert.type,
    title: ruleTitle(alert.type),
    severity: alert.severity,
    /** What this severity makes happen to the user's sessions. */
    action: SEVERITY_ACTION[alert.severity],
    subject: alert.subject,
    about: subjectOf(alert.subject, usernames),
    address: addressOf(alert.details),
    message: alert.message,
    details: alert.details,
    occurrences: alert.occurrences,
    createdAt: alert.createdAt.toISOString(),
    lastSeenAt: alert.lastSeenAt.toISOString(),
    acknowledged: alert.acknowledgedAt !== null,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
    resolved: alert.resolvedAt !== null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    resolvedBy: alert.resolvedBy,
    resolutionNotes: alert.resolutionNotes,
    falsePositive: alert.falsePositive,
  };
}

export type AlertJson = ReturnType<typeof alertJson>;

/** The usernames of the users these alerts are about, in one query. */
export async function usernamesOf(db: Queryable, alerts: SecurityAlert[]): Promise<Map<string, string>> {
  const userIds = [...new Set(alerts.flatMap((a) => userIdOfSubject(a.subject) ?? []))];
  if (userIds.length === 0) return new Map();
  const rows = await db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, userIds));
  return new Map(rows.map((r) => [r.id, r.username]));
}
