import { getConfig } from "@/lib/config";
import { bcryptCompare, bcryptHash } from "./bcrypt-pool";

/** bcrypt only reads the first 72 bytes; longer new passwords would be silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function hashPassword(password: string, cost = getConfig().BCRYPT_COST): Promise<string> {
  return bcryptHash(password, cost);
}

/** An account without a password (SSO or passkeys only) matches nothing, after the same bcrypt work as a check. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null) return verifyAgainstDummy(password);
  return bcryptCompare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/** The throw-away hash, made once per process (at start-up via warmDummyHash); a failed attempt is retried. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword("growbal-dummy-password-never-matches").catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

export function warmDummyHash(): void {
  dummy().catch(() => undefined);
}

/**
 * Compares against a throw-away hash of the configured cost, so a sign-in for an unknown user costs the same
 * as one for a real user and timing does not reveal which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, await dummy());
  return false;
}

/** The cost a bcrypt hash was made with ("$2b$12$…" → 12). */
export function hashCost(hash: string | null): number | null {
  const cost = hash === null ? undefined : /^\$2[abxy]?\$(\d{2})\$/.exec(hash)?.[1];
  return cost ? Number(cost) : null;
}
