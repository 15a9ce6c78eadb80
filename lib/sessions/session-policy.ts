import { getConfig } from "@/lib/config";
import { resolvePolicy, type PolicyPatch } from "@/lib/policies/resolve";
import type { SessionKind, SessionPolicy } from "@/lib/policies/types";

/** The policy in force for a session of this kind: defaults, env changes, then the user's own override. */
export function policyFor(kind: SessionKind, override: PolicyPatch | null): SessionPolicy {
  return resolvePolicy(kind, getConfig().policySettings, override);
}
