import { getConfig } from "@/lib/config";
import { resolvePolicy, type PolicyPatch } from "@/lib/policies/resolve";
import type { SessionKind, SessionPolicy } from "@/lib/policies/types";
import { ACCESS_TOKEN_METHOD, accessTokenPolicy } from "@/lib/policies/access-token";
import type { AuthSession } from "@/lib/db/schema";

/** The policy in force for a session of this kind: defaults, env changes, then the user's own override. */
export function policyFor(kind: SessionKind, override: PolicyPatch | null): SessionPolicy {
  return resolvePolicy(kind, getConfig().policySettings, override);
}

/** The policy in force for an existing session: its kind's, narrowed for a personal access token to its own expiry. */
export function policyOfSession(
  session: Pick<AuthSession, "kind" | "authMethod" | "createdAt" | "expiresAt">,
  override: PolicyPatch | null,
): SessionPolicy {
  const policy = policyFor(session.kind, override);
  if (session.authMethod !== ACCESS_TOKEN_METHOD) return policy;
  return accessTokenPolicy(policy, { createdAt: session.createdAt.getTime(), expiresAt: session.expiresAt.getTime() });
}
