import { NextResponse } from "next/server";
import { authenticateApi } from "@/lib/sessions/dal";

/** GET /api/session/me: the signed-in user and their current auth session (never its token). */
export async function GET() {
  const auth = await authenticateApi();
  if (!auth.ok) return auth.response;
  const { user, session } = auth;
  return NextResponse.json(
    {
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
    },
    { headers: { "cache-control": "no-store" } },
  );
}
