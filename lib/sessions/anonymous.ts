import "server-only";
import { admitAnonymous } from "@/lib/chat/anonymous-usage";
import type { Queryable } from "@/lib/db/client";
import type { AuthSession } from "@/lib/db/schema";
import { recordEvent } from "@/lib/monitor/events";
import type { RequestFacts } from "@/lib/policies/types";
import { policyFor } from "./session-policy";
import { createAuthSession } from "./store";

/**
 * A visitor who starts a chat before signing in gets an anonymous auth session (policy `anonymous`), unless their
 * network already has its limit of them (AppError 429, chat/anonymous-usage.ts).
 */
export async function startAnonymousSession(
  db: Queryable,
  request: RequestFacts,
  now: Date,
): Promise<{ session: AuthSession; token: string }> {
  return db.transaction(async (tx) => {
    await admitAnonymous(tx, request.ip, "start_session", now);
    const created = await createAuthSession(tx, {
      userId: null,
      kind: "anonymous",
      policy: policyFor("anonymous", null),
      rememberMe: false,
      clientIp: request.ip,
      userAgent: request.userAgent,
      now,
    });
    await recordEvent(tx, "session_created", {
      authSessionId: created.session.id,
      ip: request.ip,
      userAgent: request.userAgent,
      at: now,
      details: { kind: "anonymous" },
    });
    return created;
  });
}
