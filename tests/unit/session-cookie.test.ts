import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "@/lib/config";
import { cookieAttributes, cookieSettings, sealSession, unsealSession, type SessionData } from "@/lib/sessions/cookie";
import { endedCookieValue, endReasonMessage, loginUrlForEnding, parseEndedCookie } from "@/lib/sessions/end-reasons";

const oldSecret = "o".repeat(32);
const newSecret = "n".repeat(32);

const data: SessionData = {
  sid: "7d2f1c0e-4b7a-4c59-9a0e-0f4f0e6b8d11",
  token: "t".repeat(43),
  uid: "0b9f3a52-1a8e-4f5f-8a51-3f1d2c4b5a6e",
  username: "demo",
  role: "user",
  kind: "authenticated",
  createdAt: 1_700_000_000_000,
  lastActivityAt: 1_700_000_000_000,
  authenticatedAt: 1_700_000_000_000,
  rememberMe: false,
  ip: "203.0.113.5",
  uaf: "chrome/142/linux",
  ovr: { idleTimeoutMinutes: 30 },
  mfa: null,
};

afterEach(() => {
  vi.useRealTimers();
});

describe("session cookie", () => {
  it("uses __Host- and Secure over https, a plain name on http://localhost", () => {
    const https = cookieSettings(parseConfig({ APP_URL: "https://growbal.example", SESSION_SECRET: newSecret }));
    expect(https.name).toBe("__Host-growbal_session");
    expect(cookieAttributes(https, 3600)).toEqual({ httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 3600 });
    const local = cookieSettings(parseConfig({ SESSION_SECRET: newSecret }));
    expect(local.name).toBe("growbal_session");
    expect(cookieAttributes(local, 10).secure).toBe(false);
  });

  it("round-trips the session data", async () => {
    const settings = cookieSettings(parseConfig({ SESSION_SECRET: newSecret }));
    const sealed = await sealSession(data, settings, 3600);
    expect(sealed).not.toContain(data.token);
    expect(await unsealSession(sealed, settings)).toEqual(data);
  });

  it("refuses a tampered or foreign seal", async () => {
    const settings = cookieSettings(parseConfig({ SESSION_SECRET: newSecret }));
    const sealed = await sealSession(data, settings, 3600);
    const tampered = sealed.slice(0, 40) + (sealed[40] === "A" ? "B" : "A") + sealed.slice(41);
    expect(await unsealSession(tampered, settings)).toBeNull();
    const other = cookieSettings(parseConfig({ SESSION_SECRET: "x".repeat(32) }));
    expect(await unsealSession(sealed, other)).toBeNull();
    expect(await unsealSession(undefined, settings)).toBeNull();
  });

  it("keeps cookies sealed with the previous secret valid during rotation, and seals with the new one", async () => {
    const before = cookieSettings(parseConfig({ SESSION_SECRET: oldSecret }));
    const rotated = cookieSettings(parseConfig({ SESSION_SECRET: `${newSecret},${oldSecret}` }));
    const sealedBefore = await sealSession(data, before, 3600);
    expect(await unsealSession(sealedBefore, rotated)).toEqual(data);

    const sealedAfter = await sealSession(data, rotated, 3600);
    const onlyNew = cookieSettings(parseConfig({ SESSION_SECRET: newSecret }));
    expect(await unsealSession(sealedAfter, onlyNew)).toEqual(data);
    expect(await unsealSession(sealedAfter, before)).toBeNull();
  });

  it("refuses a seal past its own lifetime", async () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z"), toFake: ["Date"] });
    const settings = cookieSettings(parseConfig({ SESSION_SECRET: newSecret }));
    const sealed = await sealSession(data, settings, 600);
    vi.setSystemTime(new Date("2026-01-01T00:09:00Z"));
    expect(await unsealSession(sealed, settings)).toEqual(data);
    vi.setSystemTime(new Date("2026-01-01T00:12:00Z"));
    expect(await unsealSession(sealed, settings)).toBeNull();
  });

  it("refuses data that does not match the session shape", async () => {
    const settings = cookieSettings(parseConfig({ SESSION_SECRET: newSecret }));
    const sealed = await sealSession({ ...data, kind: "root" } as unknown as SessionData, settings, 3600);
    expect(await unsealSession(sealed, settings)).toBeNull();
  });
});

describe("the ended cookie", () => {
  it("says why a session ended for known reasons only, with the limit for violations", () => {
    expect(parseEndedCookie(endedCookieValue("concurrency_limit", null))).toEqual({
      reason: "concurrency_limit",
      after: null,
      message: "You were signed out because your account is signed in on too many devices (the oldest sessions end first).",
    });
    expect(parseEndedCookie(endedCookieValue("idle_timeout", 60))).toMatchObject({
      reason: "idle_timeout",
      after: "60",
      message: "You were signed out after 60 minutes of inactivity.",
    });
    for (const forged of ["", "made_up_reason", "idle_timeout:abc", "<script>", "expired:1:2", "x".repeat(100), null, undefined]) {
      expect(parseEndedCookie(forged)).toBeNull();
    }
  });

  it("leads to a sign-in page that says it and comes back", () => {
    expect(loginUrlForEnding("admin_forced", null, "/dashboard")).toBe("/login?reason=admin_forced&next=%2Fdashboard");
    expect(endReasonMessage("admin_forced")).toBe("An administrator signed you out.");
  });
});
