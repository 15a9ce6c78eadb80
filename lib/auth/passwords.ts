import { getConfig } from "@/lib/config";
import { bcryptCompare, bcryptHash } from "./bcrypt-pool";

/** bcrypt only reads the first 72 bytes; longer new passwords would be silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function hashPassword(password: string, cost = getConfig().BCRYPT_COST): Promise<string> {
  return bcryptHash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcryptCompare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * Compares against a throw-away hash of the configured cost, so a sign-in for an unknown user costs the same
 * as one for a real user and timing does not reveal which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("growbal-dummy-password-never-matches");
  await verifyPassword(password, await dummyHash);
  return false;
}
