import { Secret, TOTP } from "otpauth";

/**
 * TOTP (RFC 6238) as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. Pure: the clock is passed in.
 * A code is accepted for its own step or one step either side (clock drift), and never for a step at or before the
 * last one accepted, so a code seen over someone's shoulder cannot be used again.
 */

export const TOTP_PERIOD_SECONDS = 30;
const DRIFT_STEPS = 1;

function totpFor(base32: string, label = "account"): TOTP {
  return new TOTP({
    issuer: "Growbal Intelligence",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(base32),
  });
}

/** A new 160-bit secret, base32 (what people type when they cannot scan the QR code). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI the QR code carries. */
export function totpUri(base32: string, username: string): string {
  return totpFor(base32, username).toString();
}

/** The code for a moment (tests and the CLI compute codes with it). */
export function totpCode(base32: string, at: number): string {
  return totpFor(base32).generate({ timestamp: at });
}

export function stepAt(at: number): number {
  return Math.floor(at / 1000 / TOTP_PERIOD_SECONDS);
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "wrong" | "replayed" };

/** Checks a code typed at `at` against the secret, refusing steps already used (`lastUsedStep`). */
export function checkTotp(base32: string, code: string, at: number, lastUsedStep: number | null): TotpCheck {
  const digits = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(digits)) return { ok: false, reason: "wrong" };
  const delta = totpFor(base32).validate({ token: digits, timestamp: at, window: DRIFT_STEPS });
  if (delta === null) return { ok: false, reason: "wrong" };
  const step = stepAt(at) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: "replayed" };
  return { ok: true, step };
}
