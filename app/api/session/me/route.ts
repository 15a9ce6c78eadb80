import { route } from "@/lib/http/route";

/** GET /api/session/me: the signed-in user and their current auth session (never its token). */
export const GET = route({ auth: "user" }, async ({ user, session }) => ({
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
}));
