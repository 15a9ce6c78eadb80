import { z } from "zod";

/**
 * The ID token claims the app uses, validated (the client library has already checked the signature, issuer,
 * audience, expiry and nonce). Pure.
 */
export const ssoClaimsSchema = z.object({
  iss: z.string().min(1).max(2048),
  sub: z.string().min(1).max(255),
  iat: z.number().int(),
  auth_time: z.number().int().optional(),
  sid: z.string().max(255).optional(),
  email: z.string().max(320).optional(),
  email_verified: z.boolean().optional(),
  name: z.string().max(200).optional(),
  preferred_username: z.string().max(200).optional(),
  groups: z.array(z.string().max(200)).max(500).optional(),
});
export type SsoClaims = z.infer<typeof ssoClaimsSchema>;

/** The email's domain, lower case ("ada@Example.org" → "example.org"); null when it is not an address. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1).toLowerCase();
}

export function domainAllowed(email: string, allowed: string[] | null): boolean {
  const domain = emailDomain(email);
  if (domain === null) return false;
  return allowed === null || allowed.includes(domain);
}

/**
 * When the person authenticated at the provider, on this server's clock: the provider's `auth_time` moved by the
 * difference between the two clocks (the token's `iat` is the provider's "now"). Milliseconds since the epoch.
 */
export function authenticatedAtFrom(claims: Pick<SsoClaims, "iat" | "auth_time">, now: number): number {
  const authAgeSeconds = claims.auth_time === undefined ? 0 : Math.max(0, claims.iat - claims.auth_time);
  return now - authAgeSeconds * 1000;
}

/** A username for a new account: from the provider's preferred username or the email's local part, made valid. */
export function usernameCandidate(claims: Pick<SsoClaims, "preferred_username" | "email" | "sub">): string {
  const source = claims.preferred_username ?? claims.email?.split("@")[0] ?? `sso-${claims.sub}`;
  const cleaned = source
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 28);
  return cleaned.length >= 3 ? cleaned : `user-${cleaned}`.slice(0, 28);
}
