import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Seals small secrets (TOTP keys) at rest with AES-256-GCM. The key list comes from MFA_ENCRYPTION_KEY: the first
 * seals, every one opens (rotation, like SESSION_SECRET). A sealed value names its key by a short fingerprint and is
 * bound to its owner (the additional data), so a value copied to another user's row does not open.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext + tag>`, base64url parts.
 */

type Key = { id: string; bytes: Buffer };

function deriveKey(secret: string): Key {
  const bytes = Buffer.from(hkdfSync("sha256", secret, "growbal-mfa", "totp-secret-v1", 32));
  return { id: createHash("sha256").update(bytes).digest("base64url").slice(0, 8), bytes };
}

export type SecretBox = {
  seal(plain: string, owner: string): string;
  /** The plain value, or null when the value is damaged, was sealed for another owner or under a key no longer listed. */
  open(sealed: string, owner: string): string | null;
  /** Whether a sealed value was made with an older key (worth sealing again with the current one). */
  isStale(sealed: string): boolean;
};

export function secretBox(secrets: readonly string[]): SecretBox {
  if (secrets.length === 0) throw new Error("MFA_ENCRYPTION_KEY is not set: start the app with `npm start`, or set it (32+ characters).");
  const keys = secrets.map(deriveKey);
  const current = keys[0]!;
  return {
    seal(plain, owner) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current.bytes, iv);
      cipher.setAAD(Buffer.from(owner));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return ["v1", current.id, iv.toString("base64url"), body.toString("base64url")].join(".");
    },
    open(sealed, owner) {
      const [version, keyId, iv, body] = sealed.split(".");
      const key = keys.find((k) => k.id === keyId);
      if (version !== "v1" || !key || !iv || !body) return null;
      try {
        const bytes = Buffer.from(body, "base64url");
        if (bytes.length < 17) return null;
        const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
        decipher.setAAD(Buffer.from(owner));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
      } catch {
        return null;
      }
    },
    isStale(sealed) {
      return sealed.split(".")[1] !== current.id;
    },
  };
}
