import type { AppConfig } from "@/lib/config";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import type { RequestFacts, SessionFacts } from "@/lib/policies/types";
import type { SessionData } from "./cookie";

/** Turning cookies and requests into the facts the policy engine judges. Edge-safe. */

export function sessionFactsFromCookie(data: SessionData): SessionFacts {
  return {
    kind: data.kind,
    createdAt: data.createdAt,
    lastActivityAt: data.lastActivityAt,
    authenticatedAt: data.authenticatedAt,
    rememberMe: data.rememberMe,
    ip: data.ip,
    userAgentFingerprint: data.uaf,
    // Set at sign-in while the second factor is owed; the DAL re-judges it from the database on every request.
    mfaPending: data.mfa !== null,
  };
}

export function requestFactsFrom(headers: Headers, config: Pick<AppConfig, "TRUSTED_PROXY_HOPS" | "GEO_COUNTRY_HEADER">): RequestFacts {
  const country = config.GEO_COUNTRY_HEADER ? headers.get(config.GEO_COUNTRY_HEADER)?.trim().toUpperCase() : undefined;
  return {
    ip: clientIpFromHeaders(headers, config.TRUSTED_PROXY_HOPS),
    userAgent: headers.get("user-agent"),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
  };
}
