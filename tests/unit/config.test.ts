import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";

const secret = "s".repeat(32);

function problems(env: Record<string, string>) {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig({});
    expect(config.ENFORCE_SESSION_POLICIES).toBe(true);
    expect(config.DEFAULT_SECURITY_LEVEL).toBe("medium");
    expect(config.SESSION_CLEANUP_INTERVAL).toBe(1800);
    expect(config.MAX_CONCURRENT_SESSIONS_PER_USER).toBe(5);
    expect(config.MAX_FAILED_LOGINS_PER_IP).toBe(20);
    expect(config.SUSPICIOUS_IP_CHANGES_THRESHOLD).toBe(3);
    expect(config.POLICY_VIOLATIONS_PER_HOUR).toBe(5);
    expect(config.TRUSTED_PROXY_HOPS).toBe(0);
    expect(config.BCRYPT_COST).toBe(12);
    expect(config.appOrigin).toBe("http://localhost:3000");
    expect(config.secureCookies).toBe(false);
  });

  it("names the variable of every bad value", () => {
    const found = problems({ BCRYPT_COST: "99", ENFORCE_SESSION_POLICIES: "maybe", TRUSTED_PROXY_HOPS: "two" });
    expect(found.map((p) => p.variable).sort()).toEqual(["BCRYPT_COST", "ENFORCE_SESSION_POLICIES", "TRUSTED_PROXY_HOPS"]);
    expect(() => parseConfig({ BCRYPT_COST: "99" })).toThrow(/BCRYPT_COST must be at most 15/);
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", BCRYPT_COST: " " }).BCRYPT_COST).toBe(12);
  });

  it("rejects a short session secret and accepts a rotation list", () => {
    expect(problems({ SESSION_SECRET: "short" })[0]?.variable).toBe("SESSION_SECRET");
    expect(problems({ SESSION_SECRET: `${secret},short` })[0]?.variable).toBe("SESSION_SECRET");
    expect(parseConfig({ SESSION_SECRET: `${"a".repeat(32)}, ${"b".repeat(40)}` }).SESSION_SECRET).toEqual([
      "a".repeat(32),
      "b".repeat(40),
    ]);
  });

  it("requires SESSION_SECRET, MFA_ENCRYPTION_KEY and an https APP_URL in production", () => {
    const found = problems({ NODE_ENV: "production" });
    expect(found.map((p) => p.variable).sort()).toEqual(["APP_URL", "MFA_ENCRYPTION_KEY", "SESSION_SECRET"]);
    const keys = { SESSION_SECRET: secret, MFA_ENCRYPTION_KEY: secret };
    expect(problems({ NODE_ENV: "production", ...keys, APP_URL: "http://growbal.example" })[0]?.variable).toBe("APP_URL");
    expect(problems({ NODE_ENV: "production", ...keys, APP_URL: "http://localhost:3000" })).toEqual([]);
    expect(problems({ MFA_ENCRYPTION_KEY: `${secret},short` })[0]?.variable).toBe("MFA_ENCRYPTION_KEY");
  });

  it("switches to secure cookies when served over https", () => {
    const config = parseConfig({ APP_URL: "https://growbal.example/app" });
    expect(config.secureCookies).toBe(true);
    expect(config.appOrigin).toBe("https://growbal.example");
  });

  it("rejects a DATABASE_URL that is not postgres", () => {
    expect(problems({ DATABASE_URL: "mysql://x" })[0]?.variable).toBe("DATABASE_URL");
  });

  it("leaves demo seeding to the launcher unless set, and refuses it on a public origin", () => {
    expect(parseConfig({}).SEED_DEMO_USERS).toBeUndefined();
    expect(parseConfig({ SEED_DEMO_USERS: "false" }).SEED_DEMO_USERS).toBe(false);
    expect(parseConfig({ SEED_DEMO_USERS: "true", APP_URL: "http://127.0.0.1:3100" }).SEED_DEMO_USERS).toBe(true);
    expect(problems({ SEED_DEMO_USERS: "true", APP_URL: "https://growbal.example" })[0]?.variable).toBe("SEED_DEMO_USERS");
  });

  it("honours the test clock only under NODE_ENV=test on a localhost origin", () => {
    expect(parseConfig({ ENABLE_TEST_CLOCK: "true", NODE_ENV: "test", APP_URL: "http://127.0.0.1:3100" }).testClock).toBe(true);
    expect(parseConfig({ ENABLE_TEST_CLOCK: "true", NODE_ENV: "test" }).testClock).toBe(true);
    expect(
      parseConfig({
        ENABLE_TEST_CLOCK: "true",
        NODE_ENV: "production",
        SESSION_SECRET: secret,
        MFA_ENCRYPTION_KEY: secret,
        APP_URL: "http://localhost:3000",
      }).testClock,
    ).toBe(false);
    expect(parseConfig({ ENABLE_TEST_CLOCK: "true" }).testClock).toBe(false);
    expect(parseConfig({ NODE_ENV: "test" }).testClock).toBe(false);
  });
});
