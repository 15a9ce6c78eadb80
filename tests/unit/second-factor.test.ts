import { describe, expect, it } from "vitest";
import { newRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from "@/lib/mfa/recovery-codes";
import { secretBox } from "@/lib/mfa/secret-box";
import { checkTotp, newTotpSecret, stepAt, totpCode, totpUri, TOTP_PERIOD_SECONDS } from "@/lib/mfa/totp";
import { DEFAULT_POLICIES } from "@/lib/policies/defaults";
import { allowedWhileOwed, secondFactorOwed, secondFactorUrl } from "@/lib/policies/second-factor";

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
// The start of a 30-second step, so "one step later" is unambiguous.
const T0 = Math.floor(Date.UTC(2026, 11, 3, 9, 0, 0) / STEP_MS) * STEP_MS;

describe("TOTP", () => {
  const secret = newTotpSecret();

  it("accepts the current code and one step of drift either side, nothing further", () => {
    const code = totpCode(secret, T0);
    expect(checkTotp(secret, code, T0, null)).toEqual({ ok: true, step: stepAt(T0) });
    expect(checkTotp(secret, code, T0 + STEP_MS, null)).toEqual({ ok: true, step: stepAt(T0) });
    expect(checkTotp(secret, code, T0 - STEP_MS, null)).toEqual({ ok: true, step: stepAt(T0) });
    expect(checkTotp(secret, code, T0 + 2 * STEP_MS, null)).toEqual({ ok: false, reason: "wrong" });
  });

  it("refuses a code replayed within its window, and any older step once a newer one was used", () => {
    const code = totpCode(secret, T0);
    const first = checkTotp(secret, code, T0, null);
    expect(first.ok).toBe(true);
    const used = first.ok ? first.step : -1;
    expect(checkTotp(secret, code, T0 + 1000, used)).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotp(secret, totpCode(secret, T0 - STEP_MS), T0, used)).toEqual({ ok: false, reason: "replayed" });
    expect(checkTotp(secret, totpCode(secret, T0 + STEP_MS), T0 + STEP_MS, used).ok).toBe(true);
  });

  it("refuses codes of the wrong shape or from another secret", () => {
    expect(checkTotp(secret, "12345", T0, null)).toEqual({ ok: false, reason: "wrong" });
    expect(checkTotp(secret, "abcdef", T0, null)).toEqual({ ok: false, reason: "wrong" });
    const other = newTotpSecret();
    const foreign = totpCode(other, T0);
    // A foreign code could collide with ours by chance (1 in a million per step); skip only that coincidence.
    if (![-1, 0, 1].some((d) => totpCode(secret, T0 + d * STEP_MS) === foreign)) {
      expect(checkTotp(secret, foreign, T0, null)).toEqual({ ok: false, reason: "wrong" });
    }
    expect(checkTotp(secret, `${totpCode(secret, T0).slice(0, 3)} ${totpCode(secret, T0).slice(3)}`, T0, null).ok).toBe(true);
  });

  it("puts the account and issuer in the otpauth address", () => {
    const uri = totpUri(secret, "admin");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Growbal%20Intelligence:admin\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain("digits=6");
    expect(uri).toContain("period=30");
  });
});

describe("recovery codes", () => {
  it("makes 10 distinct codes that read back whatever the case or dashes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      const normalized = normalizeRecoveryCode(code)!;
      expect(normalizeRecoveryCode(code.toUpperCase().replace("-", " "))).toBe(normalized);
      expect(hashRecoveryCode(normalized)).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("rejects what cannot be a code before any lookup", () => {
    expect(normalizeRecoveryCode("short")).toBeNull();
    expect(normalizeRecoveryCode("abcde-fghi1")).toBeNull(); // 1 is not in the alphabet
    expect(normalizeRecoveryCode("abcde-fghjkl")).toBeNull();
  });
});

describe("secret box (TOTP secrets at rest)", () => {
  const keyA = "a".repeat(32);
  const keyB = "b".repeat(40);

  it("round-trips, and never stores the secret in clear", () => {
    const box = secretBox([keyA]);
    const sealed = box.seal("JBSWY3DPEHPK3PXP", "user-1");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(box.open(sealed, "user-1")).toBe("JBSWY3DPEHPK3PXP");
    // A fresh IV each time: the same secret seals differently.
    expect(box.seal("JBSWY3DPEHPK3PXP", "user-1")).not.toBe(sealed);
  });

  it("detects tampering and a value moved to another owner", () => {
    const box = secretBox([keyA]);
    const sealed = box.seal("JBSWY3DPEHPK3PXP", "user-1");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    const tampered = [...parts.slice(0, 3), body.toString("base64url")].join(".");
    expect(box.open(tampered, "user-1")).toBeNull();
    expect(box.open(sealed, "user-2")).toBeNull();
    expect(box.open("v1.garbage", "user-1")).toBeNull();
    expect(secretBox([keyB]).open(sealed, "user-1")).toBeNull();
  });

  it("rotates: a new key first still opens values sealed under the old one, which are then stale", () => {
    const before = secretBox([keyA]);
    const sealed = before.seal("JBSWY3DPEHPK3PXP", "user-1");
    const rotated = secretBox([keyB, keyA]);
    expect(rotated.open(sealed, "user-1")).toBe("JBSWY3DPEHPK3PXP");
    expect(rotated.isStale(sealed)).toBe(true);
    const resealed = rotated.seal("JBSWY3DPEHPK3PXP", "user-1");
    expect(rotated.isStale(resealed)).toBe(false);
    expect(secretBox([keyB]).open(resealed, "user-1")).toBe("JBSWY3DPEHPK3PXP");
    expect(() => secretBox([])).toThrow(/MFA_ENCRYPTION_KEY/);
  });
});

describe("second factor owed", () => {
  it("is owed by administrators until verified, and by anyone who enrolled one", () => {
    const admin = DEFAULT_POLICIES.admin;
    const user = DEFAULT_POLICIES.authenticated;
    expect(secondFactorOwed(admin, { signedIn: true, verified: false, hasFactor: false })).toBe("enrol");
    expect(secondFactorOwed(admin, { signedIn: true, verified: false, hasFactor: true })).toBe("verify");
    expect(secondFactorOwed(admin, { signedIn: true, verified: true, hasFactor: true })).toBeNull();
    expect(secondFactorOwed(user, { signedIn: true, verified: false, hasFactor: false })).toBeNull();
    expect(secondFactorOwed(user, { signedIn: true, verified: false, hasFactor: true })).toBe("verify");
    expect(secondFactorOwed({ requireMfa: true }, { signedIn: false, verified: false, hasFactor: false })).toBeNull();
    // A per-user override that requires MFA makes an ordinary account enrol too.
    expect(secondFactorOwed({ ...user, requireMfa: true }, { signedIn: true, verified: false, hasFactor: false })).toBe("enrol");
  });

  it("lets a waiting session reach only its step's page and sign-out", () => {
    expect(allowedWhileOwed("verify", "/login/verify")).toBe(true);
    expect(allowedWhileOwed("verify", "/logout")).toBe(true);
    expect(allowedWhileOwed("verify", "/account/security")).toBe(false);
    expect(allowedWhileOwed("enrol", "/account/security")).toBe(true);
    expect(allowedWhileOwed("enrol", "/admin/security")).toBe(false);
    expect(allowedWhileOwed("enrol", "/dashboard")).toBe(false);
    expect(secondFactorUrl("verify", "/admin/security")).toBe("/login/verify?next=%2Fadmin%2Fsecurity");
    expect(secondFactorUrl("enrol", "/account/security")).toBe("/account/security");
  });
});
