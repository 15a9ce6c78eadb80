import { redirectTo } from "@/lib/http/redirect";
import { route } from "@/lib/http/route";
import { secondFactorUrl } from "@/lib/policies/second-factor";
import { safeNextPath } from "@/lib/security/safe-redirect";
import { getCurrentSession, hasRecentAuthentication } from "@/lib/sessions/dal";
import { readSessionCookie, sessionDataFor, writeSessionCookie } from "@/lib/sessions/session-cookie";
import { SsoFailure } from "@/lib/sso/failures";
import { takeFlowCookie } from "@/lib/sso/flow-cookie";
import { exchangeCallback, linkSso, reauthenticateWithSso, recordSsoFailure, signInWithSso } from "@/lib/sso/flow";

/**
 * GET /login/sso/callback: where the OpenID provider sends the browser back. The flow this browser started (its
 * sealed cookie, taken once) must match: state, then the code redeemed with the PKCE verifier, then the ID token
 * checked (signature, issuer, audience, expiry, nonce, auth_time). Any failure ends on the sign-in page saying why,
 * with nothing created and an `sso_failed` event.
 */
export const GET = route({ auth: "public" }, async ({ request, db, now, facts }) => {
  const search = new URL(request.url).search;
  const flow = await takeFlowCookie();
  let userId: string | null = null;
  try {
    if (!flow) throw new SsoFailure("expired", "no flow cookie");
    const claims = await exchangeCallback(flow, search);

    if (flow.intent !== "sign_in") {
      const current = await getCurrentSession();
      if (!current?.user || current.session.id !== flow.sessionId) throw new SsoFailure("link_requires_sign_in");
      userId = current.user.id;
      if (flow.intent === "reauth") {
        const rotated = await reauthenticateWithSso(db, claims, {
          userId,
          sessionId: current.session.id,
          policy: current.policy,
          facts,
          now,
        });
        const data = await readSessionCookie();
        await writeSessionCookie(sessionDataFor(rotated.session, rotated.token, current.user, data?.ovr ?? null), now);
        return redirectTo(safeNextPath(flow.next));
      }
      if (!(await hasRecentAuthentication())) throw new SsoFailure("link_requires_sign_in");
      await linkSso(db, claims, { userId, sessionId: current.session.id, facts, now });
      return redirectTo("/account?notice=sso_linked");
    }

    const signedIn = await signInWithSso(db, { claims, previous: await readSessionCookie(), rememberMe: flow.rememberMe, facts, now });
    await writeSessionCookie(
      sessionDataFor(signedIn.session, signedIn.token, signedIn.user, signedIn.override, signedIn.secondFactor),
      now,
    );
    const next = safeNextPath(flow.next);
    return redirectTo(signedIn.secondFactor ? secondFactorUrl(signedIn.secondFactor, next) : next);
  } catch (error) {
    const reason = await recordSsoFailure(db, error, { facts, now, userId });
    if (userId) return redirectTo(flow?.intent === "reauth" ? `/reauth?sso=${reason}` : `/account?sso=${reason}`);
    return redirectTo(`/login?sso=${reason}`);
  }
});
