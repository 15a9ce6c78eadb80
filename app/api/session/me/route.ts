import { route } from "@/lib/http/route";
import { deadlinesOf } from "@/lib/sessions/deadlines";

/**
 * GET /api/session/me: the signed-in user and their current auth session (never its token). Being a request, it
 * counts as activity: `deadlines` then says when the session ends if nothing else happens (idle and hard limits),
 * with the server's `now` so a client can tell its own clock's skew.
 */
export const GET = route(
  {
    auth: "user",
    doc: {
      summary: "The signed-in user and this session",
      description: "Never the token. `deadlines` says when the session ends if nothing else happens, with the server's `now`.",
      response: { description: "The user, the session and its deadlines." },
    },
  },
  async ({ user, session, policy, now }) => ({
    user: { id: user.id, username: user.username, role: user.role },
    session: {
      id: session.id,
      kind: session.kind,
      rememberMe: session.rememberMe,
      createdAt: session.createdAt.toISOString(),
      lastActivityAt: session.lastActivityAt.toISOString(),
      authenticatedAt: session.authenticatedAt?.toISOString() ?? null,
      expiresAt: session.expiresAt.toISOString(),
      clientIp: session.clientIp,
      userAgent: session.userAgent,
    },
    deadlines: deadlinesJson(deadlinesOf(session, policy), now),
  }),
);

function deadlinesJson(deadlines: { idleAt: number; hardAt: number }, now: Date) {
  return { idleAt: new Date(deadlines.idleAt).toISOString(), hardAt: new Date(deadlines.hardAt).toISOString(), now: now.toISOString() };
}
