import "server-only";
import * as oidc from "openid-client";
import { getConfig, isLoopbackHost, type SsoConfig } from "@/lib/config";
import { SsoFailure, type SsoFailureReason } from "./failures";

/**
 * The OpenID provider, as openid-client sees it: discovered once (again after a failure), with the client's secret
 * sent as HTTP Basic, a 60-second tolerance for the two clocks, and plain http allowed only for a provider on
 * localhost (the config refuses it anywhere else).
 */

const DISCOVERY_TIMEOUT_SECONDS = 5;
const CLOCK_TOLERANCE_SECONDS = 60;

let discovered: { key: string; config: Promise<oidc.Configuration> } | null = null;

export function ssoSettings(): SsoConfig {
  const sso = getConfig().sso;
  if (!sso) throw new SsoFailure("not_configured");
  return sso;
}

export async function providerConfiguration(): Promise<oidc.Configuration> {
  const sso = ssoSettings();
  const key = `${sso.issuer}|${sso.clientId}`;
  if (!discovered || discovered.key !== key) {
    const insecure = new URL(sso.issuer).protocol === "http:" && isLoopbackHost(new URL(sso.issuer).hostname);
    const config = oidc
      .discovery(
        new URL(sso.issuer),
        sso.clientId,
        { client_secret: sso.clientSecret, [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS },
        oidc.ClientSecretBasic(sso.clientSecret),
        { timeout: DISCOVERY_TIMEOUT_SECONDS, execute: insecure ? [oidc.allowInsecureRequests] : [] },
      )
      .catch((error: unknown) => {
        // Not cached: the next sign-in tries again.
        discovered = null;
        throw new SsoFailure("idp_unreachable", describe(error));
      });
    discovered = { key, config };
  }
  return discovered.config;
}

/** Tests point the app at a restarted provider: forget what was discovered. */
export function forgetProviderForTests(): void {
  discovered = null;
}

function messagesOf(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 4) return [];
  return [error.message, ...messagesOf((error as { cause?: unknown }).cause, depth + 1)];
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return [typeof code === "string" ? code : null, ...messagesOf(error)].filter(Boolean).join(": ").slice(0, 300);
}

/** What went wrong in the code exchange, in the words of failures.ts. */
export function reasonForExchangeError(error: unknown): { reason: SsoFailureReason; detail: string } {
  const detail = describe(error);
  if (error instanceof SsoFailure) return { reason: error.reason, detail: error.detail ?? "" };
  if (error instanceof oidc.AuthorizationResponseError) {
    return { reason: error.error === "access_denied" ? "access_denied" : "invalid_response", detail: `${error.error}` };
  }
  if (error instanceof oidc.ResponseBodyError) {
    // A code is single-use: the provider refuses it the second time.
    return { reason: error.error === "invalid_grant" ? "replayed" : "invalid_response", detail: `${error.error}` };
  }
  const text = messagesOf(error).join(" | ");
  if (text.includes('"state"')) return { reason: "state_mismatch", detail };
  if (text.includes('"nonce"')) return { reason: "nonce_mismatch", detail };
  // fetch() failures: the provider could not be reached.
  if (error instanceof TypeError || /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|fetch failed|aborted|timed? ?out/i.test(text)) {
    return { reason: "idp_unreachable", detail };
  }
  return { reason: "invalid_response", detail };
}

/** The provider's end-session URL (RP-initiated logout) returning to `returnPath`, or null when it has none. */
export async function providerLogoutUrl(returnPath: string): Promise<URL | null> {
  try {
    const provider = await providerConfiguration();
    if (!provider.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(provider, {
      client_id: ssoSettings().clientId,
      post_logout_redirect_uri: `${getConfig().appOrigin}${returnPath}`,
    });
  } catch {
    // Unreachable or not configured: the session here is ended all the same.
    return null;
  }
}
