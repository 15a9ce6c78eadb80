import { z } from "zod";
import { DEFAULT_POLICIES } from "./defaults";
import { ipBindings, securityLevels, sessionKinds, type SecurityLevel, type SessionKind, type SessionPolicy } from "./types";

const minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 366);

/** A partial policy: what a per-user override or SESSION_POLICY_OVERRIDES may change. */
export const policyPatchSchema = z
  .object({
    securityLevel: z.enum(securityLevels),
    maxDurationMinutes: minutes,
    idleTimeoutMinutes: minutes,
    maxConcurrentSessions: z.number().int().min(1).max(1000),
    ipBinding: z.enum(ipBindings),
    userAgentBinding: z.boolean(),
    extendOnActivity: z.boolean(),
    forceReauthAfterMinutes: minutes.nullable(),
    requireMfa: z.boolean(),
    allowedCountries: z
      .array(z.string().regex(/^[A-Z]{2}$/, { message: "country codes are ISO 3166-1 alpha-2, upper case" }))
      .min(1)
      .max(250)
      .nullable(),
    rememberMe: z.object({ maxDurationMinutes: minutes, idleTimeoutMinutes: minutes }).nullable(),
  })
  .partial()
  .strict();
export type PolicyPatch = z.infer<typeof policyPatchSchema>;

export const policyPatchesByKindSchema = z.partialRecord(z.enum(sessionKinds), policyPatchSchema);
export type PolicyPatchesByKind = z.infer<typeof policyPatchesByKindSchema>;

/** What the environment says about policies (parsed once in lib/config.ts). */
export type PolicySettings = {
  enforce: boolean;
  defaultSecurityLevel: SecurityLevel;
  maxConcurrentSessionsPerUser: number;
  patches: PolicyPatchesByKind;
};

/**
 * The policy for a session: the defaults table, then the environment (MAX_CONCURRENT_SESSIONS_PER_USER for
 * signed-in users, then SESSION_POLICY_OVERRIDES), then the user's own override.
 */
export function resolvePolicy(kind: SessionKind, settings: PolicySettings, userOverride?: PolicyPatch | null): SessionPolicy {
  const base: SessionPolicy = { ...DEFAULT_POLICIES[kind] };
  if (kind === "authenticated") base.maxConcurrentSessions = settings.maxConcurrentSessionsPerUser;
  return { ...base, ...settings.patches[kind], ...(userOverride ?? {}), name: kind };
}

export function allPolicies(settings: PolicySettings): Record<SessionKind, SessionPolicy> {
  return Object.fromEntries(sessionKinds.map((kind) => [kind, resolvePolicy(kind, settings)])) as Record<SessionKind, SessionPolicy>;
}
