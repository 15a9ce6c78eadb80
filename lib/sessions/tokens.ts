import { createHash, randomBytes } from "node:crypto";

/** A 256-bit random session token (base64url). Only the cookie holds it. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database stores: SHA-256 of the token, so a database leak yields no usable session. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
