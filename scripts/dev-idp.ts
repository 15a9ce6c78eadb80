/**
 * A local OpenID provider for trying SSO on a laptop (`npm run dev:idp`) and for the end-to-end tests: the
 * `oidc-provider` package on loopback, with its development sign-in page (any login, any password) and one client,
 * this app. Accounts are made up from the login typed:
 *   ada                → ada@example.com, verified
 *   admin-grace        → grace… verified, in the group "growbal-admins" (SSO_ADMIN_GROUP)
 *   unverified-bob     → an email the provider has not verified
 *   anyone@other.test  → that email, verified (for SSO_ALLOWED_DOMAINS)
 * Never for production: it trusts whatever is typed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export const DEV_IDP_CLIENT = { id: "growbal-dev", secret: "growbal-dev-client-secret" } as const;
export const DEV_IDP_ADMIN_GROUP = "growbal-admins";

export type DevIdp = { issuer: string; provider: Provider; stop: () => Promise<void> };

function claimsFor(login: string) {
  const id = login.trim().toLowerCase();
  const email = id.includes("@") ? id : `${id}@example.com`;
  const local = email.split("@")[0]!;
  return {
    sub: id,
    email,
    email_verified: !id.startsWith("unverified"),
    name: local.replace(/[-_.]+/g, " "),
    preferred_username: local,
    groups: id.startsWith("admin") ? [DEV_IDP_ADMIN_GROUP] : [],
  };
}

export async function startDevIdp(options: { port?: number; appOrigin: string }): Promise<DevIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const configuration: Configuration = {
    clients: [
      {
        client_id: DEV_IDP_CLIENT.id,
        client_secret: DEV_IDP_CLIENT.secret,
        redirect_uris: [`${options.appOrigin}/login/sso/callback`],
        post_logout_redirect_uris: [`${options.appOrigin}/login?reason=signed_out`],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
        backchannel_logout_uri: `${options.appOrigin}/api/sso/backchannel-logout`,
        backchannel_logout_session_required: true,
      },
    ],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    scopes: ["openid", "email", "profile", "groups"],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
      groups: ["groups"],
    },
    // The ID token carries the claims (the app reads no userinfo).
    conformIdTokenClaims: false,
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => ({
      accountId: id,
      claims: async () => claimsFor(id),
    }),
    // First-party client: consent is granted, so people see the sign-in page only.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile groups");
      grant.addOIDCClaims(["email", "email_verified", "name", "preferred_username", "groups"]);
      await grant.save();
      return grant;
    },
    cookies: { keys: ["growbal-dev-idp-cookie-key-not-a-secret"] },
    // The app it calls back (back-channel logout) is on loopback, which the provider's SSRF guard refuses: this
    // development provider talks to nothing else, so it goes without the guard.
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(input, rest);
    },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 86_400, IdToken: 3600, Interaction: 600, Session: 86_400 },
  };
  const provider = new Provider(issuer, configuration);
  // A back-channel logout the app did not take is worth seeing (the provider itself carries on).
  provider.on("backchannel.error", (_ctx: unknown, error: Error, client: { clientId: string }) => {
    console.error(`dev-idp: back-channel logout to ${client.clientId} failed: ${error.message}`);
  });
  server.on("request", provider.callback());
  return {
    issuer,
    provider,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function main() {
  const appOrigin = process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const port = Number(process.env.DEV_IDP_PORT ?? 4400);
  const idp = await startDevIdp({ port, appOrigin });
  console.log(`Local OpenID provider on ${idp.issuer} for ${appOrigin}. Start the app with:

  SSO_ISSUER_URL=${idp.issuer} SSO_CLIENT_ID=${DEV_IDP_CLIENT.id} SSO_CLIENT_SECRET=${DEV_IDP_CLIENT.secret} \\
  SSO_DISPLAY_NAME="Dev IdP" SSO_ADMIN_GROUP=${DEV_IDP_ADMIN_GROUP} npm run dev

Sign in there with any login and password (ada, admin-grace, unverified-bob …). Ctrl-C stops it.`);
  const stop = () => void idp.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && require.main === module) void main();
