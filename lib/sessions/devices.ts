import "server-only";
import { and, desc, eq, gte, isNull, ne } from "drizzle-orm";
import { ACCESS_TOKEN_METHOD } from "@/lib/policies/access-token";
import type { Queryable } from "@/lib/db/client";
import { authSessions } from "@/lib/db/schema";
import { describeUserAgent } from "@/lib/policies/user-agent";

/** "Signed-in devices": a user's live auth sessions, described for people. Never includes tokens or hashes. */
export type Device = {
  id: string;
  current: boolean;
  browser: string;
  os: string;
  ip: string | null;
  createdAt: string;
  lastActivityAt: string;
  rememberMe: boolean;
  /** How it signed in, in words: "password", "password + authenticator app", "passkey" … */
  signedInWith: string;
};

const METHOD_WORDS: Record<string, string> = {
  password: "password",
  passkey: "passkey",
  "password+totp": "password + authenticator app",
  "password+passkey": "password + passkey",
  "password+recovery_code": "password + recovery code",
  sso: "single sign-on",
  "sso+totp": "single sign-on + authenticator app",
  "sso+passkey": "single sign-on + passkey",
  "sso+recovery_code": "single sign-on + recovery code",
};

export async function listDevices(db: Queryable, userId: string, currentSessionId: string, now: Date): Promise<Device[]> {
  const rows = await db
    .select({
      id: authSessions.id,
      userAgent: authSessions.userAgent,
      clientIp: authSessions.clientIp,
      createdAt: authSessions.createdAt,
      lastActivityAt: authSessions.lastActivityAt,
      rememberMe: authSessions.rememberMe,
      authMethod: authSessions.authMethod,
      kind: authSessions.kind,
    })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        gte(authSessions.expiresAt, now),
        // Personal access tokens are listed (and revoked) under their own names on the account page.
        ne(authSessions.authMethod, ACCESS_TOKEN_METHOD),
      ),
    )
    .orderBy(desc(authSessions.lastActivityAt));
  return rows.map((r) => ({
    id: r.id,
    current: r.id === currentSessionId,
    ...describeUserAgent(r.userAgent),
    ip: r.clientIp,
    createdAt: r.createdAt.toISOString(),
    lastActivityAt: r.lastActivityAt.toISOString(),
    rememberMe: r.rememberMe,
    signedInWith: `${r.kind === "api" ? "API token, " : ""}${METHOD_WORDS[r.authMethod] ?? r.authMethod}`,
  }));
}
