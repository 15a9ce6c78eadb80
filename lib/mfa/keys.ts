import "server-only";
import { getConfig } from "@/lib/config";
import { secretBox, type SecretBox } from "./secret-box";

let cached: { keys: readonly string[]; box: SecretBox } | undefined;

/** The box that seals TOTP secrets, from MFA_ENCRYPTION_KEY (the first key seals; all of them open). */
export function mfaSecretBox(): SecretBox {
  const keys = getConfig().MFA_ENCRYPTION_KEY ?? [];
  if (cached?.keys !== keys) cached = { keys, box: secretBox(keys) };
  return cached.box;
}
