import { NextResponse } from "next/server";
import { z } from "zod";
import { redirectTo } from "@/lib/http/redirect";
import { route } from "@/lib/http/route";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, hasRecentAuthentication } from "@/lib/sessions/dal";
import { recordSsoFailure, startSsoFlow } from "@/lib/sso/flow";

// Lenient: a browser link, so anything odd falls back to a sign-in rather than a 400.
const querySchema = z.object({
  next: z.string().max(2048).optional().catch(undefined),
  intent: z.enum(["sign_in", "link", "reauth"]).optional().catch(undefined),
  prompt: z.enum(["login"]).optional().catch(undefined),
  remember: z.enum(["1"]).optional().catch(undefined),
});

/**
 * GET /login/sso/start: sends the browser to the OpenID provider (authorization code flow with PKCE, state and
 * nonce). `intent=link` links the provider account to the signed-in user (needs a sign-in within 15 minutes),
 * `intent=reauth` confirms the signed-in user through it (step-up); `prompt=login` makes the provider ask for the
 * password again (after a forced re-authentication).
 */
export const GET = route({ auth: "public", query: querySchema }, async ({ db, query, now, facts }) => {
  const intent = query.intent ?? "sign_in";
  let sessionId: string | null = null;
  if (intent !== "sign_in") {
    const current = await getCurrentSession();
    if (!current?.user) return redirectTo(`/login?next=${encodeURIComponent(safeNextPath(query.next))}`);
    // Linking is sensitive: it needs a recent sign-in (step-up through the provider itself counts).
    if (intent === "link" && !(await hasRecentAuthentication())) return redirectTo(`/reauth?next=${encodeURIComponent("/account")}`);
    sessionId = current.session.id;
  }
  try {
    const url = await startSsoFlow({
      intent,
      next: safeNextPath(query.next, intent === "link" ? "/account" : "/dashboard"),
      rememberMe: query.remember === "1",
      sessionId,
      forced: query.prompt === "login",
    });
    return NextResponse.redirect(url, 303);
  } catch (error) {
    const reason = await recordSsoFailure(db, error, { facts, now });
    return redirectTo(`/login?sso=${reason}`);
  }
});
