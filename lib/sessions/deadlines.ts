import type { AuthSession } from "@/lib/db/schema";
import { sessionDeadlines } from "@/lib/policies/limits";
import type { SessionPolicy } from "@/lib/policies/types";

/** The deadlines of a session row, in ms since epoch (see policies/limits.ts sessionDeadlines). */
export function deadlinesOf(session: AuthSession, policy: SessionPolicy): { idleAt: number; hardAt: number } {
  return sessionDeadlines(policy, {
    createdAt: session.createdAt.getTime(),
    authenticatedAt: session.authenticatedAt?.getTime() ?? null,
    rememberMe: session.rememberMe,
    lastActivityAt: session.lastActivityAt.getTime(),
  });
}
