import { createHash, randomInt } from "node:crypto";

/**
 * Recovery codes: 10 single-use codes, each 10 characters from an alphabet without look-alikes (about 50 bits),
 * shown once as "xxxxx-xxxxx". Stored as SHA-256 of the normalised code: they are random, so a fast hash is enough.
 */

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const LENGTH = 10;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let code = "";
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** What people may type: any case, with or without the dash or spaces. Null when it cannot be a code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, "");
  if (code.length !== LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return code;
}

export function hashRecoveryCode(normalized: string): string {
  return createHash("sha256").update(`growbal-recovery:${normalized}`).digest("hex");
}
